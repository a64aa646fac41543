/**
 * The alert stage: for one candidate, enrich from the order-detail endpoints and list the order's duplicates,
 * re-evaluate each certificate with what CertCentral says now (detail wins over the report), then claim ->
 * send -> mark sent each certificate due. A failed send gives its claim back, so the next scan (or the queue's
 * retry) sends it; nothing is sent twice. A `digested` event is recorded for its scan's digest right after the
 * claim, before the send: people get every alert that went out to machines, in the digest.
 *
 * What CertCentral said is remembered in the state for the scans to come: a detail saying the order is no
 * longer issued (or not found), a Multi-year Plan's automation, and every duplicates listing.
 */

import {
  type AlertCandidate,
  type Candidate,
  type DuplicatesCandidate,
  duplicateCertKey,
  duplicateIdOf,
  isDue,
  issuedDuplicates,
  orderCertKey,
  type RenewedCandidate,
} from './candidates.ts';
import { actionFor, certificateLevel, isAutomated } from './certificate-rules.ts';
import type { AlertPolicy } from './config.ts';
import type { DigestLedger } from './digest.ts';
import { type AnnouncedCertificate, buildEvent } from './event.ts';
import { daysRemaining } from './levels.ts';
import {
  type AlertLevel,
  type Delivery,
  type DuplicateCertificate,
  NO_PLAN,
  type NotificationEvent,
  type OrderDetail,
  type OrderLookup,
  type Plan,
  type ReportOrder,
} from './model.ts';
import { isMutedIn } from './mutes.ts';
import { planOf } from './order-facts.ts';
import { isWatchedStatus } from './order-status.ts';
import type { ClaimRequest, Clock, Notifier, OrderDetailSource, StateStore } from './ports.ts';

export interface AnnounceDeps {
  details: OrderDetailSource;
  state: Pick<
    StateStore,
    'claim' | 'markSent' | 'release' | 'recordDetail' | 'recordDuplicates' | 'recordSubaccount'
  >;
  notifier: Notifier;
  clock: Clock;
  policy: AlertPolicy;
  /** Where `digested` events are recorded for their scan's digest. */
  digests: Pick<DigestLedger, 'record'>;
  /** The CertCentral console that events link to (`console-links.ts`). */
  consoleUrl: string;
}

/** A candidate as it travels from the scan to the alert stage (the SQS message body in AWS). */
export interface CandidateMessage {
  candidate: Candidate;
  scannedAt: string;
  delivery: Delivery;
}

export type SkipReason =
  | 'not-found'
  | 'no-longer-issued'
  | 'notifications-off'
  | 'not-due'
  | 'already-announced'
  | 'muted';

export interface AnnounceOutcome {
  sent: NotificationEvent[];
  skipped: { certKey: string; reason: SkipReason }[];
  /** Sends that failed; their claims were released for the next attempt. */
  failed: { certKey: string; error: unknown }[];
  /** Order-detail calls made: 'subaccount' when the order was only found through the subaccount endpoint. */
  source: 'report' | 'order' | 'subaccount' | null;
  /** The order's duplicates were listed (and the listing remembered). */
  listedDuplicates: boolean;
  /** CertCentral refused to list them (403): only the order's own certificate was decided. */
  duplicatesRefused: boolean;
}

/** What the local scan and the alert function say when `AnnounceOutcome.duplicatesRefused`. */
export const DUPLICATES_REFUSED_NOTICE =
  'the API key may not list the duplicates of this order (HTTP 403): its own certificate is announced, its duplicates are not watched';

export async function announce(message: CandidateMessage, deps: AnnounceDeps): Promise<AnnounceOutcome> {
  const outcome: AnnounceOutcome = {
    sent: [],
    skipped: [],
    failed: [],
    source: null,
    listedDuplicates: false,
    duplicatesRefused: false,
  };
  const stage = new AlertStage(message, deps, outcome);
  switch (message.candidate.kind) {
    case 'renewed':
      outcome.source = 'report';
      await stage.renewed(message.candidate);
      break;
    case 'alert':
      await stage.alert(message.candidate);
      break;
    case 'duplicates':
      await stage.listing(message.candidate);
      break;
  }
  return outcome;
}

/** One certificate of the order, with what decides its level and what its event says. */
interface Evaluated {
  certKey: string;
  certificate: AnnouncedCertificate;
  level: AlertLevel | null;
  /**
   * The valid_till the scan has for it (the report row's; a duplicate's listing's, else the report row's), kept
   * with the announcement: the certificate's own `validTill` is the detail's, and the two may differ.
   */
  reportValidTill: string | null;
}

class AlertStage {
  private readonly scannedAt: Date;

  constructor(
    private readonly message: CandidateMessage,
    private readonly deps: AnnounceDeps,
    private readonly outcome: AnnounceOutcome,
  ) {
    this.scannedAt = new Date(message.scannedAt);
  }

