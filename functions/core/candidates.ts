/**
 * The scan's decision, from the report and the stored state alone (no API calls): which certificates need an
 * alert, which announced certificates were renewed, and which orders need their duplicates listed. Fed one
 * report row at a time; keeps only the rows that can matter (in the alert window, known to the state, or with
 * duplicates), so the report is never held whole.
 *
 * An order's certificates are its own and its issued duplicates, each with its own dates: the duplicates' come
 * from the order's last duplicates listing, kept in the state and refreshed (`order-facts.ts`).
 */
import { type Census, CensusCounter } from './census.ts';
import { type CertificateLevel, certificateLevel, isAutomated } from './certificate-rules.ts';
import type { AlertPolicy } from './config.ts';
import { epochDay, isTighter, lastAnnouncedSeverity } from './levels.ts';
import type {
  AlertLevel,
  CertState,
  DuplicateFact,
  OrderFacts,
  Plan,
  RenewalInfo,
  ReportOrder,
  Severity,
  StateSnapshot,
} from './model.ts';
import { ActiveMutes, type MutedScope } from './mutes.ts';
import {
  currentDetail,
  knownNotIssued,
  type ListingReason,
  listingReason,
  pastLookBack,
  planOf,
  refreshTurns,
} from './order-facts.ts';
import { isWatchedStatus } from './order-status.ts';

/** A certificate the scan found due, at the level it found. */
export interface DueCertificate {
  certKey: string;
  level: AlertLevel;
  daysRemaining: number;
}

export interface AlertCandidate {
  kind: 'alert';
  order: ReportOrder;
  /**
   * The certificates due, most urgent first: the order's own (`order#…`) and duplicates (`dup#…`) from the
   * remembered listing. The alert stage re-evaluates them with the order detail and a fresh listing.
   */
  due: DueCertificate[];
  /** A renewal that exists but is not issued yet. */
  renewal: RenewalInfo | null;
  /** The plan the scan applied, remembered from an earlier order detail (null: none remembered). */
  rememberedPlan: Plan | null;
  /** What was announced for the order's certificates: the alert stage claims only what is still due. */
  announced: CertState[];
  /** The order's certificates under an active mute: the alert stage announces none of them. */
  muted?: MutedScope | null;
}

export interface RenewedCandidate {
  kind: 'renewed';
  order: ReportOrder;
  /** The certificate whose announcement is superseded (`order#…` or `dup#…`). */
  certKey: string;
  /** The valid_till that was announced. */
  announcedValidTill: string;
  renewal: RenewalInfo;
  /** The severity of the last alert announced for it: the notice carries it, so whoever was warned hears it. */
  severity: Severity;
}

/** Nothing found due, but the order's duplicates must be listed (first seen, row changed, refresh turn). */
export interface DuplicatesCandidate {
  kind: 'duplicates';
  order: ReportOrder;
  reason: ListingReason;
  renewal: RenewalInfo | null;
  /** What was announced for the order's certificates, so that a listing with nothing new costs one call. */
  announced: CertState[];
  /** The order's certificates under an active mute: the alert stage announces none of them. */
  muted?: MutedScope | null;
}

export type Candidate = AlertCandidate | RenewedCandidate | DuplicatesCandidate;

/** Orders the scan leaves alone, by why. */
export interface UnwatchedCounts {
  /** `excludeProducts`. */
  excluded: number;
  /** `disable_renewal_notifications=1` in CertCentral. */
  notificationsOff: number;
  /** The order detail said it is no longer issued (nor reissue_pending), and the report row has not changed since. */
  knownNotIssued: number;
}

/** Whether an order is watched, or why not (`UnwatchedCounts`). */
export type WatchVerdict = 'watched' | keyof UnwatchedCounts;

