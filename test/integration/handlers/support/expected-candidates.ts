/**
 * What a first scan (empty state) should queue, worked out from the simulated account with DESIGN.md's rules
 * and the simulator's own date arithmetic, apart from the app's code: one candidate per order the report shows
 * as issued inside the alert window, unless an issued renewal silences it.
 */
import type { SimAccount, SimOrder } from '../../../certcentral-sim/account.ts';
import { daysBetween } from '../../../certcentral-sim/dates.ts';

const THRESHOLDS: readonly number[] = [90, 60, 30, 14, 7, 3, 1];
const LOOKBACK_DAYS = 30;

export type ExpectedLevel = number | 'expired';

const reportStatus = (order: SimOrder): string => order.reportStatus ?? order.status;

function levelFor(days: number): ExpectedLevel | null {
  if (days < 0) return days >= -LOOKBACK_DAYS ? 'expired' : null;
  const reached = THRESHOLDS.filter((threshold) => days <= threshold);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** The level each queued order should carry, by order id. */
export function expectedCandidates(account: SimAccount, day: string): Map<number, ExpectedLevel> {
  const inReport = account.orders().filter((order) => order.inReport);
  const renewedByIssued = new Set(
    inReport
      .filter((order) => order.renewedOrderId !== null && reportStatus(order) === 'issued')
      .map((order) => order.renewedOrderId),
  );
  const expected = new Map<number, ExpectedLevel>();
  for (const order of inReport) {
    if (reportStatus(order) !== 'issued' || !order.validTill || renewedByIssued.has(order.id)) continue;
    const level = levelFor(daysBetween(day, order.validTill));
    if (level !== null) expected.set(order.id, level);
  }
  return expected;
}
