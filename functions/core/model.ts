/**
 * The domain model shared by the core, its ports and the adapters. Plain data, no I/O.
 */
import type { Mute } from './mutes.ts';

/** A threshold in days (7 = "7 days or fewer left"), or `expired`. Smaller days are tighter; `expired` is tightest. */
export type AlertLevel = number | 'expired';

export interface Contact {
  role: 'technical' | 'organization' | 'requester';
  name: string;
  email: string;
}

export interface Product {
  nameId: string;
  name: string;
  type: string;
}

/** One validated row of `GET /report/order`, reduced to what the alert rules and the event need. */
export interface ReportOrder {
  orderId: number;
  /** Open set: `issued`, `revoked`, `pending`, … (an unknown value is kept as is). */
  status: string;
  commonName: string;
  dnsNames: string[];
  /** `yyyy-MM-dd`, or null when the order has no issued certificate. */
  validTill: string | null;
  /** `yyyy-MM-dd`: when the certificate's validity began (its lifetime decides which thresholds apply). */
  validFrom: string | null;
  /**
   * What identifies the order's certificates in its report row (status, valid_till, thumbprint, serial number,
   * has_duplicates): when it changes, what was remembered of the order (detail, duplicates) is asked again.
   */
  fingerprint: string;
  /** `disable_renewal_notifications=1`: the order's renewal notices are switched off in CertCentral. */
  disableRenewalNotifications: boolean;
  /** `auto_renew`: how many automatic renewals are left (0: off). */
  autoRenew: number;
  containerId: number | null;
  containerName: string;
  organizationName: string;
  product: Product;
  isRenewed: boolean;
  /** On a renewal row: the id of the previous order that this order renews. */
  renewedOrderId: number | null;
  hasDuplicates: boolean;
  technicalContact: Contact | null;
}

/** A row of the report that could not be used: skipped, counted and reported, never fatal. */
export interface SkippedRow {
  /** 1-based data row number across the whole report (header excluded). */
  row: number;
  /** The raw `order_id` value when it could be read. */
  orderId: string | null;
  reason: string;
}

export type ReportRecord = { kind: 'order'; order: ReportOrder } | { kind: 'skipped'; skipped: SkippedRow };

export interface Subaccount {
  accountId: number;
  organizationName: string;
}

/** An order's Multi-year Plan and automation, as the order detail tells them (absent fields: not a plan). */
export interface Plan {
  multiYear: boolean;
  /** The plan's coverage (`order_valid_till`), for a Multi-year Plan. */
  orderValidTill: string | null;
  autoRenew: number;
  autoReissue: boolean;
}

export const NO_PLAN: Plan = { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false };

/** `renew`: buy the next certificate. `reissue`: a Multi-year Plan covers past this certificate, reissue it. */
export type CertificateAction = 'renew' | 'reissue';

/** Order detail normalised from `GET /order/certificate/{id}` or `GET /account/subaccount/order/{id}`. */
export interface OrderDetail {
  orderId: number;
  status: string;
  certificateId: number | null;
  commonName: string | null;
  dnsNames: string[];
  validTill: string | null;
  validFrom: string | null;
  organization: string | null;
  container: string | null;
  product: Product | null;
  contacts: Contact[];
  subaccount: Subaccount | null;
  plan: Plan;
  /** The detail's `disable_renewal_notifications`, when it has one. */
  disableRenewalNotifications: boolean | null;
}

/** The outcome of asking one order-detail endpoint: 404 and (non-key) 403 are "not here", not errors. */
export type OrderLookup = { found: true; detail: OrderDetail } | { found: false; status: 403 | 404 };

/** One certificate of `GET /order/certificate/{id}/duplicate`. */
export interface DuplicateCertificate {
  id: number;
  status: string;
  commonName: string;
  dnsNames: string[];
  validFrom: string | null;
  validTill: string | null;
}

export type NotificationType = 'certificate.expiring' | 'certificate.expired' | 'certificate.renewed';
export type Severity = 'info' | 'warning' | 'critical';

export interface RenewalInfo {
  orderId: number;
  status: string;
}

