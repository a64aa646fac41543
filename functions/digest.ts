/** Digest Lambda entry point (EventBridge, every few minutes): wires AWS once per cold start. */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { makeHandler } from './handlers/digest-handler.ts';
import { SnsNotifier } from './notify/sns-notifier.ts';
import { readDigestEnvironment } from './runtime/environment.ts';
import { tracer } from './runtime/observability.ts';
import { SqsQueueDepth } from './runtime/sqs-queue-depth.ts';
import { createDynamoClients } from './state/dynamo-clients.ts';
import { DynamoDigestLedger } from './state/dynamo-digest-ledger.ts';

const env = readDigestEnvironment(process.env);

export const handler = makeHandler({
  env,
  ledger: new DynamoDigestLedger(createDynamoClients({}).doc, env.digestTableName, { routes: env.routes }),
  notifier: new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), env.topicArn),
  workQueue: new SqsQueueDepth(tracer.captureAWSv3Client(new SQSClient({})), env.queueUrl),
});
