/** Scan Lambda entry point (EventBridge schedule): wires AWS once per cold start; the handler does the rest. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { makeHandler, type ScanDependencies } from './handlers/scan-handler.ts';
import { SnsNotifier } from './notify/sns-notifier.ts';
import { CachedSecret } from './runtime/cached-secret.ts';
import { readScanEnvironment } from './runtime/environment.ts';
import { tracer } from './runtime/observability.ts';
import { SqsCandidateQueue } from './runtime/sqs-candidate-queue.ts';
import { createDynamoClients } from './state/dynamo-clients.ts';
import { DynamoStateStore } from './state/dynamo-state-store.ts';

function awsDependencies(): ScanDependencies {
  const env = readScanEnvironment(process.env);
  const { doc } = createDynamoClients({});
  return {
    env,
    apiKey: new CachedSecret(
      tracer.captureAWSv3Client(new SecretsManagerClient({})),
      env.certCentral.apiKeySecretArn,
    ),
    state: new DynamoStateStore(doc, env.tableName),
    queue: new SqsCandidateQueue(tracer.captureAWSv3Client(new SQSClient({})), env.queueUrl),
    notifier: new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn),
  };
}

export const handler = makeHandler(awsDependencies());