/** The watch rules: excluded products, CertCentral's notification switch, an order known to be no longer issued. */
export function watchVerdict(
  order: ReportOrder,
  facts: OrderFacts | undefined,
  policy: AlertPolicy,
  scannedAt: Date,
): WatchVerdict {
  if (isExcluded(order, policy)) return 'excluded';
  if (order.disableRenewalNotifications && policy.followCertCentralNotificationSetting) {
    return 'notificationsOff';
  }
  if (knownNotIssued(order, facts, policy, scannedAt)) return 'knownNotIssued';
  return 'watched';
}

export const orderCertKey = (orderId: number): string => `order#${orderId}`;
export const duplicateCertKey = (certificateId: number): string => `dup#${certificateId}`;

/** The certificate id of a `dup#…` key, or null for an order's own certificate. */
export const duplicateIdOf = (certKey: string): number | null =>
  certKey.startsWith('dup#') ? Number(certKey.slice(4)) : null;

/** The state of every certificate of each order (its own and its duplicates'), by order id. */
function statesByOrder(certificates: ReadonlyMap<string, CertState>): Map<number, CertState[]> {
  const byOrder = new Map<number, CertState[]>();
  for (const cert of certificates.values()) {
    const list = byOrder.get(cert.orderId);
    if (list) list.push(cert);
    else byOrder.set(cert.orderId, [cert]);
  }
  return byOrder;
}

const isLater = (a: string, b: string): boolean => (epochDay(a) ?? 0) > (epochDay(b) ?? 0);

/**
 * Whether an announced certificate was renewed: the date the scan has for it now (the report row's; a
 * duplicate's listing's) is later than both dates it had when announced, the announced one (the order detail's,
 * which wins) and the one the scan had then (`reportValidTill`). Against the announced date alone, a report
 * that stays later than the detail would read as a renewal on every scan, and the announcement would loop
 * (renewed, alert, renewed, …); against the report's alone, a report catching up with a reissue already
 * announced from the detail would read as one, and its alert would go out twice.
 */
export function isRenewedSince(nowValidTill: string, cert: CertState): boolean {
  if (cert.validTill === null) return false;
  return (
    isLater(nowValidTill, cert.validTill) && isLater(nowValidTill, cert.reportValidTill ?? cert.validTill)
  );
}

/** Whether `level` should be announced given what was announced for the certificate. */
export function isDue(level: AlertLevel, validTill: string, known: CertState | undefined): boolean {
  return known === undefined || known.validTill !== validTill || isTighter(level, known.announced);
}

/** Does the product exclusion list name this order's product (by type or by name id)? */
export function isExcluded(order: ReportOrder, policy: Pick<AlertPolicy, 'excludeProducts'>): boolean {
  return policy.excludeProducts.some((id) => id === order.product.type || id === order.product.nameId);
}

/**
 * The issued duplicates of a listing, each with its own dates (one issued without a `valid_till` runs to the
 * order's).
 */
export function issuedDuplicates<D extends Pick<DuplicateFact, 'status' | 'validTill'>>(
  certificates: readonly D[],
  orderValidTill: string,
): (D & { validTill: string })[] {
  return certificates
    .filter((duplicate) => duplicate.status === 'issued')
    .map((duplicate) => ({ ...duplicate, validTill: duplicate.validTill ?? orderValidTill }));
}

export class CandidateCollector {
  private readonly kept = new Map<number, ReportOrder>();
  private readonly renewals = new Map<number, RenewalInfo>();
  private readonly stateByOrder: Map<number, CertState[]>;
  readonly unwatched: UnwatchedCounts = { excluded: 0, notificationsOff: 0, knownNotIssued: 0 };
  private readonly mutes: ActiveMutes;
  private readonly census: CensusCounter;

  constructor(
    private readonly policy: AlertPolicy,
    private readonly scannedAt: Date,
    private readonly state: StateSnapshot,
  ) {
    this.stateByOrder = statesByOrder(state.certificates);
    this.mutes = new ActiveMutes(state.mutes ?? [], scannedAt);
    this.census = new CensusCounter(policy, scannedAt, this.mutes);
  }

