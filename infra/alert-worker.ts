/**
 * The alert side of the fan-out: the work queue the scan fills, its dead-letter queue, and the function that
 * enriches, claims and publishes each candidate, at a capped concurrency so DigiCert's rate limit holds.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { requestBudgetEnvironment, requestBudgetFor } from '../functions/runtime/environment.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';

const ALERT_TIMEOUT = Duration.seconds(60);
/** AWS's advice for an SQS event source: at least six times the function timeout. */
const WORK_QUEUE_VISIBILITY = Duration.seconds(ALERT_TIMEOUT.toSeconds() * 6);
const MAX_RECEIVE_COUNT = 3;

export interface AlertWorkerProps {
  environment: Readonly<Record<string, string>>;
  concurrency: number;
  logRetention: RetentionDays;
}

export class AlertWorker extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly worker: HouseFunction;

  constructor(scope: Construct, id: string, props: AlertWorkerProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', 'the work queue');
    this.queue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: WORK_QUEUE_VISIBILITY,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.worker = new HouseFunction(this, 'Worker', {
      entry: 'functions/alert.ts',
      description: 'Enriches, claims and publishes one batch of expiry alert candidates',
      memorySize: 512,
      timeout: ALERT_TIMEOUT,
      logRetention: props.logRetention,
      // Each CertCentral request's time budget, from this function's timeout: it ends well before it.
      environment: {
        ...props.environment,
        ...requestBudgetEnvironment(requestBudgetFor(ALERT_TIMEOUT.toSeconds())),
      },
    });
    this.worker.lambda.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: props.concurrency,
      }),
    );
  }
}