  /** The order's own certificate and its duplicates, as CertCentral has them now. */
  async alert(candidate: AlertCandidate): Promise<void> {
    const { order } = candidate;
    const detail = await this.enrich(order, candidate.rememberedPlan);
    if (!detail) return;
    const duplicates = order.hasDuplicates ? await this.listDuplicates(order) : [];
    const plan = planOf(order, detail.plan);
    const known = new Map(candidate.announced.map((cert) => [cert.certKey, cert]));
    const foundDue = new Set(candidate.due.map((due) => due.certKey));
    const certificates = [this.own(order, detail, plan), ...this.duplicates(order, detail, duplicates)];
    // A certificate the scan found due and the detail does not is reported as not due; any other certificate
    // of the order is announced only if it is due now.
    await this.announceDue(
      order,
      detail,
      plan,
      this.withoutMuted(
        certificates.filter(({ certKey, certificate, level }) =>
          level === null ? foundDue.has(certKey) : isDue(level, certificate.validTill, known.get(certKey)),
        ),
        candidate,
      ),
      candidate.renewal,
    );
  }

  /** A duplicates listing: one call when nothing in it is due, the order detail too when something is. */
  async listing(candidate: DuplicatesCandidate): Promise<void> {
    const { order } = candidate;
    const listed = await this.listDuplicates(order);
    const known = new Map(candidate.announced.map((cert) => [cert.certKey, cert]));
    const due = this.withoutMuted(
      this.duplicates(order, null, listed).filter(
        ({ certKey, certificate, level }) =>
          level !== null && isDue(level, certificate.validTill, known.get(certKey)),
      ),
      candidate,
    );
    if (due.length === 0) return;
    const detail = await this.enrich(order, null);
    if (!detail) return;
    const plan = planOf(order, detail.plan);
    const unmuted = this.duplicates(order, detail, listed).filter(
      ({ certKey }) => !isMutedIn(candidate.muted, certKey),
    );
    await this.announceDue(order, detail, plan, unmuted, candidate.renewal);
  }

  /** The certificates a mute covers are left out, and reported as muted. */
  private withoutMuted(
    certificates: readonly Evaluated[],
    candidate: AlertCandidate | DuplicatesCandidate,
  ): Evaluated[] {
    return certificates.filter(({ certKey }) => {
      if (!isMutedIn(candidate.muted, certKey)) return true;
      this.outcome.skipped.push({ certKey, reason: 'muted' });
      return false;
    });
  }

  async renewed(candidate: RenewedCandidate): Promise<void> {
    const { order, certKey, announcedValidTill, renewal } = candidate;
    const duplicateId = duplicateIdOf(certKey);
    const plan = planOf(order, null);
    const event = buildEvent({
      order,
      detail: null,
      certificate: {
        certificateId: duplicateId,
        duplicate: duplicateId !== null,
        commonName: null,
        dnsNames: [],
        validTill: announcedValidTill,
        daysRemaining: daysRemaining(announcedValidTill, this.scannedAt),
      },
      level: null,
      renewedSeverity: candidate.severity,
      renewal,
      plan,
      action: actionFor(plan, announcedValidTill),
      scannedAt: this.message.scannedAt,
      consoleUrl: this.deps.consoleUrl,
    });
    await this.claimAndSend(
      { certKey, orderId: order.orderId, kind: 'renewed', level: null, validTill: announcedValidTill },
      event,
    );
  }

  /**
   * The order detail (the order endpoint, then the subaccount one), or null when the order is not to be
   * announced: not found, no longer live (a status `order-status.ts` does not watch, e.g. revoked; both
   * remembered until the report row changes), or its renewal notices switched off. A detail saying
   * `reissue_pending` is live: the current certificate stays in use until the reissue is issued. A Multi-year
   * Plan's auto-reissue is remembered too, so that the scans to come apply the automation rule without asking.
   */
  private async enrich(order: ReportOrder, rememberedPlan: Plan | null): Promise<OrderDetail | null> {
    const ownKey = orderCertKey(order.orderId);
    const { lookup, via } = await lookUp(order.orderId, this.deps.details);
    this.outcome.source = via;
    if (!lookup.found) {
      await this.remember(order, 'not-found', NO_PLAN);
      this.outcome.skipped.push({ certKey: ownKey, reason: 'not-found' });
      return null;
    }
    const { detail } = lookup;
    if (!isWatchedStatus(detail.status)) {
      await this.remember(order, detail.status, detail.plan);
      this.outcome.skipped.push({ certKey: ownKey, reason: 'no-longer-issued' });
      return null;
    }
    if (detail.disableRenewalNotifications && this.deps.policy.followCertCentralNotificationSetting) {
      this.outcome.skipped.push({ certKey: ownKey, reason: 'notifications-off' });
      return null;
    }
    if ((detail.plan.multiYear && detail.plan.autoReissue) || rememberedPlan !== null) {
      await this.remember(order, detail.status, detail.plan);
    }
    if (via === 'subaccount' && detail.subaccount && order.validTill !== null) {
      await this.deps.state.recordSubaccount(order.orderId, detail.subaccount, order.validTill);
    }
    return detail;
  }

  private async remember(order: ReportOrder, status: string, plan: Plan): Promise<void> {
    if (order.validTill === null) return;
    await this.deps.state.recordDetail(
      order.orderId,
      { fingerprint: order.fingerprint, status, checkedAt: this.deps.clock().toISOString(), plan },
      order.validTill,
    );
  }

