/**
 * The scan's decision, from the report and the stored state alone (no API calls): which orders need an alert
 * and which announced certificates were renewed. Fed one report row at a time; keeps only the rows that can
 * matter (in the alert window, or known to the state), so the report is never held whole.
 */
import type { AlertPolicy } from './config.ts';
import { alertLevel, daysRemaining, epochDay, isTighter } from './levels.ts';
import type { AlertLevel, CertState, RenewalInfo, ReportOrder, StateSnapshot } from './model.ts';

export interface AlertCandidate {
  kind: 'alert';
  order: ReportOrder;
  /** The level the report puts the order at; the alert stage re-evaluates it with the order detail. */
  level: AlertLevel;
  daysRemaining: number;
  /** A renewal that exists but is not issued yet. */
  renewal: RenewalInfo | null;
}

export interface RenewedCandidate {
  kind: 'renewed';
  order: ReportOrder;
  /** The certificate whose announcement is superseded (`order#…` or `dup#…`). */
  certKey: string;
  /** The valid_till that was announced. */
  announcedValidTill: string;
  renewal: RenewalInfo;
}

export type Candidate = AlertCandidate | RenewedCandidate;

export const orderCertKey = (orderId: number): string => `order#${orderId}`;
export const duplicateCertKey = (certificateId: number): string => `dup#${certificateId}`;

/** The state of every certificate of each order (its own and its duplicates'), by order id. */
function statesByOrder(state: StateSnapshot): Map<number, CertState[]> {
  const byOrder = new Map<number, CertState[]>();
  for (const cert of state.values()) {
    const list = byOrder.get(cert.orderId);
    if (list) list.push(cert);
    else byOrder.set(cert.orderId, [cert]);
  }
  return byOrder;
}

const isLater = (a: string, b: string): boolean => (epochDay(a) ?? 0) > (epochDay(b) ?? 0);

export class CandidateCollector {
  private readonly kept = new Map<number, ReportOrder>();
  private readonly renewals = new Map<number, RenewalInfo>();
  private readonly stateByOrder: Map<number, CertState[]>;

  constructor(
    private readonly policy: AlertPolicy,
    private readonly scannedAt: Date,
    state: StateSnapshot,
  ) {
    this.stateByOrder = statesByOrder(state);
  }

  add(order: ReportOrder): void {
    if (order.renewedOrderId !== null) this.recordRenewal(order.renewedOrderId, order);
    if (this.inAlertWindow(order) || this.stateByOrder.has(order.orderId))
      this.kept.set(order.orderId, order);
  }

  /** The candidates, most urgent first. */
  finish(): Candidate[] {
    const candidates: Candidate[] = [];
    for (const order of this.kept.values()) candidates.push(...this.decide(order));
    return candidates.sort((a, b) => urgency(a) - urgency(b) || a.order.orderId - b.order.orderId);
  }

  private recordRenewal(previousOrderId: number, renewal: ReportOrder): void {
    const known = this.renewals.get(previousOrderId);
    if (known?.status === 'issued') return;
    this.renewals.set(previousOrderId, { orderId: renewal.orderId, status: renewal.status });
  }

  private inAlertWindow(order: ReportOrder): boolean {
    return order.status === 'issued' && order.validTill !== null && this.levelOf(order.validTill) !== null;
  }

  private levelOf(validTill: string): AlertLevel | null {
    return alertLevel(daysRemaining(validTill, this.scannedAt), this.policy);
  }

  private decide(order: ReportOrder): Candidate[] {
    const renewal = this.renewals.get(order.orderId) ?? null;
    const renewedIssued = renewal?.status === 'issued';
    const states = this.stateByOrder.get(order.orderId) ?? [];
    const ownKey = orderCertKey(order.orderId);

    const renewedNotices: RenewedCandidate[] = [];
    for (const cert of states) {
      if (cert.announced === null || cert.validTill === null) continue;
      if (renewedIssued && renewal) {
        renewedNotices.push(this.renewed(order, cert, renewal));
      } else if (
        cert.certKey === ownKey &&
        order.validTill !== null &&
        isLater(order.validTill, cert.validTill)
      ) {
        renewedNotices.push(this.renewed(order, cert, { orderId: order.orderId, status: order.status }));
      }
    }
    if (renewedIssued || !this.inAlertWindow(order) || order.validTill === null) return renewedNotices;
    if (renewedNotices.some((notice) => notice.certKey === ownKey)) return renewedNotices;

    const validTill = order.validTill;
    const days = daysRemaining(validTill, this.scannedAt);
    const level = alertLevel(days, this.policy);
    if (level === null) return renewedNotices;

    const own = states.find((cert) => cert.certKey === ownKey);
    const due = (cert: CertState | undefined): boolean =>
      cert === undefined || cert.validTill !== validTill || isTighter(level, cert.announced);
    const duplicatesDue = states.some(
      (cert) => cert.certKey !== ownKey && cert.validTill === validTill && due(cert),
    );
    if (!due(own) && !duplicatesDue) return renewedNotices;

    return [...renewedNotices, { kind: 'alert', order, level, daysRemaining: days, renewal }];
  }

  private renewed(order: ReportOrder, cert: CertState, renewal: RenewalInfo): RenewedCandidate {
    return {
      kind: 'renewed',
      order,
      certKey: cert.certKey,
      announcedValidTill: cert.validTill ?? '',
      renewal,
    };
  }
}

function urgency(candidate: Candidate): number {
  return candidate.kind === 'alert' ? candidate.daysRemaining : Number.MAX_SAFE_INTEGER;
}
