/**
 * The local composition root: wires the CertCentral client, the state store (embedded or any DynamoDB API)
 * and the notifier to the core, and runs the scan and the alert stage in one process.
 *
 * Crash safety, as in AWS: a flood's digest lives in the state store (a digest table beside the state table)
 * and is opened before the first send, and each run first resolves what a scan that stopped left behind
 * (`leftovers.ts`): its claims are given back and decided again, its digest is sent. Asked to stop (a signal),
 * the run takes no new candidate, finishes those in flight and sends the digest of what it sent.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  CertCentralClient,
  type CertCentralClientOptions,
  type CertCentralStats,
} from '../certcentral/certcentral-client.ts';
import { CertCentralKeyRefusedError } from '../certcentral/errors.ts';
import { digicertWindows } from '../certcentral/rate-limiter.ts';
import { retryWaitNotice } from '../certcentral/retry-notice.ts';
import { type DigestLedger, deliverDigest } from '../core/digest.ts';
import type { AlertDigest, ReportRecord } from '../core/model.ts';
import type { Log, Notifier, ReportSource } from '../core/ports.ts';
import { runScan, type ScanResult } from '../core/scan.ts';
import { ConsoleNotifier } from '../notify/console-notifier.ts';
import { SlackNotifier, SlackWebhookSender } from '../notify/slack-webhook.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { MemoryDigestLedger } from '../state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import type { DynamoRequestCounts } from '../state/request-counter.ts';
import { type AlertStageTotals, describeError, LocalAlertStage } from './alert-stage.ts';
import { ScanInterruptedError, type StopSignal, stopSignalOf } from './interruption.ts';
import { type LeftoverReport, resolveLeftovers } from './leftovers.ts';
import { LocalClaims } from './local-claims.ts';
import { CLAIM_LEASE_MS, openLocalStore } from './local-store.ts';
import { type Progress, type ProgressStatus, type ProgressTimer, realTimer } from './progress.ts';
import { RunDigestLedger } from './run-digest-ledger.ts';
import type { ScanOptions } from './scan-options.ts';

export type { AlertStageTotals } from './alert-stage.ts';
export { describeError as describe } from './alert-stage.ts';

export interface LocalScanIo {
  stdout: NodeJS.WritableStream;
  log: Log;
  /** Client settings that flags do not reach: tests inject sleep/random, the benchmark a fetch. */
  certCentral?: Partial<CertCentralClientOptions>;
  /** Aborted, with the signal as its reason, when the scan is asked to stop. */
  stop?: AbortSignal;
  /** Progress on stderr; none when absent (`--quiet`, tests). */
  progress?: Progress;
  /** The wall clock: claim leases and digests' `openedAt`, whatever `--now` says. */
  wallClock?: () => Date;
  /** Ticks for keeping this run's digest shown as alive on a shared store, and the progress clock. */
  timer?: ProgressTimer;
}

/** The run was asked to stop during its alert stage (or after): what it did, out of what it had to do. */
export interface Interruption {
  signal: StopSignal;
  done: number;
  total: number;
}

export interface LocalScanSummary {
  scan: ScanResult;
  alerts: AlertStageTotals;
  /** The digest people got instead of the flood: the alerts this scan claimed and sent `digested`. */
  digest: AlertDigest | null;
  /** What a scan that stopped part-way had left, resolved before this one (null for a dry run). */
  leftovers: LeftoverReport | null;
  /** Of the claims given back by `leftovers`, how many this run sent again. */
  resent: number;
  interrupted: Interruption | null;
  certCentral: CertCentralStats;
  /** Requests of this scan to the state and digest tables (table creation excluded). */
  dynamo: DynamoRequestCounts;
  dryRun: boolean;
}

/** How many candidates the alert stage works on at once; the client's rate limiter paces the calls. */
export const ALERT_STAGE_CONCURRENCY = 8;
/** How often a run on a shared store shows its open digest as alive (well inside the claim lease). */
const DIGEST_REFRESH_MS = 60_000;

/** Someone is waiting at a terminal: 30 s per attempt, about 2 minutes per request before saying it failed. */
export const LOCAL_ATTEMPT_TIMEOUT_MS = 30_000;
export const LOCAL_RETRY_BUDGET_MS = 120_000;

