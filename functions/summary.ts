/** Weekly summary Lambda entry point (EventBridge schedule): wires AWS once per cold start. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { makeHandler } from './handlers/summary-handler.ts';
import { SnsSummarySender } from './notify/sns-summary.ts';
import { CachedSecret } from './runtime/cached-secret.ts';
import { tracer } from './runtime/observability.ts';
import { readSummaryEnvironment } from './runtime/summary-environment.ts';
import { createDynamoClients } from './state/dynamo-clients.ts';
import { DynamoStateStore } from './state/dynamo-state-store.ts';

const env = readSummaryEnvironment(process.env);
const topic = new SnsSummarySender(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn);

export const handler = makeHandler({
  env,
  apiKey: new CachedSecret(
    tracer.captureAWSv3Client(new SecretsManagerClient({})),
    env.certCentral.apiKeySecretArn,
  ),
  state: new DynamoStateStore(createDynamoClients({}).doc, env.tableName),
  sender: topic,
});