  add(order: ReportOrder): void {
    if (order.renewedOrderId !== null) this.recordRenewal(order.renewedOrderId, order);
    if (!isWatchedStatus(order.status) || order.validTill === null) return;
    if (!this.isWatched(order)) return;
    this.census.add(order.orderId, [
      { certKey: orderCertKey(order.orderId), validTill: order.validTill },
      ...this.listedDuplicates(order).map((duplicate) => ({
        certKey: duplicateCertKey(duplicate.id),
        validTill: duplicate.validTill,
      })),
    ]);
    const kept =
      this.stateByOrder.has(order.orderId) ||
      (order.hasDuplicates && !pastLookBack(order, this.policy, this.scannedAt)) ||
      this.ownLevel(order).level !== null;
    if (kept) this.kept.set(order.orderId, order);
  }

  /** The candidates: alerts most urgent first, then renewed notices, then duplicates listings. */
  finish(): Candidate[] {
    const candidates: Candidate[] = [];
    for (const order of this.kept.values()) candidates.push(...this.decide(order));
    const alerted = new Set(
      candidates
        .filter((candidate) => candidate.kind === 'alert')
        .map((candidate) => candidate.order.orderId),
    );
    candidates.push(...this.listings(alerted));
    return candidates.sort((a, b) => urgency(a) - urgency(b) || a.order.orderId - b.order.orderId);
  }

  /** The watched certificates by band and the muted ones, once every report row has been added. */
  censusOf(): Census {
    return this.census.finish((orderId) => this.renewals.get(orderId)?.status === 'issued');
  }

  /** `{ muted }` when something of the order is muted; nothing otherwise (it travels in every SQS message). */
  private mutedScope(order: ReportOrder): { muted?: MutedScope } {
    const scope = this.mutes.scopeOf(order.orderId);
    return scope ? { muted: scope } : {};
  }

  private isWatched(order: ReportOrder): boolean {
    const verdict = watchVerdict(order, this.facts(order), this.policy, this.scannedAt);
    if (verdict === 'watched') return true;
    this.unwatched[verdict] += 1;
    return false;
  }

  private facts(order: ReportOrder): OrderFacts | undefined {
    return this.state.orders.get(order.orderId);
  }

  private recordRenewal(previousOrderId: number, renewal: ReportOrder): void {
    const known = this.renewals.get(previousOrderId);
    if (known?.status === 'issued') return;
    this.renewals.set(previousOrderId, { orderId: renewal.orderId, status: renewal.status });
  }

  /** The plan remembered for the order's current report row, if any. */
  private rememberedPlan(order: ReportOrder): Plan | null {
    return currentDetail(order, this.facts(order))?.plan ?? null;
  }

  private ownLevel(order: ReportOrder): CertificateLevel {
    const validTill = order.validTill as string;
    const plan = planOf(order, this.rememberedPlan(order));
    return certificateLevel(
      this.policy,
      { validFrom: order.validFrom, validTill, automated: isAutomated(plan, validTill) },
      this.scannedAt,
    );
  }

  /** The order's issued duplicates as its remembered listing has them (none when the report says none). */
  private listedDuplicates(order: ReportOrder) {
    const listing = this.facts(order)?.duplicates;
    return order.hasDuplicates && listing
      ? issuedDuplicates(listing.certificates, order.validTill as string)
      : [];
  }

