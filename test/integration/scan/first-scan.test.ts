import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotificationEvent, Severity } from '../../../functions/core/model.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { generateAccount, sampleAccount } from '../../certcentral-sim/generate.ts';
import {
  announcedCrossings,
  certOf,
  crossingOf,
  crossingsOn,
  expectedAlerts,
  newCrossings,
} from '../../support/expected-alerts.ts';
import { ScanTarget, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const CONTRACT_FIELDS = [
  'type',
  'orderId',
  'certificateId',
  'duplicate',
  'threshold',
  'daysRemaining',
  'validTill',
  'commonName',
  'dnsNames',
  'status',
  'product',
  'organization',
  'container',
  'subaccount',
  'renewal',
  'contacts',
  'severity',
  'action',
  'plan',
  'scannedAt',
  'orderUrl',
  'test',
].sort();

const severityOf = (days: number): Severity => (days <= 3 ? 'critical' : days <= 14 ? 'warning' : 'info');

/** The alert stage works on several candidates at once, so events come in no fixed order. */
const inCrossingOrder = (events: readonly NotificationEvent[]) =>
  [...events].sort((a, b) => crossingOf(a).localeCompare(crossingOf(b)));

const levelsAnnouncedFor = (events: readonly NotificationEvent[], commonName: string) =>
  events.filter((event) => event.commonName === commonName).map((event) => event.threshold ?? event.type);

const { freshState, simulate, targetFor } = useScanFixture();

describe('a first scan on empty state', () => {
  it('alerts every certificate in the alert window once, at its tightest level', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);

    const run = await target.scan(TODAY);

    expect(run.exitCode).toBe(0);
    expect(announcedCrossings(run.events)).toEqual(crossingsOn(account, TODAY));
    expect(levelsAnnouncedFor(run.events, 'sso.example.com')).toEqual([7]);
    expect(levelsAnnouncedFor(run.events, 'payments.example.com')).toEqual([1]);
    expect(levelsAnnouncedFor(run.events, 'docs.example.org')).toEqual(['certificate.expired']);
    for (const silent of [
      'www.example.com',
      'legacy.example.com',
      'cdn.example.com',
      'checkout.example.com',
    ]) {
      expect(levelsAnnouncedFor(run.events, silent)).toEqual([]);
    }
  });

  it('prints events that carry every field of the contract, filled from the account', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);
    const expected = expectedAlerts(account, TODAY);

    const { events } = await target.scan(TODAY);

    expect(events.length).toBe(expected.size);
    for (const event of events) {
      const order = account.get(event.orderId);
      const alert = expected.get(certOf(event));
      expect(Object.keys(event).sort()).toEqual(CONTRACT_FIELDS);
      expect(event).toMatchObject({
        type: alert?.level === 'expired' ? 'certificate.expired' : 'certificate.expiring',
        certificateId: alert?.certificateId,
        threshold: alert?.level === 'expired' ? null : alert?.level,
        daysRemaining: alert?.daysRemaining,
        validTill: alert?.validTill,
        commonName: order.commonName,
        dnsNames: order.dnsNames,
        status: 'issued',
        product: { nameId: order.product.nameId, name: order.product.name, type: order.product.type },
        organization: order.organization.name,
        container: order.container.name,
        subaccount: order.subaccount && {
          accountId: order.subaccount.accountId,
          organizationName: order.subaccount.organizationName,
        },
        renewal: alert?.renewal,
        severity: severityOf(alert?.daysRemaining ?? Number.NaN),
        scannedAt: scanInstant(TODAY),
        // The simulator is no CertCentral region: links go to the US console.
        orderUrl: `https://www.digicert.com/secure/orders/${event.orderId}`,
        test: false,
      });
      expect(event.contacts).toContainEqual(
        expect.objectContaining({ role: 'technical', email: order.technicalContact.email }),
      );
    }
  });
});

