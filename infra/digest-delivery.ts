/**
 * The digest function and the EventBridge schedule that runs it every 5 minutes: each run sends the digests the
 * scan opened once the alert workers have drained the work queue. Reserved concurrency 1: two runs never send
 * the same digest twice.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';

const DIGEST_RATE = Duration.minutes(5);
const DIGEST_TIMEOUT = Duration.minutes(5);

export interface DigestDeliveryProps {
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
}

export class DigestDelivery extends Construct {
  readonly sender: HouseFunction;
  readonly rule: events.Rule;
  /** Schedule events that could not be delivered to the function. */
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: DigestDeliveryProps) {
    super(scope, id);
    this.sender = new HouseFunction(this, 'Sender', {
      entry: 'functions/digest.ts',
      description: 'Sends each open alert digest once the alert workers have drained the work queue',
      memorySize: 512,
      timeout: DIGEST_TIMEOUT,
      logRetention: props.logRetention,
      environment: props.environment,
      reservedConcurrentExecutions: 1,
    });
    // A missed run costs nothing, the next one sends what it would have; but a schedule that can never start
    // the function would hold every digest back unnoticed, so its events land in a queue with an alarm.
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', 'the digest schedule');
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Sends the alert digests that are due',
      schedule: events.Schedule.rate(DIGEST_RATE),
      targets: [
        new LambdaFunction(this.sender.lambda, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue }),
      ],
    });
  }
}
