import { describe, expect, it } from 'vitest';
import { DigestBuilder, deliverDigest } from '../../../functions/core/digest.ts';
import type { NotificationEvent } from '../../../functions/core/model.ts';
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

    const digest = await deliverDigest(SCANNED_AT, { ledger, notifier });

    expect(notifier.digests).toEqual([digest]);
    expect(digest?.total).toBe(2);
    expect(await ledger.openDigests()).toEqual([]);
  });

  it('sends nothing when every candidate of the flood came to nothing', async () => {
    const ledger = new MemoryDigestLedger();
    const notifier = new RecordingNotifier();
    await ledger.open(SCANNED_AT, new Date(SCANNED_AT));

    expect(await deliverDigest(SCANNED_AT, { ledger, notifier })).toBeNull();
    expect(notifier.digests).toEqual([]);
    expect(await ledger.openDigests()).toEqual([]);
  });
});