describe('the scans that follow', () => {
  it('sends nothing on a rerun the same day, and spends only report pages on it', async () => {
    const account = generateAccount({ seed: 11, orders: 300, today: TODAY });
    const target = await targetFor(account);
    await target.scan(TODAY);
    target.sim.resetCounters();

    const rerun = await target.scan(TODAY);

    expect(rerun.exitCode).toBe(0);
    expect(rerun.events).toEqual([]);
    expect(target.sim.calls).toMatchObject({
      report: 1,
      order: 0,
      subaccountOrder: 0,
      duplicates: 0,
      total: 1,
    });
  });

  it('a quiet rerun costs the report pages only: the order revoked since the report is remembered, not asked again', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);
    await target.scan(TODAY);
    target.sim.resetCounters();

    const rerun = await target.scan(TODAY);

    const lagging = account.orders().filter((order) => order.reportStatus === 'issued');
    expect(lagging.map((order) => order.commonName)).toEqual(['checkout.example.com']);
    expect(rerun.events).toEqual([]);
    expect(rerun.stderr).toContain('1 known to be no longer issued');
    expect(target.sim.calls).toMatchObject({
      report: 1,
      order: 0,
      subaccountOrder: 0,
      duplicates: 0,
      total: 1,
    });
  });

  it('a week later, alerts only the certificates whose level got tighter', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);
    const nextWeek = addDays(TODAY, 7);
    await target.scan(TODAY);

    const later = await target.scan(nextWeek);

    expect(later.exitCode).toBe(0);
    expect(announcedCrossings(later.events)).toEqual(newCrossings(account, TODAY, nextWeek));
    expect(levelsAnnouncedFor(later.events, 'sso.example.com')).toEqual(['certificate.expired']);
    expect(levelsAnnouncedFor(later.events, 'vpn.example.net')).toEqual([14]);
    expect(levelsAnnouncedFor(later.events, 'api.example.com')).toEqual([]);
  });

  it('--dry-run prints the alerts and records nothing: the real run after it sends the same alerts', async () => {
    const account = sampleAccount(TODAY);
    const target = await targetFor(account);

    const dryRun = await target.scan(TODAY, ['--dry-run']);
    const real = await target.scan(TODAY);

    expect(dryRun.exitCode).toBe(0);
    expect(dryRun.stderr).toContain('dry run');
    expect(dryRun.events.length).toBeGreaterThan(0);
    expect(inCrossingOrder(real.events)).toEqual(inCrossingOrder(dryRun.events));
  });

  it('keeps state in --state-dir across separate runs: the second run is silent', async () => {
    const account = sampleAccount(TODAY);
    const sim = await simulate(account);
    const stateDir = await mkdtemp(join(tmpdir(), 'expiry-alerts-scan-'));
    try {
      const target = new ScanTarget(sim, ['--state-dir', stateDir]);
      const first = await target.scan(TODAY);
      const second = await target.scan(TODAY);

      expect(announcedCrossings(first.events)).toEqual(crossingsOn(account, TODAY));
      expect(second.exitCode).toBe(0);
      expect(second.events).toEqual([]);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});

/** The text output of a scan that sent a digest: its headline(s) and the alerts it lists. */
function digestIn(stdout: string): { headlines: string[]; listed: string[] } {
  const lines = stdout.split('\n').filter((line) => line !== '');
  return {
    headlines: lines.filter((line) => !line.startsWith(' ')),
    listed: lines.filter((line) => line.startsWith('  - ')),
  };
}

describe('a flood of alerts', () => {
  const DIGEST_AT_5 = ['--digest-threshold', '5'];

  it('reaches people as one digest, while --json still prints every event', async () => {
    const account = sampleAccount(TODAY);
    const alerts = expectedAlerts(account, TODAY).size;
    const target = await targetFor(account);
    const json = new ScanTarget(target.sim, freshState());

    const text = await target.scanText(TODAY, DIGEST_AT_5);
    const machines = await json.scan(TODAY, DIGEST_AT_5);

    expect(alerts).toBeGreaterThan(5);
    expect(text.exitCode).toBe(0);
    const digest = digestIn(text.stdout);
    expect(digest.headlines).toHaveLength(1);
    expect(digest.headlines[0]).toContain(`${alerts} alerts`);
    expect(machines.events).toHaveLength(alerts);
  });

  it('lists in the digest exactly the certificates alerted', async () => {
    const account = sampleAccount(TODAY);
    const alerts = expectedAlerts(account, TODAY);
    const target = await targetFor(account);

    const text = await target.scanText(TODAY, DIGEST_AT_5);

    const { listed } = digestIn(text.stdout);
    expect(listed.filter((line) => line.includes('checkout.example.com'))).toEqual([]);
    expect(listed).toHaveLength(alerts.size);
  });
});