  /**
   * The order's duplicates, remembered for the scans to come. A key that may not list them (403) does not keep
   * the order's own certificate from being announced: the order is remembered as listed with none, and asked
   * again on its refresh turn.
   */
  private async listDuplicates(order: ReportOrder): Promise<DuplicateCertificate[]> {
    const answer = await this.deps.details.duplicates(order.orderId);
    this.outcome.listedDuplicates = true;
    if (answer === null) this.outcome.duplicatesRefused = true;
    const listed = answer ?? [];
    if (order.validTill !== null) {
      await this.deps.state.recordDuplicates(
        order.orderId,
        {
          fingerprint: order.fingerprint,
          listedAt: this.deps.clock().toISOString(),
          certificates: listed.map(({ id, status, commonName, validFrom, validTill }) => ({
            id,
            status,
            commonName,
            validFrom,
            validTill,
          })),
        },
        order.validTill,
      );
    }
    return listed;
  }

  private own(order: ReportOrder, detail: OrderDetail, plan: Plan): Evaluated {
    const validTill = (detail.validTill ?? order.validTill) as string;
    const validFrom = detail.validFrom ?? (validTill === order.validTill ? order.validFrom : null);
    return this.evaluate(
      orderCertKey(order.orderId),
      order.validTill,
      {
        certificateId: detail.certificateId,
        duplicate: false,
        commonName: detail.commonName,
        dnsNames: detail.dnsNames,
        validTill,
      },
      { validFrom, validTill, automated: isAutomated(plan, validTill) },
    );
  }

  private duplicates(
    order: ReportOrder,
    detail: OrderDetail | null,
    listed: readonly DuplicateCertificate[],
  ): Evaluated[] {
    const orderValidTill = (detail?.validTill ?? order.validTill) as string;
    // A duplicate listed without a valid_till runs to the order's: the detail's here, the report's in the scan.
    const listedValidTill = new Map(listed.map(({ id, validTill }) => [id, validTill]));
    return issuedDuplicates(listed, orderValidTill).map((duplicate) =>
      this.evaluate(
        duplicateCertKey(duplicate.id),
        listedValidTill.get(duplicate.id) ?? order.validTill,
        {
          certificateId: duplicate.id,
          duplicate: true,
          commonName: duplicate.commonName,
          dnsNames: duplicate.dnsNames,
          validTill: duplicate.validTill,
        },
        { validFrom: duplicate.validFrom, validTill: duplicate.validTill, automated: false },
      ),
    );
  }

  private evaluate(
    certKey: string,
    reportValidTill: string | null,
    certificate: Omit<AnnouncedCertificate, 'daysRemaining'>,
    terms: Parameters<typeof certificateLevel>[1],
  ): Evaluated {
    const { level, daysRemaining: days } = certificateLevel(this.deps.policy, terms, this.scannedAt);
    return { certKey, certificate: { ...certificate, daysRemaining: days }, level, reportValidTill };
  }

  private async announceDue(
    order: ReportOrder,
    detail: OrderDetail,
    plan: Plan,
    certificates: readonly Evaluated[],
    renewal: AlertCandidate['renewal'],
  ): Promise<void> {
    for (const { certKey, certificate, level, reportValidTill } of certificates) {
      if (level === null) {
        this.outcome.skipped.push({ certKey, reason: 'not-due' });
        continue;
      }
      const event = buildEvent({
        order,
        detail,
        certificate,
        level,
        renewedSeverity: 'info',
        renewal,
        plan,
        action: actionFor(plan, certificate.validTill),
        scannedAt: this.message.scannedAt,
        consoleUrl: this.deps.consoleUrl,
      });
      await this.claimAndSend(
        {
          certKey,
          orderId: order.orderId,
          kind: 'alert',
          level,
          validTill: certificate.validTill,
          severity: event.severity,
          ...(reportValidTill === null ? {} : { reportValidTill }),
        },
        event,
      );
    }
  }

  private async claimAndSend(request: ClaimRequest, event: NotificationEvent): Promise<void> {
    const { deps, outcome, message } = this;
    const claim = await deps.state.claim(request, deps.clock());
    if (!claim) {
      outcome.skipped.push({ certKey: request.certKey, reason: 'already-announced' });
      return;
    }
    try {
      if (message.delivery === 'digested') {
        await deps.digests.record(message.scannedAt, [{ certKey: request.certKey, event }]);
      }
      await deps.notifier.send(event, message.delivery);
    } catch (error) {
      await deps.state.release(claim);
      outcome.failed.push({ certKey: request.certKey, error });
      return;
    }
    await deps.state.markSent(claim, deps.clock());
    outcome.sent.push(event);
  }
}

async function lookUp(
  orderId: number,
  details: OrderDetailSource,
): Promise<{ lookup: OrderLookup; via: 'order' | 'subaccount' }> {
  const direct = await details.order(orderId);
  if (direct.found) return { lookup: direct, via: 'order' };
  return { lookup: await details.subaccountOrder(orderId), via: 'subaccount' };
}
