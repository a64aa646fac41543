/**
 * The report's valid_till and the order detail's can disagree (a reissue the report has not caught up with, or a
 * report ahead of the detail). The detail wins at the alert stage; these scans, day after day against the same
 * state, check that the disagreement neither loops (renewed notice, alert, renewed notice, …) nor loses or
 * repeats a crossing, and that a real renewal still gets one renewed notice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { announce } from '../../../functions/core/announce.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import { US_CONSOLE_URL } from '../../../functions/core/console-links.ts';
import type { ReportOrder } from '../../../functions/core/model.ts';
import { runScan } from '../../../functions/core/scan.ts';
import { MemoryDigestLedger } from '../../../functions/state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../../../functions/state/memory-state-store.ts';
import { dayPlus, orderDetail, reportOrder, scanAt } from '../../support/factories.ts';
import { FakeDetails, RecordingNotifier } from '../../support/fakes.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('when the report and the order detail give different valid_till dates', () => {
  let details: FakeDetails;
  let state: MemoryStateStore;
  let notifier: RecordingNotifier;
  /** The report row, as the next scan reads it. */
  let row: ReportOrder;

  beforeEach(() => {
    details = new FakeDetails();
    state = new MemoryStateStore();
    notifier = new RecordingNotifier();
  });

  /** The report says `reportTill`, the order detail `detailTill`, from the next scan on. */
  function dates(reportTill: string, detailTill: string): void {
    row = reportOrder({ orderId: 1, validTill: reportTill });
    details.orders.set(1, orderDetail(row, { validTill: detailTill, validFrom: dayPlus(-397, detailTill) }));
  }

  /** Daily scans on day `from` to `to` (days after SCAN_DAY): what went out, as `day type @level`. */
  async function scanDays(from: number, to: number): Promise<string[]> {
    const said: string[] = [];
    for (let day = from; day <= to; day += 1) {
      const clock = () => scanAt(dayPlus(day));
      const before = notifier.sent.length;
      await runScan({
        report: {
          async *records() {
            yield { kind: 'order' as const, order: row };
          },
        },
        state,
        digests: new MemoryDigestLedger(),
        dispatch: async (messages) => {
          for (const message of messages) {
            await announce(message, {
              details,
              state,
              notifier,
              clock,
              policy: DEFAULT_POLICY,
              digests: new MemoryDigestLedger(),
              consoleUrl: US_CONSOLE_URL,
            });
          }
        },
        policy: DEFAULT_POLICY,
        clock,
        log: quiet,
      });
      for (const { event } of notifier.sent.slice(before)) {
        const level = event.type === 'certificate.renewed' ? 'renewed' : `@${event.threshold ?? 'expired'}`;
        said.push(`day ${day} ${event.duplicate ? 'duplicate ' : ''}${level} (${event.validTill})`);
      }
    }
    return said;
  }

  it("a report later than the detail: alerts at the detail's crossings, and no renewed notice", async () => {
    dates(dayPlus(60), dayPlus(10));

    expect(await scanDays(0, 12)).toEqual([
      `day 0 @14 (${dayPlus(10)})`,
      `day 3 @7 (${dayPlus(10)})`,
      `day 7 @3 (${dayPlus(10)})`,
      `day 9 @1 (${dayPlus(10)})`,
      `day 11 @expired (${dayPlus(10)})`,
    ]);
  });

  it("a report earlier than the detail (a reissue it has not caught up with): the detail's crossings only", async () => {
    dates(dayPlus(5), dayPlus(70));

    expect(await scanDays(0, 12)).toEqual([`day 0 @90 (${dayPlus(70)})`, `day 10 @60 (${dayPlus(70)})`]);
  });

  it('announced with the same dates, then reissued: the report catching up later sends nothing twice', async () => {
    dates(dayPlus(20), dayPlus(20));
    expect(await scanDays(0, 0)).toEqual([`day 0 @30 (${dayPlus(20)})`]);

    // Reissued: the detail has the new certificate, the report still the old one; then the report catches up.
    dates(dayPlus(20), dayPlus(80));
    const lagging = await scanDays(1, 9);
    dates(dayPlus(80), dayPlus(80));
    const caughtUp = await scanDays(10, 12);

    expect([...lagging, ...caughtUp]).toEqual([`day 6 @90 (${dayPlus(80)})`]);
  });

  it("a duplicate listed without a valid_till runs to the detail's date, and does not loop either", async () => {
    dates(dayPlus(60), dayPlus(10));
    row = { ...row, hasDuplicates: true, fingerprint: `${row.fingerprint}+duplicates` };
    details.duplicateLists.set(1, [
      {
        id: 77,
        status: 'issued',
        commonName: row.commonName,
        dnsNames: [],
        validFrom: null,
        validTill: null,
      },
    ]);

    expect(await scanDays(0, 4)).toEqual([
      `day 0 @14 (${dayPlus(10)})`,
      `day 0 duplicate @14 (${dayPlus(10)})`,
      `day 3 @7 (${dayPlus(10)})`,
      `day 3 duplicate @7 (${dayPlus(10)})`,
    ]);
  });

  it('a real renewal after a disagreement (both dates move later) gets one renewed notice, then quiet', async () => {
    dates(dayPlus(60), dayPlus(10));
    await scanDays(0, 4);

    dates(dayPlus(400), dayPlus(400));

    expect(await scanDays(5, 8)).toEqual([`day 5 renewed (${dayPlus(10)})`]);
  });
});