  private decide(order: ReportOrder): Candidate[] {
    const renewal = this.renewals.get(order.orderId) ?? null;
    const renewedIssued = renewal?.status === 'issued';
    const states = this.stateByOrder.get(order.orderId) ?? [];
    const ownKey = orderCertKey(order.orderId);
    const validTill = order.validTill as string;
    const duplicates = this.listedDuplicates(order);

    const renewed: RenewedCandidate[] = [];
    const isMuted = (certKey: string) => this.mutes.muteOf(order.orderId, certKey) !== null;
    for (const cert of states) {
      if (cert.announced === null || cert.validTill === null || isMuted(cert.certKey)) continue;
      if (renewedIssued && renewal) {
        renewed.push(this.renewed(order, cert, renewal));
        continue;
      }
      const duplicateId = cert.certKey === ownKey ? null : Number(cert.certKey.slice(4));
      const nowValidTill =
        duplicateId === null
          ? validTill
          : duplicates.find((duplicate) => duplicate.id === duplicateId)?.validTill;
      if (nowValidTill !== undefined && isRenewedSince(nowValidTill, cert)) {
        renewed.push(this.renewed(order, cert, { orderId: order.orderId, status: order.status }));
      }
    }
    if (renewedIssued) return renewed;

    const superseded = new Set(renewed.map((notice) => notice.certKey));
    const known = new Map(states.map((cert) => [cert.certKey, cert]));
    const due: DueCertificate[] = [];
    const consider = (certKey: string, certValidTill: string, evaluated: CertificateLevel) => {
      if (superseded.has(certKey) || evaluated.level === null || isMuted(certKey)) return;
      if (isDue(evaluated.level, certValidTill, known.get(certKey))) {
        due.push({ certKey, level: evaluated.level, daysRemaining: evaluated.daysRemaining });
      }
    };
    consider(ownKey, validTill, this.ownLevel(order));
    for (const duplicate of duplicates) {
      const level = certificateLevel(
        this.policy,
        { validFrom: duplicate.validFrom, validTill: duplicate.validTill, automated: false },
        this.scannedAt,
      );
      consider(duplicateCertKey(duplicate.id), duplicate.validTill, level);
    }
    if (due.length === 0) return renewed;
    due.sort((a, b) => a.daysRemaining - b.daysRemaining);
    return [
      ...renewed,
      {
        kind: 'alert',
        order,
        due,
        renewal,
        rememberedPlan: this.rememberedPlan(order),
        announced: states.filter((cert) => !superseded.has(cert.certKey)),
        ...this.mutedScope(order),
      },
    ];
  }

  /**
   * Duplicates listings for the orders that need one and are not already alert candidates (the alert stage
   * lists a candidate's duplicates anyway).
   */
  private listings(alerted: ReadonlySet<number>): DuplicatesCandidate[] {
    const withDuplicates = [...this.kept.values()].filter(
      (order) => order.hasDuplicates && !pastLookBack(order, this.policy, this.scannedAt),
    );
    const turns = refreshTurns(
      withDuplicates.map((order) => order.orderId),
      this.policy.duplicatesRefreshDays,
      this.scannedAt,
    );
    const listings: DuplicatesCandidate[] = [];
    for (const order of withDuplicates) {
      if (alerted.has(order.orderId)) continue;
      const reason = listingReason(
        order,
        this.facts(order),
        turns.has(order.orderId),
        this.policy,
        this.scannedAt,
      );
      if (reason === null) continue;
      const renewal = this.renewals.get(order.orderId) ?? null;
      if (renewal?.status === 'issued') continue;
      listings.push({
        kind: 'duplicates',
        order,
        reason,
        renewal,
        announced: this.stateByOrder.get(order.orderId) ?? [],
        ...this.mutedScope(order),
      });
    }
    return listings;
  }

  private renewed(order: ReportOrder, cert: CertState, renewal: RenewalInfo): RenewedCandidate {
    return {
      kind: 'renewed',
      order,
      certKey: cert.certKey,
      announcedValidTill: cert.validTill ?? '',
      renewal,
      severity: lastAnnouncedSeverity(cert) ?? 'info',
    };
  }
}

function urgency(candidate: Candidate): number {
  if (candidate.kind === 'alert') return candidate.due[0]?.daysRemaining ?? 0;
  return candidate.kind === 'renewed' ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
}
