/**
 * The alert stage: for one candidate, enrich from the order-detail endpoints, re-evaluate with what the detail
 * says (detail wins over the report), then claim -> send -> mark sent each certificate due. A failed send
 * gives its claim back, so the next scan (or the queue's retry) sends it; nothing is sent twice. A `digested`
 * event is recorded for its scan's digest right after the claim, before the send: people get every alert
 * that went out to machines, in the digest.
 */

import {
  type AlertCandidate,
  type Candidate,
  duplicateCertKey,
  orderCertKey,
  type RenewedCandidate,
} from './candidates.ts';
import type { AlertPolicy } from './config.ts';
import type { DigestLedger } from './digest.ts';
import { type AnnouncedCertificate, buildEvent } from './event.ts';
import { alertLevel, daysRemaining } from './levels.ts';
import type { AlertLevel, Delivery, NotificationEvent, OrderLookup } from './model.ts';
import type { ClaimRequest, Clock, Notifier, OrderDetailSource, StateStore } from './ports.ts';

export interface AnnounceDeps {
  details: OrderDetailSource;
  state: StateStore;
  notifier: Notifier;
  clock: Clock;
  policy: AlertPolicy;
  /** Where `digested` events are recorded for their scan's digest. */
  digests: Pick<DigestLedger, 'record'>;
}

/** A candidate as it travels from the scan to the alert stage (the SQS message body in AWS). */
export interface CandidateMessage {
  candidate: Candidate;
  scannedAt: string;
  delivery: Delivery;
}

export type SkipReason = 'not-found' | 'no-longer-issued' | 'not-due' | 'already-announced';

export interface AnnounceOutcome {
  sent: NotificationEvent[];
  skipped: { certKey: string; reason: SkipReason }[];
  /** Sends that failed; their claims were released for the next attempt. */
  failed: { certKey: string; error: unknown }[];
  /** Order-detail calls made: 'subaccount' when the order was only found through the subaccount endpoint. */
  source: 'report' | 'order' | 'subaccount' | null;
}

export async function announce(message: CandidateMessage, deps: AnnounceDeps): Promise<AnnounceOutcome> {
  const outcome: AnnounceOutcome = { sent: [], skipped: [], failed: [], source: null };
  if (message.candidate.kind === 'renewed') {
    outcome.source = 'report';
    await announceRenewed(message.candidate, message, deps, outcome);
  } else {
    await announceAlert(message.candidate, message, deps, outcome);
  }
  return outcome;
}

async function lookUp(
  orderId: number,
  details: OrderDetailSource,
): Promise<{ lookup: OrderLookup; via: 'order' | 'subaccount' }> {
  const direct = await details.order(orderId);
  if (direct.found) return { lookup: direct, via: 'order' };
  return { lookup: await details.subaccountOrder(orderId), via: 'subaccount' };
}

interface Due {
  certKey: string;
  certificate: AnnouncedCertificate;
  level: AlertLevel;
}

async function announceAlert(
  candidate: AlertCandidate,
  message: CandidateMessage,
  deps: AnnounceDeps,
  outcome: AnnounceOutcome,
): Promise<void> {
  const { order } = candidate;
  const ownKey = orderCertKey(order.orderId);
  const { lookup, via } = await lookUp(order.orderId, deps.details);
  outcome.source = via;
  if (!lookup.found) {
    outcome.skipped.push({ certKey: ownKey, reason: 'not-found' });
    return;
  }
  const detail = lookup.detail;
  if (detail.status !== 'issued') {
    outcome.skipped.push({ certKey: ownKey, reason: 'no-longer-issued' });
    return;
  }

  const scannedAt = new Date(message.scannedAt);
  const validTill = detail.validTill ?? order.validTill;
  const dueList: Due[] = [];
  const consider = (certKey: string, certificate: Omit<AnnouncedCertificate, 'daysRemaining'>): void => {
    const days = daysRemaining(certificate.validTill, scannedAt);
    const level = alertLevel(days, deps.policy);
    if (level === null) outcome.skipped.push({ certKey, reason: 'not-due' });
    else dueList.push({ certKey, certificate: { ...certificate, daysRemaining: days }, level });
  };

  if (validTill) {
    consider(ownKey, {
      certificateId: detail.certificateId,
      duplicate: false,
      commonName: detail.commonName,
      dnsNames: detail.dnsNames,
      validTill,
    });
  }
  if (order.hasDuplicates) {
    for (const duplicate of await deps.details.duplicates(order.orderId)) {
      if (duplicate.status !== 'issued') continue;
      const duplicateValidTill = duplicate.validTill ?? validTill;
      if (!duplicateValidTill) continue;
      consider(duplicateCertKey(duplicate.id), {
        certificateId: duplicate.id,
        duplicate: true,
        commonName: duplicate.commonName,
        dnsNames: duplicate.dnsNames,
        validTill: duplicateValidTill,
      });
    }
  }

  // The order's own certificate goes last: until it is announced the scan sees the order as due and hands it
  // over again, so a scan that stops part-way never leaves a duplicate (which only this call discovers) behind.
  const ownLast = [
    ...dueList.filter((due) => due.certKey !== ownKey),
    ...dueList.filter((due) => due.certKey === ownKey),
  ];
  for (const due of ownLast) {
    const event = buildEvent({
      order,
      detail,
      certificate: due.certificate,
      level: due.level,
      renewal: candidate.renewal,
      scannedAt: message.scannedAt,
    });
    await claimAndSend(
      {
        certKey: due.certKey,
        orderId: order.orderId,
        kind: 'alert',
        level: due.level,
        validTill: due.certificate.validTill,
      },
      event,
      message,
      deps,
      outcome,
    );
  }
}

async function announceRenewed(
  candidate: RenewedCandidate,
  message: CandidateMessage,
  deps: AnnounceDeps,
  outcome: AnnounceOutcome,
): Promise<void> {
  const { order, certKey, announcedValidTill, renewal } = candidate;
  const duplicateId = certKey.startsWith('dup#') ? Number(certKey.slice(4)) : null;
  const event = buildEvent({
    order,
    detail: null,
    certificate: {
      certificateId: duplicateId,
      duplicate: duplicateId !== null,
      commonName: null,
      dnsNames: [],
      validTill: announcedValidTill,
      daysRemaining: daysRemaining(announcedValidTill, new Date(message.scannedAt)),
    },
    level: null,
    renewal,
    scannedAt: message.scannedAt,
  });
  await claimAndSend(
    { certKey, orderId: order.orderId, kind: 'renewed', level: null, validTill: announcedValidTill },
    event,
    message,
    deps,
    outcome,
  );
}

async function claimAndSend(
  request: ClaimRequest,
  event: NotificationEvent,
  message: CandidateMessage,
  deps: AnnounceDeps,
  outcome: AnnounceOutcome,
): Promise<void> {
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