export async function runLocalScan(options: ScanOptions, io: LocalScanIo): Promise<LocalScanSummary> {
  const wallClock = io.wallClock ?? (() => new Date());
  const clock = options.now ? () => options.now as Date : wallClock;
  const timer = io.timer ?? realTimer;
  const limits = digicertWindows(options.rateLimits);
  const certCentral = new CertCentralClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    pageSize: options.pageSize,
    maxReportRows: options.maxReportRows,
    timeoutMs: LOCAL_ATTEMPT_TIMEOUT_MS,
    retry: { maxElapsedMs: LOCAL_RETRY_BUDGET_MS },
    onRetryWait: (wait) => {
      const notice = retryWaitNotice(wait);
      if (notice !== null) io.log.warn(notice);
    },
    limits,
    ...io.certCentral,
    ...givingUpOnStop(io.certCentral ?? {}, io.stop),
  });
  const notifier = buildNotifier(options, io);
  const store = await openLocalStore(options);
  let stopRefreshing = () => {};
  try {
    // A dry run keeps its digest in memory and writes nothing; a real run keeps it in the state store.
    const persisted = options.dryRun ? null : new RunDigestLedger(store.digests, wallClock);
    const ledger: DigestLedger = persisted ?? new MemoryDigestLedger();
    const released = new Set<string>();
    let resent = 0;
    const state = new LocalClaims(
      persisted ? store.state : new MemoryStateStore(await store.state.loadAll()),
      {
        wallClock,
        ...(persisted ? { forget: (certKey: string) => persisted.forgetInThisRun(certKey) } : {}),
        onMarkedSent: (claim) => {
          if (released.has(claim.certKey)) resent += 1;
        },
      },
    );

    if (store.previousHolder) {
      const { pid, reason } = store.previousHolder;
      io.log.warn(
        `the previous scan${pid === null ? '' : ` (process ${pid})`} stopped without unlocking the state directory (${reason}): resolving what it left`,
      );
    }
    const leftovers = persisted
      ? await resolveLeftovers({
          claims: store.state,
          digests: persisted,
          notifier,
          ownsStore: store.owned,
          claimLeaseMs: CLAIM_LEASE_MS,
          wallClock,
          log: io.log,
        })
      : await noteLeftovers(store.state, io.log);
    for (const claim of leftovers?.released ?? []) released.add(claim.certKey);
    const signal = stopSignalOf(io.stop);
    if (signal) throw new ScanInterruptedError(signal, 'before the scan started');

    if (persisted && !store.owned) {
      // On a shared store, show this run's open digest as alive, so that no other scan sends it early.
      stopRefreshing = timer.every(DIGEST_REFRESH_MS, () => {
        persisted
          .refresh()
          .catch((error) =>
            io.log.warn('could not refresh the open digest', { error: describeError(error) }),
          );
      });
    }
    const policy = localPolicy(options);
    const stage = new LocalAlertStage({
      announce: {
        details: certCentral,
        state,
        notifier,
        clock,
        policy,
        digests: ledger,
        consoleUrl: options.consoleUrl,
      },
      digests: ledger,
      concurrency: ALERT_STAGE_CONCURRENCY,
      ...(io.stop ? { stop: io.stop } : {}),
      now: () => timer.now(),
      log: io.log,
    });
    io.progress?.start(statusOf(certCentral, stage), limits);
    const scan = await scanUnlessStopped(
      {
        report: stoppingReport(certCentral, io.stop),
        state,
        digests: ledger,
        dispatch: stage.dispatch,
        policy,
        clock,
        log: io.log,
      },
      io.stop,
    );
    io.progress?.stop();
    if (policy !== options.policy && scan.dueCertificates > options.policy.digestThreshold) {
      io.log.warn(
        `${scan.dueCertificates} alerts were published one by one: a digest per route is made only by the deployed digest function`,
      );
    }
    // The alert stage ran in-process during `dispatch`: it has drained (or stopped), the digest is due.
    // No routes locally: one digest of every alert.
    const digest = scan.digestOpened
      ? ((await deliverDigest(scan.scannedAt, { ledger, notifier }))[0] ?? null)
      : null;
    const stopped = stopSignalOf(io.stop);
    return {
      scan,
      alerts: stage.totals,
      digest,
      leftovers,
      resent,
      interrupted: stopped ? { signal: stopped, done: stage.done, total: stage.total } : null,
      certCentral: certCentral.stats(),
      dynamo: store.requests(),
      dryRun: options.dryRun,
    };
  } finally {
    io.progress?.stop();
    stopRefreshing();
    await store.close();
  }
}

