/**
 * The alert function's handler: one SQS record = one candidate. Enrich, re-evaluate, claim, publish, mark
 * sent (the core's `announce`); report exactly the records that failed so only they are retried.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { CertCentralClient, CertCentralClientOptions } from '../certcentral/certcentral-client.ts';
import { CertCentralError, CertCentralKeyRefusedError } from '../certcentral/errors.ts';
import { Redactor } from '../certcentral/redact.ts';
import { announce, DUPLICATES_REFUSED_NOTICE } from '../core/announce.ts';
import type { DigestLedger } from '../core/digest.ts';
import type { Notifier, StateStore } from '../core/ports.ts';
import type { CachedSecret } from '../runtime/cached-secret.ts';
import { parseCandidateMessage } from '../runtime/candidate-message-schema.ts';
import type { AlertRuntimeEnvironment } from '../runtime/environment.ts';
import { lambdaCertCentralClient } from '../runtime/lambda-certcentral-client.ts';
import { count, logger, Metric, metrics, tracer } from '../runtime/observability.ts';

export interface AlertDependencies {
  env: AlertRuntimeEnvironment;
  apiKey: Pick<CachedSecret, 'value'>;
  state: StateStore;
  notifier: Notifier;
  /** Where events sent `digested` are recorded for their scan's digest. */
  digests: Pick<DigestLedger, 'record'>;
  fetch?: typeof fetch;
  /** Client settings the environment does not carry: tests inject a clock, sleep and random. */
  certCentral?: Partial<CertCentralClientOptions>;
  clock?: () => Date;
}

/**
 * CertCentral did not answer within a request's whole budget (no answer, no connection, 5xx or 429 to the
 * end): the rest of the batch would only run the function into its timeout, so it goes back to the queue.
 */
const certCentralDown = (error: unknown): boolean =>
  error instanceof CertCentralError &&
  (error.status === null || error.status === 429 || error.status >= 500) &&
  error.code !== 'invalid_response';

/**
 * One client per API key value, kept across invocations: its rate limiter must remember the calls this worker
 * made in the last minutes, or back-to-back batches would overrun the worker's share of DigiCert's limit.
 */
function clientFor(deps: AlertDependencies): (apiKey: string) => CertCentralClient {
  let current: { apiKey: string; client: CertCentralClient } | null = null;
  return (apiKey) => {
    if (current?.apiKey !== apiKey) {
      current = {
        apiKey,
        client: lambdaCertCentralClient(deps.env.certCentral, apiKey, {
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...deps.certCentral,
        }),
      };
    }
    return current.client;
  };
}

export function makeBatchProcessor(deps: AlertDependencies): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const certCentralFor = clientFor(deps);
  const clock = deps.clock ?? (() => new Date());
  return async (event) => {
    const failures: SQSBatchItemFailure[] = [];
    const apiKey = await deps.apiKey.value();
    const redactor = new Redactor([apiKey]);
    const details = certCentralFor(apiKey);
    const before = details.stats();
    let keyRefused = false;
    let unreachable = false;
    for (const record of event.Records) {
      if (keyRefused || unreachable) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        const message = parseCandidateMessage(record.body);
        const outcome = await announce(message, {
          details,
          state: deps.state,
          notifier: deps.notifier,
          clock,
          policy: deps.env.policy,
          digests: deps.digests,
          consoleUrl: deps.env.certCentral.consoleUrl,
        });
        const renewed = outcome.sent.filter((sent) => sent.type === 'certificate.renewed').length;
        count(Metric.AlertsSent, outcome.sent.length - renewed);
        count(Metric.RenewedNoticesSent, renewed);
        count(
          Metric.ExpiredAlertsSent,
          outcome.sent.filter((sent) => sent.type === 'certificate.expired').length,
        );
        if (outcome.duplicatesRefused) {
          logger.warn(DUPLICATES_REFUSED_NOTICE, { orderId: message.candidate.order.orderId });
        }
        if (outcome.failed.length > 0) {
          count(Metric.AlertsFailed, outcome.failed.length);
          logger.error('send failed; claim released for the retry', {
            messageId: record.messageId,
            certificates: outcome.failed.map((failed) => failed.certKey),
            error: redactor.errorText(outcome.failed[0]?.error),
          });
          failures.push({ itemIdentifier: record.messageId });
        }
      } catch (error) {
        keyRefused = error instanceof CertCentralKeyRefusedError;
        unreachable = certCentralDown(error);
        if (keyRefused) count(Metric.CertCentralKeyRefused);
        logger.error('candidate failed', { messageId: record.messageId, error: redactor.errorText(error) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    const after = details.stats();
    count(Metric.CertCentralCalls, after.totalCalls - before.totalCalls);
    count(Metric.CertCentralThrottled, after.throttled - before.throttled);
    return { batchItemFailures: failures };
  };
}

export const makeHandler = (deps: AlertDependencies) =>
  middy(makeBatchProcessor(deps))
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
