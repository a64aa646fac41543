/** Scan Lambda entry point (EventBridge schedule): wires AWS once per cold start; the handler does the rest. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { makeHandler } from './handlers/scan-handler.ts';
import { awsAdapters } from './runtime/aws-adapters.ts';
import { readScanEnvironment } from './runtime/environment.ts';
import { tracer } from './runtime/observability.ts';
import { SqsCandidateQueue } from './runtime/sqs-candidate-queue.ts';

const env = readScanEnvironment(process.env);
// The scan publishes nothing: on a flood it opens the digest, which the digest function sends.
const { apiKey, state, digests } = awsAdapters(env);

export const handler = makeHandler({
  env,
  apiKey,
  state,
  digests,
  queue: new SqsCandidateQueue(tracer.captureAWSv3Client(new SQSClient({})), env.queueUrl),
});
