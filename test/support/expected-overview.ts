/**
 * What `list` should show, worked out from the simulated account alone (and the simulator's date arithmetic), apart
 * from the app's code: every watched certificate, an order's own and each issued duplicate, expiring within the
 * window or expired within the 30-day look-back, fewest days left first.
 */
import type { SimAccount } from '../certcentral-sim/account.ts';
import { daysBetween } from '../certcentral-sim/dates.ts';
import { LIVE_STATUSES } from './expected-alerts.ts';

const LOOKBACK_DAYS = 30;

export interface ExpectedRow {
  orderId: number;
  certificateId: number | null;
  commonName: string;
  validTill: string;
  daysRemaining: number;
  renewal: { orderId: number; status: string } | null;
  /** The order's container, and the certificate's severity (critical 3 days or fewer and expired, warning 14). */
  container: string;
  severity: 'info' | 'warning' | 'critical';
}

export function expectedOverview(account: SimAccount, day: string, withinDays: number): ExpectedRow[] {
  const renewals = new Map<number, { orderId: number; status: string }[]>();
  for (const order of account.orders()) {
    if (order.renewedOrderId === null || !order.inReport) continue;
    const list = renewals.get(order.renewedOrderId) ?? [];
    list.push({ orderId: order.id, status: order.reportStatus ?? order.status });
    renewals.set(order.renewedOrderId, list);
  }
  const rows: ExpectedRow[] = [];
  for (const order of account.orders()) {
    const reportStatus = order.reportStatus ?? order.status;
    if (!order.inReport || !LIVE_STATUSES.has(reportStatus) || !LIVE_STATUSES.has(order.status)) continue;
    if (!order.validTill) continue;
    if (order.disableRenewalNotifications) continue;
    const orderRenewals = renewals.get(order.id) ?? [];
    if (orderRenewals.some((renewal) => renewal.status === 'issued')) continue;
    if (daysBetween(day, order.validTill) < -LOOKBACK_DAYS) continue;
    const renewal = orderRenewals[0] ?? null;
    const certificates = [
      { certificateId: null, commonName: order.commonName, validTill: order.validTill },
      ...order.duplicates
        .filter((duplicate) => duplicate.status === 'issued')
        .map((duplicate) => ({
          certificateId: duplicate.id,
          commonName: duplicate.commonName,
          validTill: duplicate.validTill ?? (order.validTill as string),
        })),
    ];
    for (const certificate of certificates) {
      const daysRemaining = daysBetween(day, certificate.validTill);
      if (daysRemaining > withinDays || daysRemaining < -LOOKBACK_DAYS) continue;
      const severity = daysRemaining <= 3 ? 'critical' : daysRemaining <= 14 ? 'warning' : 'info';
      rows.push({
        orderId: order.id,
        ...certificate,
        daysRemaining,
        renewal,
        container: order.container.name,
        severity,
      });
    }
  }
  return rows.sort(
    (a, b) =>
      a.daysRemaining - b.daysRemaining ||
      a.commonName.localeCompare(b.commonName) ||
      a.orderId - b.orderId ||
      (a.certificateId ?? 0) - (b.certificateId ?? 0),
  );
}
