/**
 * The local composition root: wires the CertCentral client, the state store (embedded or any DynamoDB API)
 * and the notifier to the core, and runs the scan and the alert stage in one process.
 */

import { SNSClient } from '@aws-sdk/client-sns';
import {
  CertCentralClient,
  type CertCentralClientOptions,
  type CertCentralStats,
} from '../certcentral/certcentral-client.ts';
import { CertCentralError, CertCentralKeyRefusedError } from '../certcentral/errors.ts';
import { digicertWindows } from '../certcentral/rate-limiter.ts';
import { retryWaitNotice } from '../certcentral/retry-notice.ts';
import { type AnnounceOutcome, announce, type CandidateMessage } from '../core/announce.ts';
import { ConfigError } from '../core/config.ts';
import { deliverDigest } from '../core/digest.ts';
import type { AlertDigest } from '../core/model.ts';
import type { Log, Notifier, StateStore } from '../core/ports.ts';
import { runScan, type ScanResult } from '../core/scan.ts';
import { ConsoleNotifier } from '../notify/console-notifier.ts';
import { SlackNotifier, SlackWebhookSender } from '../notify/slack-webhook.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { createDynamoClients } from '../state/dynamo-clients.ts';
import { DynamoStateStore } from '../state/dynamo-state-store.ts';
import { startEmbeddedDynamoDB } from '../state/embedded-dynamodb.ts';
import { MemoryDigestLedger } from '../state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../state/memory-state-store.ts';
import { countRequests, type DynamoRequestCounts } from '../state/request-counter.ts';
import { ensureStateTable } from '../state/state-table.ts';
import { DEFAULT_TABLE, type ScanOptions } from './scan-options.ts';

export interface LocalScanIo {
  stdout: NodeJS.WritableStream;
  log: Log;
  /** Client settings that flags do not reach: tests inject sleep/random, the benchmark a fetch. */
  certCentral?: Partial<CertCentralClientOptions>;
}

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

export interface LocalScanSummary {
  scan: ScanResult;
  alerts: AlertStageTotals;
  /** The digest people got instead of the flood: the alerts this scan claimed and sent `digested`. */
  digest: AlertDigest | null;
  certCentral: CertCentralStats;
  /** Requests of this scan to the state table (table creation excluded). */
  dynamo: DynamoRequestCounts;
  dryRun: boolean;
}

/** How many candidates the alert stage works on at once; the client's rate limiter paces the calls. */
const ALERT_STAGE_CONCURRENCY = 8;

/** Someone is waiting at a terminal: 30 s per attempt, about 2 minutes per request before saying it failed. */
export const LOCAL_ATTEMPT_TIMEOUT_MS = 30_000;
export const LOCAL_RETRY_BUDGET_MS = 120_000;

export async function runLocalScan(options: ScanOptions, io: LocalScanIo): Promise<LocalScanSummary> {
  const clock = options.now ? () => options.now as Date : () => new Date();
  const certCentral = new CertCentralClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    pageSize: options.pageSize,
    maxReportRows: options.maxReportRows,
    limits: digicertWindows(options.rateLimits),
    timeoutMs: LOCAL_ATTEMPT_TIMEOUT_MS,
    retry: { maxElapsedMs: LOCAL_RETRY_BUDGET_MS },
    onRetryWait: (wait) => {
      const notice = retryWaitNotice(wait);
      if (notice !== null) io.log.warn(notice);
    },
    ...io.certCentral,
  });
  const notifier = buildNotifier(options, io);
  const store = await openStateStore(options);
  try {
    const state: StateStore = options.dryRun
      ? new MemoryStateStore(await store.state.loadAll())
      : store.state;
    const totals = emptyTotals();
    const digests = new MemoryDigestLedger();
    const dispatch = (messages: CandidateMessage[]) =>
      forEachConcurrently(messages, ALERT_STAGE_CONCURRENCY, async (message) => {
        try {
          addOutcome(
            totals,
            await announce(message, {
              details: certCentral,
              state,
              notifier,
              clock,
              policy: options.policy,
              digests,
              consoleUrl: options.consoleUrl,
            }),
          );
        } catch (error) {
          if (error instanceof CertCentralKeyRefusedError) throw error;
          totals.failedCandidates += 1;
          io.log.error('candidate failed', {
            orderId: message.candidate.order.orderId,
            error: describe(error),
          });
        }
      });
    const scan = await runScan({
      report: certCentral,
      state,
      digests,
      dispatch,
      policy: options.policy,
      clock,
      log: io.log,
    });
    // The alert stage ran in-process during `dispatch`: it has drained, the digest is due.
    // No routes locally: one digest of every alert.
    const digest = scan.digestOpened
      ? ((await deliverDigest(scan.scannedAt, { ledger: digests, notifier }))[0] ?? null)
      : null;
    return {
      scan,
      alerts: totals,
      digest,
      certCentral: certCentral.stats(),
      dynamo: store.requests(),
      dryRun: options.dryRun,
    };
  } finally {
    await store.close();
  }
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

interface OpenStateStore {
  state: StateStore;
  requests: () => DynamoRequestCounts;
  close: () => Promise<void>;
}

async function openStateStore(options: ScanOptions): Promise<OpenStateStore> {
  const embedded =
    options.state.kind === 'embedded' ? await startEmbeddedDynamoDB({ dir: options.state.dir }) : null;
  const { client, doc } = createDynamoClients(
    options.state.kind === 'endpoint' ? options.state : { endpoint: embedded?.endpoint },
  );
  const table = options.state.kind === 'endpoint' ? options.state.table : DEFAULT_TABLE;
  await ensureStateTable(client, table);
  return {
    state: new DynamoStateStore(doc, table),
    requests: countRequests(client),
    close: async () => {
      client.destroy();
      await embedded?.close();
    },
  };
}

function emptyTotals(): AlertStageTotals {
  return {
    sent: 0,
    renewedSent: 0,
    skipped: {},
    failedSends: 0,
    failedCandidates: 0,
    viaSubaccount: 0,
    enriched: 0,
  };
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

async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
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
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = error instanceof CertCentralError || error instanceof ConfigError;
  const generic = error.name === 'Error' || error.name === 'TypeError' || error.name === '';
  return own || generic || error.message === ''
    ? error.message || error.name
    : `${error.name}: ${error.message}`;
}
