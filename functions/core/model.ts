/**
 * The domain model shared by the core, its ports and the adapters. Plain data, no I/O.
 */

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

/** Order detail normalised from `GET /order/certificate/{id}` or `GET /account/subaccount/order/{id}`. */
export interface OrderDetail {
  orderId: number;
  status: string;
  certificateId: number | null;
  commonName: string | null;
  dnsNames: string[];
  validTill: string | null;
  organization: string | null;
  container: string | null;
  product: Product | null;
  contacts: Contact[];
  subaccount: Subaccount | null;
}

/** The outcome of asking one order-detail endpoint: 404 and (non-key) 403 are "not here", not errors. */
export type OrderLookup = { found: true; detail: OrderDetail } | { found: false; status: 403 | 404 };

/** One certificate of `GET /order/certificate/{id}/duplicate`. */
export interface DuplicateCertificate {
  id: number;
  status: string;
  commonName: string;
  dnsNames: string[];
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
  scannedAt: string;
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
}

export type StateSnapshot = ReadonlyMap<string, CertState>;

/**
 * How an individual event reaches people. `digested`: the scan produced a flood, so email and Slack get one
 * digest instead and filter these out; machine subscribers (and `scan --json`) still get every event.
 */
export type Delivery = 'individual' | 'digested';

/** One message summing up a flood of alerts, sorted by days left and grouped by severity. */
export interface AlertDigest {
  type: 'digest';
  scannedAt: string;
  total: number;
  bySeverity: Record<Severity, number>;
  alerts: NotificationEvent[];
}
