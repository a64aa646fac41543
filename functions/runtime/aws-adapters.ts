/** The AWS adapters the scan and alert functions share, built once per cold start and traced. */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../core/ports.ts';
import { EventBridgeNotifier } from '../notify/eventbridge-notifier.ts';
import { FanOutNotifier } from '../notify/fan-out-notifier.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { createDynamoClients } from '../state/dynamo-clients.ts';
import { DynamoDigestLedger } from '../state/dynamo-digest-ledger.ts';
import { DynamoStateStore } from '../state/dynamo-state-store.ts';
import { CachedSecret } from './cached-secret.ts';
import type { AlertRuntimeEnvironment } from './environment.ts';
import { logger, Metric, metrics, tracer } from './observability.ts';

export function awsAdapters(env: AlertRuntimeEnvironment) {
  const { doc } = createDynamoClients({});
  return {
    apiKey: new CachedSecret(
      tracer.captureAWSv3Client(new SecretsManagerClient({})),
      env.certCentral.apiKeySecretArn,
    ),
    state: new DynamoStateStore(doc, env.tableName, {
      retainDaysAfterExpiry: env.stateRetentionDays,
      claimLeaseSeconds: env.claimLeaseSeconds,
    }),
    digests: new DynamoDigestLedger(doc, env.digestTableName),
    notifier: alertNotifier(env),
  };
}

/**
 * SNS, then the EventBridge bus when there is one. The bus is a copy for machines: its failure is logged and
 * counted (`EventBusPutsFailed`, which has an alarm) and never keeps the alert from people or sends it twice.
 */
function alertNotifier(env: Pick<AlertRuntimeEnvironment, 'topicArn' | 'eventBusName'>): Notifier {
  const sns = new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn);
  if (env.eventBusName === null) return sns;
  const bus = new EventBridgeNotifier(tracer.captureAWSv3Client(new EventBridgeClient({})), env.eventBusName);
  return new FanOutNotifier(sns, [bus], (error, event) => {
    logger.error('the alert reached people but not the EventBridge bus', {
      type: event.type,
      orderId: event.orderId,
      certificateId: event.certificateId,
      error: error instanceof Error ? error.message : String(error),
    });
    metrics.addMetric(Metric.EventBusPutsFailed, MetricUnit.Count, 1);
  });
}
