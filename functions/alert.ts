/** Alert Lambda entry point (SQS work queue): wires AWS once per cold start; the handler does the rest. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { type AlertDependencies, makeHandler } from './handlers/alert-handler.ts';
import { SnsNotifier } from './notify/sns-notifier.ts';
import { CachedSecret } from './runtime/cached-secret.ts';
import { readAlertEnvironment } from './runtime/environment.ts';
import { tracer } from './runtime/observability.ts';
import { createDynamoClients } from './state/dynamo-clients.ts';
import { DynamoStateStore } from './state/dynamo-state-store.ts';

function awsDependencies(): AlertDependencies {
  const env = readAlertEnvironment(process.env);
  const { doc } = createDynamoClients({});
  return {
    env,
    apiKey: new CachedSecret(
      tracer.captureAWSv3Client(new SecretsManagerClient({})),
      env.certCentral.apiKeySecretArn,
    ),
    state: new DynamoStateStore(doc, env.tableName),
    notifier: new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn),
  };
}

export const handler = makeHandler(awsDependencies());
