/**
 * The scan function and the EventBridge schedule that runs it. Reserved concurrency 1: two scans never overlap.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';

const SCAN_TIMEOUT = Duration.minutes(15);

export interface ScheduledScanProps {
  /** An EventBridge schedule expression, already validated. */
  schedule: string;
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
}

export class ScheduledScan extends Construct {
  readonly scanner: HouseFunction;
  readonly rule: events.Rule;
  /** Schedule events that could not be delivered to the function. */
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScheduledScanProps) {
    super(scope, id);
    this.scanner = new HouseFunction(this, 'Scanner', {
      entry: 'functions/scan.ts',
      description: 'Reads the CertCentral order report and queues the certificates that crossed a threshold',
      memorySize: 1024,
      timeout: SCAN_TIMEOUT,
      logRetention: props.logRetention,
      environment: props.environment,
      reservedConcurrentExecutions: 1,
    });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', 'the scan schedule');
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the certificate expiry scan',
      schedule: events.Schedule.expression(props.schedule),
      targets: [
        new LambdaFunction(this.scanner.lambda, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue }),
      ],
    });
  }
}
