/**
 * The alert stage of a local scan, in-process: the scan's candidates announced a few at a time (the client's
 * rate limiter paces the CertCentral calls). Before the first send of a flood, the scan's digest is opened in
 * the state store, so that a run killed while sending leaves a digest the next run finds and sends. When the
 * scan is asked to stop, no new candidate is started; those in flight finish.
 */
import { CertCentralError, CertCentralKeyRefusedError } from '../certcentral/errors.ts';
import {
  type AnnounceDeps,
  type AnnounceOutcome,
  announce,
  type CandidateMessage,
  DUPLICATES_REFUSED_NOTICE,
} from '../core/announce.ts';
import { ConfigError } from '../core/config.ts';
import type { DigestLedger } from '../core/digest.ts';
import type { Log } from '../core/ports.ts';

export interface AlertStageTotals {
  sent: number;
  renewedSent: number;
  skipped: Record<string, number>;
  failedSends: number;
  failedCandidates: number;
  viaSubaccount: number;
  /** Candidates whose order detail was asked for (one lookup each; a subaccount order two calls). */
  enriched: number;
}

export interface AlertStageOptions {
  announce: AnnounceDeps;
  /** Where the flood's digest is opened before the first send. */
  digests: Pick<DigestLedger, 'open'>;
  concurrency: number;
  /** Aborted when the scan is asked to stop. */
  stop?: AbortSignal;
  /** When the stage starts, on the progress clock. */
  now: () => number;
  log: Log;
}

export class LocalAlertStage {
  readonly totals: AlertStageTotals = {
    sent: 0,
    renewedSent: 0,
    skipped: {},
    failedSends: 0,
    failedCandidates: 0,
    viaSubaccount: 0,
    enriched: 0,
  };
  /** Candidates handed over, and those the stage has finished with (sent, skipped or failed). */
  total = 0;
  done = 0;
  /** When the stage started, or null before it did. */
  startedAt: number | null = null;

  constructor(private readonly options: AlertStageOptions) {}

  readonly dispatch = async (messages: CandidateMessage[]): Promise<void> => {
    this.total += messages.length;
    this.startedAt ??= this.options.now();
    const digested = messages.find((message) => message.delivery === 'digested');
    if (digested && !this.options.stop?.aborted)
      await this.options.digests.open(digested.scannedAt, new Date());
    await forEachConcurrently(
      messages,
      this.options.concurrency,
      () => this.options.stop?.aborted !== true,
      (message) => this.announceOne(message),
    );
  };

  private async announceOne(message: CandidateMessage): Promise<void> {
    try {
      const outcome = await announce(message, this.options.announce);
      addOutcome(this.totals, outcome);
      if (outcome.duplicatesRefused) {
        this.options.log.warn(DUPLICATES_REFUSED_NOTICE, { orderId: message.candidate.order.orderId });
      }
      this.done += 1;
    } catch (error) {
      if (error instanceof CertCentralKeyRefusedError) throw error;
      // A request dropped because the scan is stopping: nothing was claimed, the next scan does it.
      if (this.options.stop?.aborted) return;
      this.done += 1;
      this.totals.failedCandidates += 1;
      this.options.log.error('candidate failed', {
        orderId: message.candidate.order.orderId,
        error: describeError(error),
      });
    }
  }
}

function addOutcome(totals: AlertStageTotals, outcome: AnnounceOutcome): void {
  for (const event of outcome.sent) {
    if (event.type === 'certificate.renewed') totals.renewedSent += 1;
    else totals.sent += 1;
  }
  for (const { reason } of outcome.skipped) totals.skipped[reason] = (totals.skipped[reason] ?? 0) + 1;
  totals.failedSends += outcome.failed.length;
  if (outcome.source === 'subaccount') totals.viaSubaccount += 1;
  if (outcome.source === 'order' || outcome.source === 'subaccount') totals.enriched += 1;
}

/** Runs `work` over `items`, `limit` at a time, starting each only while `proceed()` holds. */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  proceed: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && proceed()) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * An error in words for people: our own errors by their message alone (their class names mean nothing to a user);
 * a library's error keeps its name when it says something ("AccessDeniedException: …").
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = error instanceof CertCentralError || error instanceof ConfigError;
  const generic = error.name === 'Error' || error.name === 'TypeError' || error.name === '';
  return own || generic || error.message === ''
    ? error.message || error.name
    : `${error.name}: ${error.message}`;
}
