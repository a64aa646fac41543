/**
 * The digest: when one scan finds more alerts than `digestThreshold`, email and Slack get one message instead
 * of a flood. It is built from what the alert stage actually claimed, so it lists exactly the certificates
 * whose alert went out (duplicates included, orders revoked since the report left out), and two overlapping
 * scans list each certificate once between them.
 *
 * The alert stage records each digested event in a `DigestLedger` before sending it; once the scan's alert
 * stage has drained (in-process locally; the work queue empty in AWS), `deliverDigest` reads the ledger and
 * sends the digest.
 */
import type { AlertDigest, NotificationEvent, Severity } from './model.ts';
import type { Notifier } from './ports.ts';
import { type RouteFilter, routeMatches } from './routes.ts';

/**
 * How many alerts a digest lists at most; it counts them all. Email (SNS's 256 KB) and Slack (50 blocks) cut
 * the list further to what fits, most urgent first. Bounds the memory a digest of 100,000 alerts takes.
 */
export const DIGEST_LISTED_ALERTS = 2000;

/** A digest that is due: the scan's alert stage was handed all its candidates at `openedAt`. */
export interface OpenDigest {
  scannedAt: string;
  openedAt: string;
}

/** Where the alert stage records the events of a flood, for the digest that goes out once it has drained. */
export interface DigestLedger {
  /** Records events sent as `digested` for the scan at `scannedAt`. Idempotent per event certificate. */
  record(scannedAt: string, events: readonly RecordedEvent[]): Promise<void>;
  /** Marks the scan's digest as due: every digested candidate has been handed to the alert stage. */
  open(scannedAt: string, now: Date): Promise<void>;
  /** The digests opened and not yet delivered, oldest first. */
  openDigests(): Promise<OpenDigest[]>;
  /**
   * The scan's digests (a `RoutedDigests`'s): one per route the ledger was made for, listing the recorded events
   * that match the route's filters, or one of every recorded event when it was made for no routes. A route that
   * none matches gets none; nothing recorded, none at all.
   */
  digests(scannedAt: string): Promise<AlertDigest[]>;
  /** The digest went out (or had nothing to list): forget it. Its events expire with the ledger's TTL. */
  close(scannedAt: string): Promise<void>;
}

/** An event and the certificate it is about (`order#…`/`dup#…`), which keys it in the ledger. */
export interface RecordedEvent {
  certKey: string;
  event: NotificationEvent;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most urgent first: by severity, then fewest days left, then name and order for a stable order. */
export function byUrgency(a: NotificationEvent, b: NotificationEvent): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    a.daysRemaining - b.daysRemaining ||
    a.commonName.localeCompare(b.commonName) ||
    a.orderId - b.orderId ||
    (a.certificateId ?? 0) - (b.certificateId ?? 0)
  );
}

/** Counts every alert and keeps the `listed` most urgent, in memory bounded by `listed`, not by the flood. */
export class DigestBuilder {
  private readonly kept: NotificationEvent[] = [];
  private readonly bySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  private total = 0;

  constructor(private readonly listed = DIGEST_LISTED_ALERTS) {}

  add(event: NotificationEvent): void {
    this.total += 1;
    this.bySeverity[event.severity] += 1;
    this.kept.push(event);
    if (this.kept.length >= this.listed * 2) this.trim();
  }

  /** The digest (of `route`'s alerts, or of all for null), or null when nothing was added. */
  build(scannedAt: string, route: string | null = null): AlertDigest | null {
    if (this.total === 0) return null;
    this.trim();
    return {
      type: 'digest',
      scannedAt,
      route,
      total: this.total,
      bySeverity: { ...this.bySeverity },
      alerts: [...this.kept],
    };
  }

  private trim(): void {
    this.kept.sort(byUrgency);
    this.kept.length = Math.min(this.kept.length, this.listed);
  }
}

/**
 * One digest per route, each of the events that match the route's filters (a team never receives another team's
 * flood); with no routes (null), one digest of every event, for whoever subscribed without a filter.
 */
export class RoutedDigests {
  private readonly builders: { route: string | null; filter: RouteFilter | null; builder: DigestBuilder }[];

  constructor(routes: readonly RouteFilter[] | null, listed = DIGEST_LISTED_ALERTS) {
    this.builders =
      routes === null
        ? [{ route: null, filter: null, builder: new DigestBuilder(listed) }]
        : routes.map((filter) => ({ route: filter.name, filter, builder: new DigestBuilder(listed) }));
  }

  add(event: NotificationEvent): void {
    for (const { filter, builder } of this.builders) {
      if (filter === null || routeMatches(filter, event)) builder.add(event);
    }
  }

  /** The digests that list something, in the routes' order. */
  build(scannedAt: string): AlertDigest[] {
    return this.builders.flatMap(({ route, builder }) => builder.build(scannedAt, route) ?? []);
  }
}

/**
 * Sends the digests of what the scan's alert stage recorded (one per route), then closes the scan's digest.
 * Nothing recorded (every candidate turned out revoked, not due, or already announced by an overlapping scan):
 * nothing is sent. A crash before the close sends the digests again on the next attempt; none is ever lost.
 */
export async function deliverDigest(
  scannedAt: string,
  deps: { ledger: Pick<DigestLedger, 'digests' | 'close'>; notifier: Pick<Notifier, 'sendDigest'> },
): Promise<AlertDigest[]> {
  const digests = await deps.ledger.digests(scannedAt);
  for (const digest of digests) await deps.notifier.sendDigest(digest);
  await deps.ledger.close(scannedAt);
  return digests;
}