async function scanUnlessStopped(
  deps: Parameters<typeof runScan>[0],
  stop: AbortSignal | undefined,
): Promise<ScanResult> {
  try {
    return await runScan(deps);
  } catch (error) {
    const signal = stopSignalOf(stop);
    if (signal && !(error instanceof CertCentralKeyRefusedError)) {
      throw new ScanInterruptedError(signal, 'while reading the report');
    }
    throw error;
  }
}

/** A dry run changes nothing: it only says what a scan that stopped left for the next real scan. */
async function noteLeftovers(
  state: { heldClaims(): Promise<unknown[]> },
  log: Log,
): Promise<LeftoverReport | null> {
  const held = (await state.heldClaims()).length;
  if (held > 0) {
    log.warn(
      `${held} alert(s) claimed by a scan that stopped or is running: the next real scan resolves them (this dry run shows them as due)`,
    );
  }
  return null;
}

/** The report, read until the scan is asked to stop. */
function stoppingReport(source: ReportSource, stop: AbortSignal | undefined): ReportSource {
  return {
    async *records(): AsyncGenerator<ReportRecord> {
      for await (const record of source.records()) {
        stop?.throwIfAborted();
        yield record;
      }
    },
  };
}

/**
 * The client's fetch and sleep, made to give up when the scan is asked to stop: a CertCentral request in
 * flight, a retry's wait or the rate limiter's wait ends at once. Nothing is claimed before a candidate's
 * requests are done, so a dropped request leaves nothing half done.
 */
function givingUpOnStop(
  given: Partial<CertCentralClientOptions>,
  stop: AbortSignal | undefined,
): Pick<CertCentralClientOptions, 'fetch' | 'sleep'> | Record<string, never> {
  if (!stop) return {};
  const fetchImpl = given.fetch ?? fetch;
  const sleepImpl = given.sleep ?? ((ms: number) => delay(ms, undefined, { signal: stop }));
  return {
    fetch: (input, init) => {
      stop.throwIfAborted();
      const signals = init?.signal ? [init.signal, stop] : [stop];
      return fetchImpl(input, { ...init, signal: AbortSignal.any(signals) });
    },
    sleep: async (ms) => {
      stop.throwIfAborted();
      await sleepImpl(ms);
      stop.throwIfAborted();
    },
  };
}

function statusOf(certCentral: CertCentralClient, stage: LocalAlertStage): () => ProgressStatus {
  return () => {
    const stats = certCentral.stats();
    if (stage.startedAt !== null) {
      const { order, subaccountOrder, duplicates } = stats.calls;
      return {
        stage: 'alerts',
        done: stage.done,
        total: stage.total,
        calls: order + subaccountOrder + duplicates,
        startedAt: stage.startedAt,
      };
    }
    return { stage: 'report', pages: stats.pages, rows: stats.rows };
  };
}

/** A dry run prints what would be sent, wherever alerts would otherwise go. */
function buildNotifier(options: ScanOptions, io: LocalScanIo): Notifier {
  if (options.dryRun) return new ConsoleNotifier({ out: io.stdout, json: options.json });
  if (options.snsTopicArn) {
    const region = options.snsTopicArn.split(':')[3];
    return new SnsNotifier(new SNSClient({ region }), options.snsTopicArn);
  }
  if (options.slackWebhookUrl)
    return new SlackNotifier(new SlackWebhookSender({ webhookUrl: options.slackWebhookUrl }));
  return new ConsoleNotifier({ out: io.stdout, json: options.json });
}

/**
 * The rules of this run. Published to an SNS topic, a flood goes out one alert at a time: the stack's route
 * subscriptions take only digests addressed to their route, which only the deployed digest function can make
 * (it knows the routes), so a digest from here would reach nobody but unfiltered subscribers.
 */
function localPolicy(options: ScanOptions): ScanOptions['policy'] {
  return options.snsTopicArn === null
    ? options.policy
    : { ...options.policy, digestThreshold: Number.MAX_SAFE_INTEGER };
}
