/**
 * How long a certificate's state outlives its `valid_till`. An `expired` alert may go out for
 * `expiredLookbackDays` after expiry, so the item that says it was announced must live at least that long, or a
 * later scan would find no state and announce the expiry again; the margin covers DynamoDB's TTL, which deletes
 * on its own schedule, and look-backs raised later.
 */
export const STATE_RETENTION_MARGIN_DAYS = 30;

/** Days a state item is kept after its certificate's `valid_till`, for an expired look-back of that many days. */
export function stateRetentionDays(expiredLookbackDays: number): number {
  return expiredLookbackDays + STATE_RETENTION_MARGIN_DAYS;
}
