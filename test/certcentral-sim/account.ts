/**
 * The simulated CertCentral account: its orders, looked up by id, and the changes tests make to it between
 * scans (revocations, renewals, reissues, duplicates, new orders).
 */
import { CONTACTS, CONTAINERS, CSRS, ORGANIZATIONS, PRODUCTS, USERS } from './catalog.ts';
import { addDays, toEpochDay } from './dates.ts';
import { SimulatorInputError } from './errors.ts';

export interface SimContainer {
  id: number;
  name: string;
}

export interface SimOrganization {
  id: number;
  name: string;
  assumedName: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  /** The organization unit on the certificate. */
  unit: string;
}

export interface SimProduct {
  id: number;
  nameId: string;
  name: string;
  type: string;
  validationType: 'dv' | 'ov' | 'ev';
}

export interface SimContact {
  firstName: string;
  lastName: string;
  email: string;
  jobTitle: string;
  telephone: string;
}

export interface SimUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

export interface SimMetadataField {
  id: number;
  label: string;
  value: string;
}

export interface SimSubaccount {
  accountId: number;
  accountType: string;
  organizationName: string;
  /** Orders of an immediate subaccount carry `certificate` and `organization` on the subaccount endpoint. */
  immediate: boolean;
  /** What `GET /order/certificate/{id}` answers for this subaccount's orders. */
  orderEndpointStatus: 403 | 404;
}

export type DuplicateStatus = 'approved' | 'issued' | 'pending' | 'rejected';

export interface SimDuplicate {
  /** The duplicate certificate's id. */
  id: number;
  status: DuplicateStatus;
  commonName: string;
  dnsNames: string[];
  /** UTC, `yyyy-MM-dd HH:mm:ss`. */
  dateCreated: string;
  validFrom: string | null;
  validTill: string | null;
}

/** A Multi-year Plan: the order's coverage, beyond the certificate's own validity. */
export interface SimPlan {
  orderValidFrom: string;
  orderValidTill: string;
  autoReissue: boolean;
}

export interface SimOrder {
  id: number;
  /** The status the order endpoints answer. */
  status: string;
  /** The status the report shows when it lags behind `status` (revoked since the report was made), else null. */
  reportStatus: string | null;
  commonName: string;
  dnsNames: string[];
  /** UTC, `yyyy-MM-dd HH:mm:ss`. */
  dateCreated: string;
  validFrom: string | null;
  validTill: string | null;
  validityYears: number;
  /** The order's primary certificate, assigned when the order is placed (a reissue replaces it). */
  certificateId: number;
  container: SimContainer;
  organization: SimOrganization;
  product: SimProduct;
  technicalContact: SimContact;
  user: SimUser;
  isRenewed: boolean;
  /** On a renewal: the previous order, which this order renews. */
  renewedOrderId: number | null;
  duplicates: SimDuplicate[];
  subaccount: SimSubaccount | null;
  /** `auto_renew`: renewals left (0: off). */
  autoRenew: number;
  /** `disable_renewal_notifications`. */
  disableRenewalNotifications: boolean;
  /** A Multi-year Plan, or null for a plain order. */
  plan: SimPlan | null;
  /** False for an order the report does not list (yet). */
  inReport: boolean;
  csr: string;
  metadata: SimMetadataField[];
  /** USD. */
  cost: number;
  /**
   * Report cells written as they are, instead of the order's quoted value, by column name: a corrupt row,
   * e.g. `{ valid_till: '"2026-02-30"' }` or a broken quote `{ organization_name: '"Acme "Labs" Ltd"' }`.
   */
  rawReportCells?: Readonly<Record<string, string>>;
}

export type RenewOptions = { status: 'issued'; validTill: string } | { status: 'pending' };

export interface DuplicateOptions {
  status: DuplicateStatus;
  commonName?: string;
  dnsNames?: string[];
  /** Defaults to the order's `valid_till` for `issued` and `approved`, none otherwise. */
  validTill?: string | null;
  /** Defaults to 397 days before `validTill`. */
  validFrom?: string | null;
}

/** Statuses under which an order carries a certificate with validity dates. */
const CERTIFIED_STATUSES = new Set(['issued', 'revoked', 'expired', 'reissue_pending']);

/** Validity of a new certificate: 397 days, the CA/B Forum maximum. */
const VALIDITY_DAYS = 397;

const validFromFor = (validTill: string): string => addDays(validTill, -VALIDITY_DAYS);

export class SimAccount {
  private readonly byId = new Map<number, SimOrder>();
  private sorted: SimOrder[] | null = null;
  private lastOrderId = 100_000;
  private lastCertificateId = 500_000;

