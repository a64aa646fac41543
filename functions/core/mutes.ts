/**
 * Mutes: people saying "I know" about a certificate (being decommissioned, renewal under way) so that it gets
 * nothing until a date. A mute names an order (its own certificate and every duplicate) or one duplicate
 * certificate of it. It withholds the scan's decisions while it is active; when it ends, the next scan decides as
 * usual, so the tightest level that applies then is announced once.
 */
import { ConfigError } from './config.ts';
import { epochDay } from './levels.ts';

/** A mute may last at most this many days from the day it is set. */
export const MAX_MUTE_DAYS = 365;

export interface Mute {
  orderId: number;
  /** A duplicate certificate of the order; null: the order's own certificate and all its duplicates. */
  certificateId: number | null;
  /** `yyyy-MM-dd` (UTC): muted up to this date; the first scan on this date decides as usual. */
  until: string;
  reason: string;
  by: string;
  /** ISO instant. */
  createdAt: string;
  /** When `unmute` ended it (ISO instant), or null. */
  endedAt: string | null;
  endedBy: string | null;
}

export type MuteStatus = 'active' | 'expired' | 'unmuted';

/** What a candidate carries to the alert stage: which of the order's certificates are muted. */
export interface MutedScope {
  /** The order's own certificate and all its duplicates, including ones a fresh listing finds. */
  wholeOrder: boolean;
  /** Duplicate certificates muted one by one. */
  certificateIds: number[];
}

const DAY_MS = 86_400_000;
const dayOf = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

/** `mute#<orderId>` for an order, `mute#<orderId>#<certificateId>` for one duplicate. */
export const muteKey = (orderId: number, certificateId: number | null): string =>
  certificateId === null ? `mute#${orderId}` : `mute#${orderId}#${certificateId}`;

export function muteStatus(mute: Mute, at: Date): MuteStatus {
  if (mute.endedAt !== null) return 'unmuted';
  return dayOf(at) < (epochDay(mute.until) ?? 0) ? 'active' : 'expired';
}

/** The day the mute stopped (or stops) holding: the unmute's day, else `until`. */
export function muteEnd(mute: Mute): string {
  return mute.endedAt === null ? mute.until : mute.endedAt.slice(0, 10);
}

/** Whether a certificate key (`order#…`, `dup#…`) falls under a candidate's muted scope. */
export function isMutedIn(scope: MutedScope | null | undefined, certKey: string): boolean {
  if (!scope) return false;
  if (scope.wholeOrder) return true;
  return certKey.startsWith('dup#') && scope.certificateIds.includes(Number(certKey.slice(4)));
}

/** The mutes active at one instant, by order. */
export class ActiveMutes {
  private readonly byOrder = new Map<number, { order: Mute | null; certificates: Map<number, Mute> }>();

  constructor(mutes: Iterable<Mute>, at: Date) {
    for (const mute of mutes) {
      if (muteStatus(mute, at) !== 'active') continue;
      const entry = this.byOrder.get(mute.orderId) ?? { order: null, certificates: new Map() };
      if (mute.certificateId === null) entry.order = mute;
      else entry.certificates.set(mute.certificateId, mute);
      this.byOrder.set(mute.orderId, entry);
    }
  }

  get size(): number {
    return this.byOrder.size;
  }

  /** The mute that covers the certificate, the order's first (it covers every certificate of the order). */
  muteOf(orderId: number, certKey: string): Mute | null {
    const entry = this.byOrder.get(orderId);
    if (!entry) return null;
    if (entry.order) return entry.order;
    return certKey.startsWith('dup#') ? (entry.certificates.get(Number(certKey.slice(4))) ?? null) : null;
  }

  /** The order's muted scope, or null when nothing of it is muted. */
  scopeOf(orderId: number): MutedScope | null {
    const entry = this.byOrder.get(orderId);
    if (!entry) return null;
    return { wholeOrder: entry.order !== null, certificateIds: [...entry.certificates.keys()] };
  }
}

/** What `mute` is asked to record. */
export interface MuteRequest {
  orderId: number;
  certificateId: number | null;
  until: string;
  reason: string;
  by: string;
}

/**
 * A new mute, checked: `until` after today and at most `MAX_MUTE_DAYS` ahead, a reason and a name. Each refusal
 * names the flag and the value.
 */
export function newMute(request: MuteRequest, now: Date): Mute {
  const until = epochDay(request.until);
  if (until === null) throw new ConfigError('--until', request.until, 'is not a yyyy-MM-dd date');
  const today = dayOf(now);
  if (until <= today) {
    throw new ConfigError('--until', request.until, 'is not after today: a mute must end in the future');
  }
  if (until > today + MAX_MUTE_DAYS) {
    const latest = new Date((today + MAX_MUTE_DAYS) * DAY_MS).toISOString().slice(0, 10);
    throw new ConfigError(
      '--until',
      request.until,
      `is more than ${MAX_MUTE_DAYS} days ahead (at most ${latest})`,
    );
  }
  const reason = request.reason.trim();
  if (reason === '') throw new ConfigError('--reason', request.reason, 'must say why');
  const by = request.by.trim();
  if (by === '') throw new ConfigError('--by', request.by, 'must name who mutes');
  return {
    orderId: request.orderId,
    certificateId: request.certificateId,
    until: request.until,
    reason,
    by,
    createdAt: now.toISOString(),
    endedAt: null,
    endedBy: null,
  };
}
