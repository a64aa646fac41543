/**
 * The overview people ask for ("what expires in the next 30 days?"): every watched certificate, an order's own
 * and its duplicates, that expires within N days or expired within the look-back, most urgent first, with what
 * the state knows of it (the last alert announced, a mute, the subaccount) and what the report says (a pending
 * renewal, the product). `list` prints it; the weekly summary sends it.
 *
 * Decided from the report and the stored state alone, with the scan's watch rules: excluded products,
 * CertCentral's notification switch, orders known to be no longer issued, and orders whose renewal is issued are
 * left out. Duplicates come from each order's remembered listing (the scans keep it current). Fed one report row
 * at a time; only the rows in the window are kept.
 */
import { duplicateCertKey, issuedDuplicates, orderCertKey, watchVerdict } from './candidates.ts';
import { actionFor } from './certificate-rules.ts';
import type { AlertPolicy } from './config.ts';
import { daysRemaining, severityFor } from './levels.ts';
import type {
  AlertLevel,
  CertificateAction,
  CertState,
  Product,
  RenewalInfo,
  ReportOrder,
  Severity,
  StateSnapshot,
  Subaccount,
} from './model.ts';
import { ActiveMutes } from './mutes.ts';
import { currentDetail, planOf } from './order-facts.ts';
import { isWatchedStatus } from './order-status.ts';

/** `list`'s default window, in days. */
export const DEFAULT_WITHIN_DAYS = 30;

export interface OverviewMute {
  until: string;
  reason: string;
  by: string;
}

/** One certificate of the overview. */
export interface OverviewRow {
  orderId: number;
  /** The duplicate's id; null for the order's own certificate (the report does not carry its id). */
  certificateId: number | null;
  duplicate: boolean;
  commonName: string;
  validTill: string;
  /** Negative once expired. */
  daysRemaining: number;
  severity: Severity;
  /** The last level announced for this certificate and this `validTill`, or null. */
  lastAnnounced: AlertLevel | null;
  /** The active mute that covers it, or null. */
  mute: OverviewMute | null;
  /** A renewal that exists but is not issued yet. */
  renewal: RenewalInfo | null;
  action: CertificateAction;
  product: Product;
  organization: string;
  container: string;
  /** Known once an alert found the order through the subaccount endpoint. */
  subaccount: Subaccount | null;
}

/** Most urgent first: fewest days left (the longest expired first), then name, order and certificate. */
export function byDaysLeft(a: OverviewRow, b: OverviewRow): number {
  return (
    a.daysRemaining - b.daysRemaining ||
    a.commonName.localeCompare(b.commonName) ||
    a.orderId - b.orderId ||
    (a.certificateId ?? 0) - (b.certificateId ?? 0)
  );
}

export interface OverviewOptions {
  policy: AlertPolicy;
  scannedAt: Date;
  state: StateSnapshot;
  /** Certificates expiring within this many days (and expired within the look-back). */
  withinDays: number;
}

export class OverviewCollector {
  private readonly rows = new Map<number, Omit<OverviewRow, 'renewal'>[]>();
  private readonly renewals = new Map<number, RenewalInfo>();
  private readonly mutes: ActiveMutes;

  constructor(private readonly options: OverviewOptions) {
    this.mutes = new ActiveMutes(options.state.mutes ?? [], options.scannedAt);
  }

  add(order: ReportOrder): void {
    if (order.renewedOrderId !== null) this.recordRenewal(order.renewedOrderId, order);
    const { policy, scannedAt, state, withinDays } = this.options;
    if (!isWatchedStatus(order.status) || order.validTill === null) return;
    const facts = state.orders.get(order.orderId);
    if (watchVerdict(order, facts, policy, scannedAt) !== 'watched') return;

    const plan = planOf(order, currentDetail(order, facts)?.plan ?? null);
    const listing = order.hasDuplicates ? (facts?.duplicates?.certificates ?? []) : [];
    const certificates = [
      {
        certKey: orderCertKey(order.orderId),
        certificateId: null,
        commonName: order.commonName,
        validTill: order.validTill,
      },
      ...issuedDuplicates(listing, order.validTill).map((duplicate) => ({
        certKey: duplicateCertKey(duplicate.id),
        certificateId: duplicate.id,
        commonName: duplicate.commonName || order.commonName,
        validTill: duplicate.validTill,
      })),
    ];
    const kept: Omit<OverviewRow, 'renewal'>[] = [];
    for (const certificate of certificates) {
      const days = daysRemaining(certificate.validTill, scannedAt);
      if (days > withinDays || days < -policy.expiredLookbackDays) continue;
      const mute = this.mutes.muteOf(order.orderId, certificate.certKey);
      kept.push({
        orderId: order.orderId,
        certificateId: certificate.certificateId,
        duplicate: certificate.certificateId !== null,
        commonName: certificate.commonName,
        validTill: certificate.validTill,
        daysRemaining: days,
        severity: severityFor(days),
        lastAnnounced: lastAnnounced(state.certificates.get(certificate.certKey), certificate.validTill),
        mute: mute ? { until: mute.until, reason: mute.reason, by: mute.by } : null,
        action: actionFor(plan, certificate.validTill),
        product: order.product,
        organization: order.organizationName,
        container: order.containerName,
        subaccount: facts?.subaccount ?? null,
      });
    }
    if (kept.length > 0) this.rows.set(order.orderId, kept);
  }

  /** The rows, most urgent first; orders whose renewal is issued are left out. */
  finish(): OverviewRow[] {
    const rows: OverviewRow[] = [];
    for (const [orderId, kept] of this.rows) {
      const renewal = this.renewals.get(orderId) ?? null;
      if (renewal?.status === 'issued') continue;
      for (const row of kept) rows.push({ ...row, renewal });
    }
    return rows.sort(byDaysLeft);
  }

  private recordRenewal(previousOrderId: number, renewal: ReportOrder): void {
    if (this.renewals.get(previousOrderId)?.status === 'issued') return;
    this.renewals.set(previousOrderId, { orderId: renewal.orderId, status: renewal.status });
  }
}

function lastAnnounced(known: CertState | undefined, validTill: string): AlertLevel | null {
  return known !== undefined && known.validTill === validTill ? known.announced : null;
}

/** The overview of a whole report. */
export async function overviewOf(
  orders: AsyncIterable<ReportOrder> | Iterable<ReportOrder>,
  options: OverviewOptions,
): Promise<OverviewRow[]> {
  const collector = new OverviewCollector(options);
  for await (const order of orders) collector.add(order);
  return collector.finish();
}
