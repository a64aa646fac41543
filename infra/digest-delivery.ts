/**
 * The digest function and the EventBridge schedule that runs it every 5 minutes: each run sends the digests the
 * scan opened once the alert workers have drained the work queue. Reserved concurrency 1: two runs never send
 * the same digest twice. A missed run costs nothing, the next one sends what it would have.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HouseFunction } from './house-function.ts';
import { ScheduledFunction } from './scheduled-function.ts';

const DIGEST_RATE = Duration.minutes(5);
const DIGEST_TIMEOUT = Duration.minutes(5);

export interface DigestDeliveryProps {
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
}

export class DigestDelivery extends ScheduledFunction {
  constructor(scope: Construct, id: string, props: DigestDeliveryProps) {
    super(scope, id, {
      functionId: 'Sender',
      entry: 'functions/digest.ts',
      description: 'Sends each open alert digest once the alert workers have drained the work queue',
      memorySize: 512,
      timeout: DIGEST_TIMEOUT,
      logRetention: props.logRetention,
      environment: props.environment,
      schedule: events.Schedule.rate(DIGEST_RATE),
      ruleDescription: 'Sends the alert digests that are due',
      scheduleName: 'the digest schedule',
    });
  }

  get sender(): HouseFunction {
    return this.function;
  }
}
