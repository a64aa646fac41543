/**
 * The digest function's handler, run every few minutes: delivers each open digest once the alert stage that
 * fills it has drained (the work queue holds no message, and the digest has settled past SQS's counting lag).
 * A candidate that failed into the dead-letter queue no longer holds the digest back; the digest lists it if it
 * got as far as its claim, and the next scan finds it again.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { type DigestLedger, deliverDigest, type OpenDigest } from '../core/digest.ts';
import type { Notifier } from '../core/ports.ts';
import type { DigestRuntimeEnvironment } from '../runtime/environment.ts';
import { count, logger, Metric, metrics, tracer } from '../runtime/observability.ts';
import type { SqsQueueDepth } from '../runtime/sqs-queue-depth.ts';

export interface DigestDependencies {
  env: Pick<DigestRuntimeEnvironment, 'settleSeconds'>;
  ledger: DigestLedger;
  notifier: Pick<Notifier, 'sendDigest'>;
  workQueue: Pick<SqsQueueDepth, 'messages'>;
  clock?: () => Date;
}

export interface DigestRunResult {
  /** Digests sent (`scannedAt` of each). */
  delivered: string[];
  /** Open digests left for a later run: still settling, or the alert stage still working. */
  waiting: string[];
}

export async function deliverDueDigests(deps: DigestDependencies): Promise<DigestRunResult> {
  const result: DigestRunResult = { delivered: [], waiting: [] };
  const open = await deps.ledger.openDigests();
  if (open.length === 0) return result;
  const now = (deps.clock ?? (() => new Date()))().getTime();
  const settled = ({ openedAt }: OpenDigest) => now - Date.parse(openedAt) >= deps.env.settleSeconds * 1000;
  const pending = open.some(settled) ? await deps.workQueue.messages() : 0;
  for (const digest of open) {
    if (pending > 0 || !settled(digest)) {
      result.waiting.push(digest.scannedAt);
      continue;
    }
    const sent = await deliverDigest(digest.scannedAt, { ledger: deps.ledger, notifier: deps.notifier });
    count(Metric.DigestsSent, sent.length);
    logger.info(sent.length > 0 ? 'digests sent' : 'digest had nothing to list', {
      scannedAt: digest.scannedAt,
      digests: sent.map((each) => ({ route: each.route, alerts: each.total, listed: each.alerts.length })),
    });
    result.delivered.push(digest.scannedAt);
  }
  if (result.waiting.length > 0) {
    logger.info('digests waiting for the alert stage', { waiting: result.waiting, queuedMessages: pending });
  }
  return result;
}

export const makeHandler = (deps: DigestDependencies) =>
  middy(async (): Promise<DigestRunResult> => deliverDueDigests(deps))
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
