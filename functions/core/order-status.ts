/**
 * Which order statuses are watched: those whose order has a live certificate. `issued`, and `reissue_pending`: a
 * reissue was requested and the order's current certificate stays in use until the reissue is issued. Under a
 * Multi-year Plan with auto-reissue, DigiCert requests the reissue itself about 30 days before the certificate
 * expires, so the order is `reissue_pending` exactly when a stalled reissue must be announced.
 *
 * Only an order's own status: a renewal order silences the order it renews when *it* is `issued`, and a
 * duplicate is tracked when its status is `issued`.
 */
export const WATCHED_ORDER_STATUSES: readonly string[] = ['issued', 'reissue_pending'];

/** Whether an order with this status has a live certificate to watch. */
export const isWatchedStatus = (status: string): boolean => WATCHED_ORDER_STATUSES.includes(status);
