/**
 * The AWS around the scan and alert handlers, for one test file: a CertCentral simulator per test, a fresh
 * state table in one in-memory dynalite, and SQS, SNS and Secrets Manager mocked at the SDK client (what they
 * were sent is what the tests check). The handlers' settings are read by the real environment reader.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { CandidateMessage } from '../../../../functions/core/announce.ts';
import type { AlertDigest, NotificationEvent } from '../../../../functions/core/model.ts';
import type { RouteFilter } from '../../../../functions/core/routes.ts';
import type { AlertDependencies } from '../../../../functions/handlers/alert-handler.ts';
import type { ScanDependencies } from '../../../../functions/handlers/scan-handler.ts';
import { SnsNotifier } from '../../../../functions/notify/sns-notifier.ts';
import { CachedSecret } from '../../../../functions/runtime/cached-secret.ts';
import { parseCandidateMessage } from '../../../../functions/runtime/candidate-message-schema.ts';
import { readScanEnvironment } from '../../../../functions/runtime/environment.ts';
import { SqsCandidateQueue } from '../../../../functions/runtime/sqs-candidate-queue.ts';
import { DynamoDigestLedger } from '../../../../functions/state/dynamo-digest-ledger.ts';
import { DynamoMuteStore } from '../../../../functions/state/dynamo-mute-store.ts';
import { DynamoStateStore } from '../../../../functions/state/dynamo-state-store.ts';
import type { SimAccount } from '../../../certcentral-sim/account.ts';
import { type Simulator, startSimulator } from '../../../certcentral-sim/server.ts';
import { type LocalDynamoDB, startLocalDynamoDB } from '../../state/local-dynamodb.ts';

export const API_KEY = 'dc-live-key-4f1e9a27c3b85d60';
export const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:expiry-alerts/digicert-api-key-Ab12Cd';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic';
export const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/expiry-alerts-WorkQueue';
const REGION = 'eu-west-1';

/** The scheduled scan's instant on `day`. */
export const scanTime = (day: string): Date => new Date(`${day}T06:00:00Z`);

export interface HandlerWorld {
  sim: Simulator;
  scanDeps: ScanDependencies;
  alertDeps: AlertDependencies;
  /** The digest function's ledger (the same table as the alert function's) and notifier. */
  digestDeps: { ledger: DynamoDigestLedger; notifier: SnsNotifier };
  /** The digest function's ledger when the stack has routes: one digest per route. */
  routedLedger(routes: readonly RouteFilter[] | null): DynamoDigestLedger;

  /** The mutes of the same state table (what `expiry-alerts mute --table` writes). */
  mutes: DynamoMuteStore;
  /** The environment the handlers read (variable -> value). */
  variables: Record<string, string>;
}

export interface QueuedMessage {
  entry: SendMessageBatchRequestEntry;
  message: CandidateMessage;
}

const awsMocks = () => ({
  sqs: mockClient(SQSClient),
  sns: mockClient(SNSClient),
  secrets: mockClient(SecretsManagerClient),
});

export interface HandlerFixture extends ReturnType<typeof awsMocks> {
  /** A simulator of `account` on `account.today`, a new empty state, and handler dependencies over them. */
  world(account: SimAccount, variables?: Record<string, string>): Promise<HandlerWorld>;
  /** Each call's entries refused: the first SendMessageBatch refuses the first list of ids, and so on. */
  refuseEntries(...perCall: string[][]): void;
  /** The messages SQS accepted, in the order they were sent. */
  queued(): QueuedMessage[];
  /** Every SendMessageBatch request's entries. */
  batches(): SendMessageBatchRequestEntry[][];
  published(): PublishCommandInput[];
}

/** What machine subscribers receive: the `default` body of a `MessageStructure: json` publish. */
export function machineBody(input: PublishCommandInput): NotificationEvent | AlertDigest {
  const structured = JSON.parse(input.Message ?? '') as { default: string };
  return JSON.parse(structured.default) as NotificationEvent | AlertDigest;
}

/** Call at the top of a test file. */
export function useHandlerFixture(): HandlerFixture {
  const { sqs, sns, secrets } = awsMocks();
  let dynamo: LocalDynamoDB | undefined;
  let simulators: Simulator[] = [];
  let refusals: string[][] = [];
  let accepted: SendMessageBatchRequestEntry[] = [];

  beforeAll(async () => {
    dynamo = await startLocalDynamoDB();
  });
  afterAll(() => dynamo?.close());
  beforeEach(() => {
    refusals = [];
    accepted = [];
    sqs.reset();
    sns.reset();
    secrets.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      const refused = new Set(refusals.shift() ?? []);
      const taken = input.Entries.filter((entry) => !refused.has(entry.Id ?? ''));
      accepted.push(...taken);
      return {
        Successful: taken.map((entry) => ({
          Id: entry.Id,
          MessageId: `sqs-${accepted.length}-${entry.Id}`,
          MD5OfMessageBody: '',
        })),
        Failed: [...refused].map((id) => ({ Id: id, SenderFault: false, Code: 'InternalError' })),
      };
    });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message' });
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: API_KEY });
  });
  afterEach(async () => {
    await Promise.all(simulators.map((simulator) => simulator.close()));
    simulators = [];
  });

  async function world(account: SimAccount, overrides: Record<string, string> = {}): Promise<HandlerWorld> {
    if (!dynamo) throw new Error('useHandlerFixture: call it at the top of the test file');
    const { doc } = dynamo;
    const now = scanTime(account.today);
    const sim = await startSimulator({
      account,
      apiKey: API_KEY,
      rateLimits: false,
      now: () => now.getTime(),
    });
    simulators.push(sim);
    const variables: Record<string, string> = {
      STATE_TABLE_NAME: await dynamo.freshTable(),
      DIGEST_TABLE_NAME: await dynamo.freshDigestTable(),
      TOPIC_ARN,
      WORK_QUEUE_URL: QUEUE_URL,
      DIGICERT_API_KEY_SECRET_ARN: SECRET_ARN,
      DIGICERT_BASE_URL: sim.url,
      CERTCENTRAL_REQUESTS_PER_5S: '100',
      CERTCENTRAL_REQUESTS_PER_3MIN: '1000',
      ...overrides,
    };
    const env = readScanEnvironment(variables);
    const state = new DynamoStateStore(dynamo.doc, env.tableName);
    const digests = new DynamoDigestLedger(dynamo.doc, env.digestTableName, { clock: () => now });
    const apiKey = new CachedSecret(new SecretsManagerClient({ region: REGION }), SECRET_ARN);
    const notifier = new SnsNotifier(new SNSClient({ region: REGION }), TOPIC_ARN);
    const clock = () => now;
    return {
      sim,
      scanDeps: {
        env,
        apiKey,
        state,
        queue: new SqsCandidateQueue(new SQSClient({ region: REGION }), env.queueUrl),
        digests,
        clock,
      },
      alertDeps: { env, apiKey, state, notifier, digests, clock },
      digestDeps: { ledger: digests, notifier },
      routedLedger: (routes) =>
        new DynamoDigestLedger(doc, env.digestTableName, { clock: () => now, routes }),

      mutes: new DynamoMuteStore(dynamo.doc, env.tableName),
      variables,
    };
  }

  return {
    sqs,
    sns,
    secrets,
    world,
    refuseEntries: (...perCall) => {
      refusals = perCall;
    },
    queued: () =>
      accepted.map((entry) => ({ entry, message: parseCandidateMessage(entry.MessageBody ?? '') })),
    batches: () => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []),
    published: () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input),
  };
}
