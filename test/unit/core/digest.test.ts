import { describe, expect, it } from 'vitest';
import { DigestBuilder, deliverDigest, RoutedDigests } from '../../../functions/core/digest.ts';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import type { RouteFilter } from '../../../functions/core/routes.ts';
import { MemoryDigestLedger } from '../../../functions/state/memory-digest-ledger.ts';
import { loadEvent, manyAlerts } from '../../fixtures/events/load.ts';
import { RecordingNotifier } from '../../support/fakes.ts';

const SCANNED_AT = '2026-11-23T06:00:00Z';

function buildDigest(alerts: readonly NotificationEvent[], scannedAt: string, listed?: number) {
  const builder = new DigestBuilder(listed);
  for (const alert of alerts) builder.add(alert);
  return builder.build(scannedAt);
}

const critical = (orderId: number, daysRemaining: number): NotificationEvent => ({
  ...loadEvent('expiring-warning'),
  orderId,
  severity: 'critical',
  daysRemaining,
  threshold: 1,
});

describe('a digest', () => {
  it('lists the most urgent first: critical before warning, then fewest days left', () => {
    const warnings = manyAlerts(3);
    const digest = buildDigest([...warnings, critical(1, 1), critical(2, 0)], SCANNED_AT);

    expect(digest?.alerts.map((alert) => [alert.severity, alert.daysRemaining])).toEqual([
      ['critical', 0],
      ['critical', 1],
      ...[...warnings]
        .sort((a, b) => a.daysRemaining - b.daysRemaining)
        .map((alert) => ['warning', alert.daysRemaining]),
    ]);
    expect(digest).toMatchObject({ total: 5, bySeverity: { critical: 2, warning: 3, info: 0 } });
  });

  it('counts every alert of a flood but lists only the most urgent ones it is allowed', () => {
    const flood = [...manyAlerts(5_000), critical(7, 0)];
    const digest = buildDigest(flood, SCANNED_AT, 100);

    expect(digest?.total).toBe(5_001);
    expect(digest?.alerts).toHaveLength(100);
    expect(digest?.alerts[0]?.orderId).toBe(7);
    const fewestDaysLeft = Math.min(
      ...flood.filter((a) => a.severity === 'warning').map((a) => a.daysRemaining),
    );
    expect(digest?.alerts.slice(1).every((alert) => alert.daysRemaining === fewestDaysLeft)).toBe(true);
  });

  it('is nothing when nothing was added', () => {
    expect(new DigestBuilder().build(SCANNED_AT)).toBeNull();
  });
});

describe('deliverDigest', () => {
  it('sends what the ledger recorded for the scan once, each certificate once, then closes the digest', async () => {
    const ledger = new MemoryDigestLedger();
    const notifier = new RecordingNotifier();
    const [first, second] = manyAlerts(2) as [NotificationEvent, NotificationEvent];
    await ledger.record(SCANNED_AT, [{ certKey: 'order#1', event: first }]);
    await ledger.record(SCANNED_AT, [{ certKey: 'order#1', event: first }]); // a retried candidate
    await ledger.record(SCANNED_AT, [{ certKey: 'dup#2', event: second }]);
    await ledger.record('2026-11-24T06:00:00Z', [{ certKey: 'order#3', event: critical(3, 0) }]);
    await ledger.open(SCANNED_AT, new Date(SCANNED_AT));

    const [digest, ...more] = await deliverDigest(SCANNED_AT, { ledger, notifier });

    expect(more).toEqual([]);
    expect(notifier.digests).toEqual([digest]);
    expect(digest?.total).toBe(2);
    expect(await ledger.openDigests()).toEqual([]);
  });

  it('sends nothing when every candidate of the flood came to nothing', async () => {
    const ledger = new MemoryDigestLedger();
    const notifier = new RecordingNotifier();
    await ledger.open(SCANNED_AT, new Date(SCANNED_AT));

    expect(await deliverDigest(SCANNED_AT, { ledger, notifier })).toEqual([]);
    expect(notifier.digests).toEqual([]);
    expect(await ledger.openDigests()).toEqual([]);
  });
});

const route = (name: string, filters: Partial<RouteFilter>): RouteFilter => ({
  name,
  containers: null,
  organizations: null,
  products: null,
  severities: null,
  ...filters,
});

describe('routed digests', () => {
  const web = { ...loadEvent('expiring-warning'), orderId: 1, container: 'Web Team' };
  const payments = {
    ...critical(2, 1),
    container: 'Payments',
    product: { ...web.product, nameId: 'ssl_ev_basic' },
  };
  const wildcard = { ...loadEvent('expired'), orderId: 3, container: 'Web Team' };

  function digestsOf(routes: RouteFilter[] | null, events: NotificationEvent[]) {
    const digests = new RoutedDigests(routes);
    for (const event of events) digests.add(event);
    return digests.build(SCANNED_AT);
  }

  it('give each route a digest of its own alerts, counted and named, and none to a route with nothing', () => {
    const digests = digestsOf(
      [
        route('web', { containers: ['Web Team'] }),
        route('oncall', { severities: ['critical'] }),
        route('ev', { products: ['ssl_ev_basic'] }),
        route('legal', { containers: ['Legal'] }),
      ],
      [web, payments, wildcard],
    );

    expect(
      digests.map((digest) => [digest.route, digest.total, digest.alerts.map((a) => a.orderId)]),
    ).toEqual([
      ['web', 2, [3, 1]],
      ['oncall', 2, [3, 2]],
      ['ev', 1, [2]],
    ]);
    expect(digests[0]?.bySeverity).toEqual({ critical: 1, warning: 1, info: 0 });
  });

  it('match a product by its type as well as its name id', () => {
    const [digest] = digestsOf([route('ssl', { products: ['ssl_certificate'] })], [web, payments]);

    expect(digest?.total).toBe(2);
  });

  it('are one digest of everything when there are no routes', () => {
    const digests = digestsOf(null, [web, payments, wildcard]);

    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ route: null, total: 3 });
  });
});
