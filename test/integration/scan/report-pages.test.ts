import { describe, expect, it } from 'vitest';
import { SimAccount } from '../../certcentral-sim/account.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import { announcedCrossings, crossingsOn } from '../../support/expected-alerts.ts';
import { ScanTarget } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const day = (offset: number): string => addDays(TODAY, offset);

const { freshState, simulate } = useScanFixture();

describe('report pages', () => {
  it.each([
    { orders: 50, pages: 8 },
    { orders: 49, pages: 8 },
  ])(
    'reads all $pages pages of $orders orders at --page-size 7, with the same alerts as one page',
    async ({ orders, pages }) => {
      const account = generateAccount({ seed: orders, orders, today: TODAY });
      const simulator = await simulate(account);

      const paged = await new ScanTarget(simulator, freshState()).scan(TODAY, ['--page-size', '7']);
      const pagedCalls = simulator.calls.report;
      simulator.resetCounters();
      const onePage = await new ScanTarget(simulator, freshState()).scan(TODAY);

      expect(paged.exitCode).toBe(0);
      expect(pagedCalls).toBe(pages);
      expect(simulator.calls.report).toBe(1);
      expect(paged.stderr).toContain(`${pages} page(s), ${orders} orders`);
      expect(announcedCrossings(paged.events)).toEqual(crossingsOn(account, TODAY));
      expect(announcedCrossings(paged.events)).toEqual(announcedCrossings(onePage.events));
      expect(paged.events.length).toBeGreaterThan(0);
    },
  );
});

describe('corrupt report rows', () => {
  it('skips a row with an impossible valid_till, says which and why, alerts the rest, records nothing for it', async () => {
    const account = new SimAccount([], TODAY);
    const before = account.addOrder({ validTill: day(5) });
    const corrupt = account.addOrder({ validTill: day(5), rawReportCells: { valid_till: '"2026-02-30"' } });
    const after = account.addOrder({ validTill: day(6) });
    const target = new ScanTarget(await simulate(account), freshState());

    const skipping = await target.scan(TODAY);
    delete corrupt.rawReportCells;
    const repaired = await target.scan(TODAY);

    expect(skipping.exitCode).toBe(0);
    expect(announcedCrossings(skipping.events)).toEqual([`order ${before.id} @ 7`, `order ${after.id} @ 7`]);
    expect(skipping.stderr).toContain('2 orders, 1 row(s) skipped');
    expect(skipping.stderr).toContain(
      `skipped row 2 (order ${corrupt.id}): valid_till: "2026-02-30" is not a yyyy-MM-dd date`,
    );
    expect(announcedCrossings(repaired.events)).toEqual([`order ${corrupt.id} @ 7`]);
  });

  it('counts a row with stray quotes once and keeps the row numbers of the rows after it', async () => {
    const account = new SimAccount([], TODAY);
    const first = account.addOrder({ validTill: day(5) });
    account.addOrder({ validTill: day(5), rawReportCells: { organization_name: '"Acme "Labs" Ltd"' } });
    const third = account.addOrder({ validTill: day(6) });
    const corrupt = account.addOrder({ validTill: day(5), rawReportCells: { valid_till: '"2026-02-30"' } });
    const target = new ScanTarget(await simulate(account), freshState());

    const run = await target.scan(TODAY);

    expect(announcedCrossings(run.events)).toEqual([`order ${first.id} @ 7`, `order ${third.id} @ 7`]);
    expect(run.stderr).toContain('2 orders, 2 row(s) skipped');
    expect(run.stderr).toContain('skipped row 2: malformed CSV record');
    expect(run.stderr).toContain(`skipped row 4 (order ${corrupt.id}): valid_till`);
  });
});
