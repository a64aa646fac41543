/**
 * What a first scan (empty state) should queue, worked out from the simulated account with DESIGN.md's rules
 * and the simulator's own date arithmetic, apart from the app's code: one candidate per order the report shows
 * live (issued or reissue_pending) inside the alert window, unless an issued renewal silences it, and a duplicates listing for each
 * other order with duplicates. (The generated accounts' certificates live a year: every threshold applies.)
 */
import type { SimAccount, SimOrder } from '../../../certcentral-sim/account.ts';
import { daysBetween } from '../../../certcentral-sim/dates.ts';
import { LIVE_STATUSES } from '../../../support/expected-alerts.ts';

const THRESHOLDS: readonly number[] = [90, 60, 30, 14, 7, 3, 1];
const LOOKBACK_DAYS = 30;

export type ExpectedLevel = number | 'expired';

const reportStatus = (order: SimOrder): string => order.reportStatus ?? order.status;

function levelFor(days: number): ExpectedLevel | null {
  if (days < 0) return days >= -LOOKBACK_DAYS ? 'expired' : null;
  const reached = THRESHOLDS.filter((threshold) => days <= threshold);
  return reached.length === 0 ? null : Math.min(...reached);
}

function renewedByIssuedOrders(inReport: readonly SimOrder[]): Set<number | null> {
  return new Set(
    inReport
      .filter((order) => order.renewedOrderId !== null && reportStatus(order) === 'issued')
      .map((order) => order.renewedOrderId),
  );
}

/**
 * The orders a first scan lists the duplicates of without an alert for them: live, with duplicates, not
 * expired beyond the look-back, not silenced by an issued renewal, and not already alert candidates.
 */
export function expectedListings(account: SimAccount, day: string): number[] {
  const inReport = account.orders().filter((order) => order.inReport);
  const renewed = renewedByIssuedOrders(inReport);
  const alerted = expectedCandidates(account, day);
  return inReport
    .filter(
      (order) =>
        LIVE_STATUSES.has(reportStatus(order)) &&
        order.validTill !== null &&
        order.duplicates.length > 0 &&
        daysBetween(day, order.validTill) >= -LOOKBACK_DAYS &&
        !renewed.has(order.id) &&
        !alerted.has(order.id),
    )
    .map((order) => order.id);
}

/** The level each queued order should carry, by order id. */
export function expectedCandidates(account: SimAccount, day: string): Map<number, ExpectedLevel> {
  const inReport = account.orders().filter((order) => order.inReport);
  const renewedByIssued = renewedByIssuedOrders(inReport);
  const expected = new Map<number, ExpectedLevel>();
  for (const order of inReport) {
    if (!LIVE_STATUSES.has(reportStatus(order)) || !order.validTill || renewedByIssued.has(order.id))
      continue;
    const level = levelFor(daysBetween(day, order.validTill));
    if (level !== null) expected.set(order.id, level);
  }
  return expected;
}