  /** @param today the date new orders, renewals, reissues and duplicates are placed on (`yyyy-MM-dd`). */
  constructor(
    orders: Iterable<SimOrder>,
    readonly today: string,
  ) {
    toEpochDay(today, 'today');
    for (const order of orders) this.insert(order);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every order, sorted by id. */
  orders(): readonly SimOrder[] {
    this.sorted ??= [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.sorted;
  }

  find(orderId: number): SimOrder | undefined {
    return this.byId.get(orderId);
  }

  get(orderId: number): SimOrder {
    const order = this.byId.get(orderId);
    if (!order) throw new SimulatorInputError(`order ${orderId} is not in the simulated account`);
    return order;
  }

  /** Revokes the order; with `reportLags`, the report keeps showing the status it had. */
  revoke(orderId: number, options: { reportLags?: boolean } = {}): SimOrder {
    const order = this.get(orderId);
    order.reportStatus = options.reportLags ? (order.reportStatus ?? order.status) : null;
    order.status = 'revoked';
    return order;
  }

  /** Places a renewal of the order: the old order becomes `is_renewed`, the new one points back to it. */
  renew(orderId: number, options: RenewOptions): SimOrder {
    const previous = this.get(orderId);
    const issued = options.status === 'issued';
    const validTill = issued ? options.validTill : null;
    if (validTill !== null) this.requireLaterThan(previous, validTill, 'renewal validTill');
    previous.isRenewed = true;
    return this.addOrder({
      status: options.status,
      validTill,
      renewedOrderId: previous.id,
      commonName: previous.commonName,
      dnsNames: [...previous.dnsNames],
      validityYears: previous.validityYears,
      container: previous.container,
      organization: previous.organization,
      product: previous.product,
      technicalContact: previous.technicalContact,
      user: previous.user,
      subaccount: previous.subaccount,
      autoRenew: Math.max(0, previous.autoRenew - 1),
      csr: previous.csr,
      metadata: previous.metadata,
      cost: previous.cost,
    });
  }

  /** Reissues the order's certificate with a later `valid_till`: same order, new certificate. */
  reissue(orderId: number, newValidTill: string): SimOrder {
    const order = this.get(orderId);
    this.requireLaterThan(order, newValidTill, 'reissue validTill');
    order.validFrom = validFromFor(newValidTill);
    order.validTill = newValidTill;
    order.certificateId = this.nextCertificateId();
    return order;
  }

  addDuplicate(orderId: number, options: DuplicateOptions): SimDuplicate {
    const order = this.get(orderId);
    const certified = options.status === 'issued' || options.status === 'approved';
    const validTill =
      options.validTill === undefined ? (certified ? order.validTill : null) : options.validTill;
    if (validTill !== null) toEpochDay(validTill, 'duplicate validTill');
    const duplicate: SimDuplicate = {
      id: this.nextCertificateId(),
      status: options.status,
      commonName: options.commonName ?? order.commonName,
      dnsNames: options.dnsNames ?? [...order.dnsNames],
      dateCreated: `${this.today} 11:00:00`,
      validFrom: options.validFrom !== undefined ? options.validFrom : validTill && validFromFor(validTill),
      validTill,
    };
    order.duplicates.push(duplicate);
    return duplicate;
  }

  /**
   * Adds an order; what `fields` leaves out is filled in: an issued Standard SSL order for
   * `order-<id>.example.com`, valid for 397 days from `today` when its status carries a certificate.
   */
  addOrder(fields: Partial<SimOrder> = {}): SimOrder {
    const id = fields.id ?? this.lastOrderId + 1;
    const status = fields.status ?? 'issued';
    const validTill =
      fields.validTill !== undefined
        ? fields.validTill
        : CERTIFIED_STATUSES.has(status)
          ? addDays(this.today, VALIDITY_DAYS)
          : null;
    if (validTill !== null) toEpochDay(validTill, `order ${id} validTill`);
    const validFrom =
      fields.validFrom !== undefined ? fields.validFrom : validTill && validFromFor(validTill);
    const commonName = fields.commonName ?? `order-${id}.example.com`;
    const order: SimOrder = {
      reportStatus: null,
      dnsNames: [commonName],
      dateCreated: `${validFrom ?? this.today} 08:00:00`,
      validityYears: 1,
      container: CONTAINERS[0] as SimContainer,
      organization: ORGANIZATIONS[0] as SimOrganization,
      product: PRODUCTS.standard,
      technicalContact: CONTACTS[0] as SimContact,
      user: USERS[0] as SimUser,
      isRenewed: false,
      renewedOrderId: null,
      subaccount: null,
      autoRenew: 0,
      disableRenewalNotifications: false,
      plan: null,
      inReport: true,
      csr: CSRS[0] as string,
      metadata: [],
      cost: 218,
      ...fields,
      duplicates: fields.duplicates ? [...fields.duplicates] : [],
      id,
      status,
      commonName,
      validFrom,
      validTill,
      certificateId: fields.certificateId ?? this.nextCertificateId(),
    };
    this.insert(order);
    return order;
  }

  private insert(order: SimOrder): void {
    if (this.byId.has(order.id)) throw new SimulatorInputError(`order ${order.id} already exists`);
    this.byId.set(order.id, order);
    this.sorted = null;
    this.lastOrderId = Math.max(this.lastOrderId, order.id);
    const certificateIds = [order.certificateId, ...order.duplicates.map((duplicate) => duplicate.id)];
    this.lastCertificateId = Math.max(this.lastCertificateId, ...certificateIds);
  }

  private nextCertificateId(): number {
    this.lastCertificateId += 1;
    return this.lastCertificateId;
  }

  private requireLaterThan(order: SimOrder, validTill: string, field: string): void {
    const next = toEpochDay(validTill, field);
    if (order.validTill !== null && next <= toEpochDay(order.validTill, 'validTill')) {
      throw new SimulatorInputError(
        `${field}: ${validTill} is not later than order ${order.id}'s valid_till ${order.validTill}`,
      );
    }
  }
}
