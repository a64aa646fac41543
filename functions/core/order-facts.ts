/**
 * What the state remembers of an order between scans, and when to ask CertCentral again: the order detail's
 * answer (no longer issued, its Multi-year Plan) until the order's report row changes, and its duplicates
 * listing, refreshed on a rolling schedule spread over `duplicatesRefreshDays` days.
 */
import type { AlertPolicy } from './config.ts';
import { epochDay } from './levels.ts';
import { NO_PLAN, type OrderFacts, type Plan, type ReportOrder } from './model.ts';
import { isWatchedStatus } from './order-status.ts';

const DAY_MS = 86_400_000;

/** Why an order's duplicates are listed this scan. */
export type ListingReason = 'first' | 'changed' | 'refresh';

/** The UTC day number of an instant. */
const dayOf = (instant: Date | string): number =>
  Math.floor((typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) / DAY_MS);

/**
 * The order's plan for the alert rules: the remembered detail's (for this report row), with the report's
 * `auto_renew` (the report and the detail may disagree; either one on is on).
 */
export function planOf(order: ReportOrder, detail: Plan | null): Plan {
  const plan = detail ?? NO_PLAN;
  return { ...plan, autoRenew: Math.max(plan.autoRenew, order.autoRenew) };
}

/** The remembered detail, when it still speaks for the order's current report row. */
export function currentDetail(order: ReportOrder, facts: OrderFacts | undefined): OrderFacts['detail'] {
  const detail = facts?.detail ?? null;
  return detail !== null && detail.fingerprint === order.fingerprint ? detail : null;
}

/**
 * The order detail said the order no longer has a live certificate (revoked since the report was made: a status
 * `order-status.ts` does not watch), and its report row has not changed since: nothing to ask. A `not-found`
 * answer is asked again after `duplicatesRefreshDays`, since a key's permissions may change without the report
 * row changing.
 */
export function knownNotIssued(
  order: ReportOrder,
  facts: OrderFacts | undefined,
  policy: Pick<AlertPolicy, 'duplicatesRefreshDays'>,
  scannedAt: Date,
): boolean {
  const detail = currentDetail(order, facts);
  if (detail === null || isWatchedStatus(detail.status)) return false;
  if (detail.status !== 'not-found') return true;
  return dayOf(scannedAt) - dayOf(detail.checkedAt) < policy.duplicatesRefreshDays;
}

/**
 * The orders whose duplicates are due for the rolling refresh today: the orders with duplicates, ranked by id,
 * take turns over `refreshDays` days, so a day lists at most ceil(D / refreshDays) of them.
 */
export function refreshTurns(orderIds: readonly number[], refreshDays: number, scannedAt: Date): Set<number> {
  const today = dayOf(scannedAt) % refreshDays;
  const ranked = [...orderIds].sort((a, b) => a - b);
  return new Set(ranked.filter((_, rank) => rank % refreshDays === today));
}

/**
 * Why the order's duplicates must be listed this scan, or null when the remembered listing is current: never
 * listed; listed for another report row; or its refresh turn (`onTurn`) came and it was not listed today. A
 * listing older than twice the refresh period (turns shift as orders come and go) is refreshed regardless.
 */
export function listingReason(
  order: ReportOrder,
  facts: OrderFacts | undefined,
  onTurn: boolean,
  policy: Pick<AlertPolicy, 'duplicatesRefreshDays'>,
  scannedAt: Date,
): ListingReason | null {
  const listing = facts?.duplicates ?? null;
  if (listing === null) return 'first';
  if (listing.fingerprint !== order.fingerprint) return 'changed';
  const age = dayOf(scannedAt) - dayOf(listing.listedAt);
  if ((onTurn && age >= 1) || age >= 2 * policy.duplicatesRefreshDays) return 'refresh';
  return null;
}

/** Whether the order's certificate expired so long ago that neither it nor its duplicates can be announced. */
export function pastLookBack(
  order: ReportOrder,
  policy: Pick<AlertPolicy, 'expiredLookbackDays'>,
  scannedAt: Date,
): boolean {
  const till = order.validTill === null ? null : epochDay(order.validTill);
  return till === null || till < dayOf(scannedAt) - policy.expiredLookbackDays;
}
