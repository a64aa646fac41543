/** The AWS adapters the scan and alert functions share, built once per cold start and traced. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { createDynamoClients } from '../state/dynamo-clients.ts';
import { DynamoDigestLedger } from '../state/dynamo-digest-ledger.ts';
import { DynamoStateStore } from '../state/dynamo-state-store.ts';
import { CachedSecret } from './cached-secret.ts';
import type { AlertRuntimeEnvironment } from './environment.ts';
import { tracer } from './observability.ts';

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
    notifier: new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn),
  };
}
