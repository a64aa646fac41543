/**
 * The weekly summary function's handler: reads the report pages and the state, and sends each audience its
 * summary: one per route, or one to the alert topic when the stack has no route. Dependencies come in, so tests wire the
 * simulator and dynalite; `functions/summary.ts` wires AWS.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { CertCentralClientOptions } from '../certcentral/certcentral-client.ts';
import { Redactor } from '../certcentral/redact.ts';
import type { StateStore } from '../core/ports.ts';
import {
  type SummaryRunResult,
  sendWeeklySummaries,
  summaryAudiences,
  type WeeklySummary,
} from '../core/summary.ts';
import type { CachedSecret } from '../runtime/cached-secret.ts';
import { lambdaCertCentralClient } from '../runtime/lambda-certcentral-client.ts';
import { count, log, logger, Metric, metrics, tracer } from '../runtime/observability.ts';
import { logRunFailure } from '../runtime/run-failure.ts';
import type { SummaryRuntimeEnvironment } from '../runtime/summary-environment.ts';

export interface SummaryDependencies {
  env: SummaryRuntimeEnvironment;
  apiKey: Pick<CachedSecret, 'value'>;
  state: Pick<StateStore, 'loadAll'>;
  /** Publishes a summary (to the alert topic, addressed to its route when it has one). */
  sender: { send(summary: WeeklySummary): Promise<void> };
  fetch?: typeof fetch;
  /** Client settings the environment does not carry: tests inject a clock, sleep and random. */
  certCentral?: Partial<CertCentralClientOptions>;
  clock?: () => Date;
}

export async function summarizeOnce(deps: SummaryDependencies): Promise<SummaryRunResult> {
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
    const result = await sendWeeklySummaries({
      report: client,
      state: deps.state,
      audiences: summaryAudiences(env.routes, deps.sender),
      policy: env.policy,
      withinDays: env.withinDays,
      clock: deps.clock ?? (() => new Date()),
      log,
    });
    count(Metric.SummariesSent, result.sent.length);
    return result;
  } catch (error) {
    logRunFailure('summary failed', error, redactor);
    throw error;
  } finally {
    const stats = client.stats();
    count(Metric.CertCentralCalls, stats.totalCalls);
    count(Metric.CertCentralThrottled, stats.throttled);
  }
}

export const makeHandler = (deps: SummaryDependencies) =>
  middy(async (): Promise<void> => {
    await summarizeOnce(deps);
  })
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
