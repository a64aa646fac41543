/**
 * The digest ledger of one local run, kept in the state store (the DynamoDB digest table beside the state
 * table) so that a run that is killed leaves its digest behind for the next run to send.
 *
 * Each run keeps its digest apart under its own key, `<scannedAt>/<run id>`: two runs with the same `--now`
 * (a rerun straight after a crash) never mix their events. A bare `scannedAt` given to the ledger means this
 * run's digest for that scan; the keys `openDigests` lists are kept whole, and the digest built from one says
 * the scan's `scannedAt`.
 *
 * `openedAt` is taken from the wall clock (never `--now`) and refreshed while the run is alive
 * (`refresh`): on a store other scans share, a digest left open longer than the claim lease was left by a
 * scan that stopped.
 */
import { randomUUID } from 'node:crypto';
import type { DigestLedger, OpenDigest, RecordedEvent } from '../core/digest.ts';
import type { AlertDigest, NotificationEvent } from '../core/model.ts';
import type { DynamoDigestLedger } from '../state/dynamo-digest-ledger.ts';

const RUN_SEPARATOR = '/';

/** The scan a digest key belongs to: `2026-11-23T06:00:00Z/…` -> `2026-11-23T06:00:00Z`. */
export function scanOfDigestKey(key: string): string {
  const separator = key.indexOf(RUN_SEPARATOR);
  return separator === -1 ? key : key.slice(0, separator);
}

export class RunDigestLedger implements DigestLedger {
  /** The keys this run opened, for `refresh`. */
  private readonly opened = new Set<string>();
  /** The keys this run recorded events under, for `forgetInThisRun`. */
  private readonly recorded = new Set<string>();
  /** Opening, refreshing and closing run one after the other, so a refresh never reopens a closed digest. */
  private openings: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly inner: Pick<
      DynamoDigestLedger,
      'record' | 'open' | 'openDigests' | 'digests' | 'close' | 'forget'
    >,
    private readonly wallClock: () => Date,
    readonly runId: string = randomUUID(),
  ) {}

  async record(scannedAt: string, events: readonly RecordedEvent[]): Promise<void> {
    const key = this.keyOf(scannedAt);
    this.recorded.add(key);
    await this.inner.record(key, events);
  }

  /** Opens (or refreshes) the digest; `openedAt` is the wall clock whatever `now` says. */
  open(scannedAt: string, _now?: Date): Promise<void> {
    const key = this.keyOf(scannedAt);
    return this.inTurn(async () => {
      this.opened.add(key);
      await this.inner.open(key, this.wallClock());
    });
  }

  openDigests(): Promise<OpenDigest[]> {
    return this.inner.openDigests();
  }

  async digests(scannedAt: string): Promise<AlertDigest[]> {
    const digests = await this.inner.digests(this.keyOf(scannedAt));
    return digests.map((digest) => ({ ...digest, scannedAt: scanOfDigestKey(digest.scannedAt) }));
  }

  close(scannedAt: string): Promise<void> {
    const key = this.keyOf(scannedAt);
    return this.inTurn(async () => {
      this.opened.delete(key);
      await this.inner.close(key);
    });
  }

  /** Takes a certificate's event out of the digest `key` (any run's) when it `matches`. */
  forget(key: string, certKey: string, matches?: (event: NotificationEvent) => boolean): Promise<boolean> {
    return this.inner.forget(key, certKey, matches);
  }

  /** Takes a certificate's event out of this run's digest: its claim was given back, the alert is not sent. */
  async forgetInThisRun(certKey: string): Promise<void> {
    for (const key of this.recorded) await this.inner.forget(key, certKey);
  }

  /** Shows the digests this run has open as alive (their `openedAt` moves to now). */
  refresh(): Promise<void> {
    return this.inTurn(async () => {
      for (const key of this.opened) await this.inner.open(key, this.wallClock());
    });
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const turn = this.openings.then(work);
    this.openings = turn.catch(() => {});
    return turn;
  }

  /** A key as given (`…/run`), or this run's key for a bare `scannedAt`. */
  private keyOf(scannedAt: string): string {
    return scannedAt.includes(RUN_SEPARATOR) ? scannedAt : `${scannedAt}${RUN_SEPARATOR}${this.runId}`;
  }
}
