/**
 * `list` over the real command against the simulator's account: the same certificates, the same days, the same
 * order as an independent reading of the account; `--json` and `--csv` parse; the report pages are its only calls.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { OverviewRow } from '../../../functions/core/overview.ts';
import { CSV_COLUMNS } from '../../../functions/local/list-command.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { generateAccount, sampleAccount } from '../../certcentral-sim/generate.ts';
import { expectedAlerts } from '../../support/expected-alerts.ts';
import { expectedOverview } from '../../support/expected-overview.ts';
import { runCommand, ScanTarget, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';

const { freshState, simulate } = useScanFixture();

const shape = (
  row: Pick<
    OverviewRow,
    | 'orderId'
    | 'certificateId'
    | 'commonName'
    | 'validTill'
    | 'daysRemaining'
    | 'renewal'
    | 'container'
    | 'severity'
  >,
) => ({
  orderId: row.orderId,
  certificateId: row.certificateId,
  commonName: row.commonName,
  validTill: row.validTill,
  daysRemaining: row.daysRemaining,
  renewal: row.renewal,
  container: row.container,
  severity: row.severity,
});

async function listed(account: ReturnType<typeof generateAccount>) {
  const state = freshState();
  const sim = await simulate(account);
  const target = new ScanTarget(sim, state);
  const list = (day: string, flags: string[] = []) =>
    runCommand(['list', '--base-url', sim.url, '--now', scanInstant(day), ...state, ...flags]);
  return { sim, target, list, state };
}

describe('list', () => {
  it("shows the account's certificates within the window, most urgent first, with the last alert announced", async () => {
    const account = generateAccount({
      seed: 11,
      orders: 300,
      today: TODAY,
      duplicates: 0.2,
      earlyDuplicates: 0.6,
    });
    const { sim, target, list } = await listed(account);
    expect((await target.scan(TODAY)).exitCode).toBe(0);
    sim.resetCounters();

    const run = await list(TODAY, ['--json']);
    expect(run.exitCode).toBe(0);
    const rows = JSON.parse(run.stdout) as OverviewRow[];
    const expected = expectedOverview(account, TODAY, 30);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.some((row) => row.certificateId !== null)).toBe(true);
    expect(rows.map(shape)).toEqual(expected);

    const levels = expectedAlerts(account, TODAY);
    for (const row of rows) {
      const cert = row.duplicate ? `certificate ${row.certificateId}` : `order ${row.orderId}`;
      expect(row.lastAnnounced, cert).toEqual(levels.get(cert)?.level ?? null);
    }
    expect(sim.calls).toMatchObject({ order: 0, subaccountOrder: 0, duplicates: 0, report: 1 });
    expect(run.stderr).toContain(`${rows.length} certificate(s) expiring within 30 days`);
  });

  it('prints CSV that parses to the same rows, and a table for people', async () => {
    const account = sampleAccount(TODAY);
    const { target, list, state } = await listed(account);
    await target.scan(TODAY);
    const muted = account.orders().find((order) => order.commonName === 'static.example.com');
    if (!muted) throw new Error('the sample account has static.example.com');
    const mute = await runCommand([
      'mute',
      '--now',
      scanInstant(TODAY),
      ...state,
      '--order',
      String(muted.id),
      '--until',
      addDays(TODAY, 10),
      '--reason',
      'moving to a new CDN',
      '--by',
      'ana',
    ]);
    expect(mute.exitCode).toBe(0);

    const json = JSON.parse((await list(TODAY, ['--within', '60', '--json'])).stdout) as OverviewRow[];
    const csv = parse((await list(TODAY, ['--within', '60', '--csv'])).stdout, { columns: true }) as Record<
      string,
      string
    >[];
    expect(json.map(shape)).toEqual(expectedOverview(account, TODAY, 60));
    expect(Object.keys(csv[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(
      csv.map((row) => [
        Number(row.orderId),
        row.certificateId === '' ? null : Number(row.certificateId),
        Number(row.daysRemaining),
        row.mutedUntil,
      ]),
    ).toEqual(json.map((row) => [row.orderId, row.certificateId, row.daysRemaining, row.mute?.until ?? '']));
    expect(json.filter((row) => row.mute).map((row) => row.orderId)).toEqual([muted.id, muted.id]);

    const table = await list(TODAY);
    const [header, ...lines] = table.stdout.trimEnd().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'DAYS LEFT',
      'VALID TILL',
      'COMMON NAME',
      'ORDER',
      'CERTIFICATE',
      'LAST ALERT',
      'MUTED',
      'RENEWAL',
      'ACTION',
      'SUBACCOUNT',
    ]);
    expect(lines).toHaveLength(expectedOverview(account, TODAY, 30).length);
    expect(table.stdout).toContain(`until ${addDays(TODAY, 10)} (ana: moving to a new CDN)`);
    expect(table.stdout).toMatch(/partner\.example\.net .* Sub account organization \(123445\)\n/);
  });

  it('refuses --json with --csv and a window it cannot take', async () => {
    const { list } = await listed(sampleAccount(TODAY));
    const both = await list(TODAY, ['--json', '--csv']);
    expect(both).toMatchObject({
      exitCode: 2,
      stderr: 'expiry-alerts: --csv: true cannot be combined with --json\n',
    });
    expect((await list(TODAY, ['--within', '-1'])).stderr).toContain(
      '--within: "-1" is not a whole number from 0 to 3650',
    );
  });
});
