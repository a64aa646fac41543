/**
 * The scan function's handler: streams the report, decides the candidates and queues them for the alert
 * function. Dependencies come in, so tests wire fakes or local servers; `functions/scan.ts` wires AWS.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { CertCentralClientOptions } from '../certcentral/certcentral-client.ts';
import { Redactor } from '../certcentral/redact.ts';
import type { DigestLedger } from '../core/digest.ts';
import type { StateStore } from '../core/ports.ts';
import { runScan, type ScanResult } from '../core/scan.ts';
import type { CachedSecret } from '../runtime/cached-secret.ts';
import type { ScanRuntimeEnvironment } from '../runtime/environment.ts';
import { lambdaCertCentralClient } from '../runtime/lambda-certcentral-client.ts';
import { count, log, logger, Metric, metrics, tracer } from '../runtime/observability.ts';
import { logRunFailure } from '../runtime/run-failure.ts';
import type { SqsCandidateQueue } from '../runtime/sqs-candidate-queue.ts';

export interface ScanDependencies {
  env: ScanRuntimeEnvironment;
  apiKey: Pick<CachedSecret, 'value'>;
  state: Pick<StateStore, 'loadAll'>;
  queue: Pick<SqsCandidateQueue, 'send'>;
  /** Where a flood's digest is opened; the digest function delivers it once the alert stage has drained. */
  digests: Pick<DigestLedger, 'open'>;
  fetch?: typeof fetch;
  /** Client settings the environment does not carry: tests inject a clock, sleep and random. */
  certCentral?: Partial<CertCentralClientOptions>;
  clock?: () => Date;
}

export async function scanOnce(deps: ScanDependencies): Promise<ScanResult> {
  const { env } = deps;
  const apiKey = await deps.apiKey.value();
  const redactor = new Redactor([apiKey]);
  const client = lambdaCertCentralClient(env.certCentral, apiKey, {
    pageSize: env.pageSize,
    maxReportRows: env.maxReportRows,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...deps.certCentral,
  });
  try {
    const result = await runScan({
      report: client,
      state: deps.state,
      digests: deps.digests,
      dispatch: (messages) => deps.queue.send(messages),
      policy: env.policy,
      clock: deps.clock ?? (() => new Date()),
      log,
    });
    count(Metric.ScanSucceeded);
    count(Metric.Candidates, result.alertCandidates + result.renewedCandidates);
    count(Metric.RowsSkipped, result.skippedRows);
    if (result.digestOpened) count(Metric.DigestsOpened);
    publishCensus(result);
    const { rows, skippedRows, alertCandidates, renewedCandidates, knownCertificates, scannedAt } = result;
    logger.info('scan done', {
      scannedAt,
      rows,
      skippedRows,
      alertCandidates,
      renewedCandidates,
      knownCertificates,
    });
    return result;
  } catch (error) {
    logRunFailure('scan failed', error, redactor);
    throw error;
  } finally {
    const stats = client.stats();
    count(Metric.CertCentralCalls, stats.totalCalls);
    count(Metric.CertCentralThrottled, stats.throttled);
    logger.info('certcentral usage', {
      calls: stats.calls,
      retries: stats.retries,
      throttled: stats.throttled,
    });
  }
}

/** The dashboard's picture of the account: one data point per band (and muted) per scan. */
function publishCensus({ census }: ScanResult): void {
  count(Metric.CertificatesExpired, census.bands.expired);
  count(Metric.CertificatesWithin7Days, census.bands.within7);
  count(Metric.CertificatesWithin30Days, census.bands.within30);
  count(Metric.CertificatesWithin90Days, census.bands.within90);
  count(Metric.CertificatesMuted, census.muted);
}

export const makeHandler = (deps: ScanDependencies) =>
  middy(async (): Promise<void> => {
    await scanOnce(deps);
  })
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
