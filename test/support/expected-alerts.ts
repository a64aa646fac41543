/**
 * What a scan should announce, worked out from the simulated account alone with the rules of DESIGN.md, written
 * apart from the app's code (and with the simulator's date arithmetic) so that the integration tests check the
 * app against an independent reading of the rules: each certificate (an order's own, each issued duplicate) with
 * its own dates and thresholds, automation, CertCentral's notification switch. An order is watched while the
 * report and the order endpoint both show it live (`LIVE_STATUSES`).
 */
import type { NotificationEvent } from '../../functions/core/model.ts';
import type { SimAccount, SimOrder } from '../certcentral-sim/account.ts';
import { daysBetween } from '../certcentral-sim/dates.ts';

/** The command's defaults. */
const THRESHOLDS: readonly number[] = [90, 60, 30, 14, 7, 3, 1];
const LOOKBACK_DAYS = 30;
const LIFETIME_FRACTION = 0.5;
const AUTOMATION_LEAD_DAYS = 30;

type Level = number | 'expired';

/**
 * The statuses of an order whose certificate is live: issued, and reissue_pending (a reissue was requested; the
 * current certificate stays in use until it is issued).
 */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(['issued', 'reissue_pending']);

/** A certificate the account should alert on, at its tightest level on the day asked about. */
export interface ExpectedAlert {
  /** `order <id>` for an order's own certificate, `certificate <id>` for a duplicate. */
  cert: string;
  orderId: number;
  /** Null for an order of a sub-subaccount, whose detail does not show the certificate. */
  certificateId: number | null;
  duplicate: boolean;
  validTill: string;
  daysRemaining: number;
  level: Level;
  /** The renewal that exists but is not issued yet. */
  renewal: { orderId: number; status: string } | null;
}

/**
 * The thresholds of one certificate: at most half its lifetime, below 30 days when DigiCert renews or reissues
 * it by itself, the smallest always.
 */
function thresholdsFor(validFrom: string | null, validTill: string, automated: boolean): number[] {
  const lifetime = validFrom === null ? null : daysBetween(validFrom, validTill);
  const smallest = Math.min(...THRESHOLDS);
  return THRESHOLDS.filter(
    (threshold) =>
      threshold === smallest ||
      ((lifetime === null || lifetime <= 0 || threshold <= LIFETIME_FRACTION * lifetime) &&
        (!automated || threshold < AUTOMATION_LEAD_DAYS)),
  );
}

function levelFor(days: number, thresholds: readonly number[]): Level | null {
  if (days < 0) return days >= -LOOKBACK_DAYS ? 'expired' : null;
  const reached = thresholds.filter((threshold) => days <= threshold);
  return reached.length === 0 ? null : Math.min(...reached);
}

/** DigiCert acts on the order's own certificate: auto-renew, or a plan's auto-reissue that covers past it. */
function automated(order: SimOrder, validTill: string): boolean {
  const { plan } = order;
  const reissues = plan?.autoReissue === true && daysBetween(validTill, plan.orderValidTill) > 0;
  return order.autoRenew > 0 || reissues;
}

/** The key an event's certificate has in these expectations. */
export function certOf(event: Pick<NotificationEvent, 'orderId' | 'certificateId' | 'duplicate'>): string {
  return event.duplicate ? `certificate ${event.certificateId}` : `order ${event.orderId}`;
}

/** `order 100004 @ 7`, `certificate 500123 @ expired`: one crossing, announced once. */
export function crossingOf(event: NotificationEvent): string {
  return `${certOf(event)} @ ${event.threshold ?? 'expired'}`;
}

const crossing = (alert: ExpectedAlert): string => `${alert.cert} @ ${alert.level}`;

/** The renewals of each order, by the id of the order they renew. */
function renewalsByOrder(account: SimAccount): Map<number, SimOrder[]> {
  const renewals = new Map<number, SimOrder[]>();
  for (const order of account.orders()) {
    if (order.renewedOrderId === null) continue;
    renewals.set(order.renewedOrderId, [...(renewals.get(order.renewedOrderId) ?? []), order]);
  }
  return renewals;
}

/** Every certificate at an alert level on `day`, keyed by `cert`. */
export function expectedAlerts(account: SimAccount, day: string): Map<string, ExpectedAlert> {
  const renewals = renewalsByOrder(account);
  const alerts = new Map<string, ExpectedAlert>();
  for (const order of account.orders()) {
    const reportStatus = order.reportStatus ?? order.status;
    if (!order.inReport || !LIVE_STATUSES.has(order.status) || !LIVE_STATUSES.has(reportStatus)) continue;
    if (!order.validTill) continue;
    if (order.disableRenewalNotifications) continue;
    const orderRenewals = renewals.get(order.id) ?? [];
    if (orderRenewals.some((renewal) => renewal.status === 'issued')) continue;
    const pending = orderRenewals[0];
    const renewal = pending ? { orderId: pending.id, status: pending.status } : null;

    const certificates = [
      {
        cert: `order ${order.id}`,
        certificateId: order.subaccount && !order.subaccount.immediate ? null : order.certificateId,
        duplicate: false,
        validTill: order.validTill,
        thresholds: thresholdsFor(order.validFrom, order.validTill, automated(order, order.validTill)),
      },
      ...order.duplicates
        .filter((duplicate) => duplicate.status === 'issued')
        .map((duplicate) => {
          const validTill = duplicate.validTill ?? (order.validTill as string);
          return {
            cert: `certificate ${duplicate.id}`,
            certificateId: duplicate.id,
            duplicate: true,
            validTill,
            thresholds: thresholdsFor(duplicate.validFrom, validTill, false),
          };
        }),
    ];
    for (const { thresholds, ...certificate } of certificates) {
      const daysRemaining = daysBetween(day, certificate.validTill);
      const level = levelFor(daysRemaining, thresholds);
      if (level !== null) {
        alerts.set(certificate.cert, { ...certificate, orderId: order.id, daysRemaining, level, renewal });
      }
    }
  }
  return alerts;
}

/** The crossings of `day`: certificates whose level is tighter than on `before`, or that had none then. */
export function newCrossings(account: SimAccount, before: string, day: string): string[] {
  const earlier = expectedAlerts(account, before);
  return [...expectedAlerts(account, day).values()]
    .filter((alert) => {
      const previous = earlier.get(alert.cert);
      return previous === undefined || previous.level !== alert.level;
    })
    .map(crossing)
    .sort();
}

/**
 * Every crossing announced by daily scans over `days` (in order) of an account that does not change: each
 * certificate once per distinct level it reaches.
 */
export function crossingsOver(account: SimAccount, days: readonly string[]): string[] {
  const all = new Set<string>();
  for (const day of days) for (const alert of expectedAlerts(account, day).values()) all.add(crossing(alert));
  return [...all].sort();
}

export function crossingsOn(account: SimAccount, day: string): string[] {
  return [...expectedAlerts(account, day).values()].map(crossing).sort();
}

/** The crossings announced by these events, sorted; a crossing announced twice appears twice. */
export function announcedCrossings(events: readonly NotificationEvent[]): string[] {
  return events
    .filter((event) => event.type !== 'certificate.renewed')
    .map(crossingOf)
    .sort();
}