/** The public contract: one alert, as JSON. Add fields, never rename. */
export interface NotificationEvent {
  type: NotificationType;
  orderId: number;
  certificateId: number | null;
  duplicate: boolean;
  threshold: number | null;
  daysRemaining: number;
  validTill: string;
  commonName: string;
  dnsNames: string[];
  status: string;
  product: Product;
  organization: string;
  container: string;
  subaccount: Subaccount | null;
  renewal: RenewalInfo | null;
  contacts: Contact[];
  severity: Severity;
  /** `reissue` when a Multi-year Plan covers past this certificate (nothing to buy), else `renew`. */
  action: CertificateAction;
  plan: Plan;
  scannedAt: string;
  /**
   * The order in the CertCentral console of the account's region (a `certificate.renewed` notice: the order that
   * renewed it, when there is one). Null in events published before links were added.
   */
  orderUrl: string | null;
  /** A sample sent by `expiry-alerts test-alert` or the stack's test function: no certificate needs anything. */
  test: boolean;
}

/** What the scan knows of a certificate from earlier scans. */
export interface CertState {
  /** `order#<orderId>` for an order's own certificate, `dup#<certificateId>` for a duplicate. */
  certKey: string;
  orderId: number;
  /** The `valid_till` the announced level refers to. */
  validTill: string | null;
  /** The last level announced for that `validTill`, or null when nothing was announced yet. */
  announced: AlertLevel | null;
  /**
   * The severity of the last alert announced (its `certificate.renewed` notice carries it, so that whoever was
   * warned hears the all-clear). Absent for items stored before it was kept: `announcedSeverity()` falls back to
   * the severity the announced level implies.
   */
  announcedSeverity?: Severity;
  /**
   * The valid_till the scan had for the certificate when it was announced: the report row's (a duplicate's: its
   * listing's, or the report row's when the listing has none). `validTill` is the order detail's, which wins;
   * the two differ while the report lags behind a reissue (or runs ahead of the detail). The scan tells a
   * renewal by its date moving later than both. Absent for items stored before it was kept.
   */
  reportValidTill?: string;
}

/** A duplicate certificate as its order's duplicates listing said, kept between scans. */
export interface DuplicateFact {
  id: number;
  status: string;
  commonName: string;
  validFrom: string | null;
  validTill: string | null;
}

/** What the order detail said, remembered while the order's report row keeps the same fingerprint. */
export interface DetailFact {
  fingerprint: string;
  /** The detail's status (`issued`, `revoked`, …), or `not-found` when neither order endpoint knew the order. */
  status: string;
  checkedAt: string;
  plan: Plan;
}

/** The order's last duplicates listing. */
export interface DuplicatesFact {
  /** The report row's fingerprint when it was listed. */
  fingerprint: string;
  listedAt: string;
  certificates: DuplicateFact[];
}

/** What the state remembers of an order beyond its certificates' announcements. */
export interface OrderFacts {
  orderId: number;
  detail: DetailFact | null;
  duplicates: DuplicatesFact | null;
  /** The subaccount the order belongs to, once an order detail found it through the subaccount endpoint. */
  subaccount?: Subaccount | null;
}

/** Everything the scan reads from the state, once per scan. */
export interface StateSnapshot {
  /** By `order#…` / `dup#…`. */
  certificates: ReadonlyMap<string, CertState>;
  /** By order id. */
  orders: ReadonlyMap<number, OrderFacts>;
  /** Every mute the store holds, active and ended (`mutes.ts` says which are active). */
  mutes?: readonly Mute[];
}

/**
 * How an individual event reaches people. `digested`: the scan produced a flood, so email and Slack get one
 * digest instead and filter these out; machine subscribers (and `scan --json`) still get every event.
 */
export type Delivery = 'individual' | 'digested';

/** One message summing up a flood of alerts, sorted by days left and grouped by severity. */
export interface AlertDigest {
  type: 'digest';
  scannedAt: string;
  /** The route whose alerts it lists (only those matching the route's filters); null: every alert of the scan. */
  route: string | null;
  total: number;
  bySeverity: Record<Severity, number>;
  alerts: NotificationEvent[];
}
