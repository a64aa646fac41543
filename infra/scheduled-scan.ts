/**
 * The scan function and the EventBridge schedule that runs it. Reserved concurrency 1: two scans never overlap.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { requestBudgetEnvironment, requestBudgetFor } from '../functions/runtime/environment.ts';
import type { HouseFunction } from './house-function.ts';
import { ScheduledFunction } from './scheduled-function.ts';

const SCAN_TIMEOUT = Duration.minutes(15);

export interface ScheduledScanProps {
  /** An EventBridge schedule expression, already validated. */
  schedule: string;
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
}

export class ScheduledScan extends ScheduledFunction {
  constructor(scope: Construct, id: string, props: ScheduledScanProps) {
    super(scope, id, {
      functionId: 'Scanner',
      entry: 'functions/scan.ts',
      description: 'Reads the CertCentral order report and queues the certificates that crossed a threshold',
      memorySize: 1024,
      timeout: SCAN_TIMEOUT,
      logRetention: props.logRetention,
      // Each CertCentral request's time budget, from this function's timeout.
      environment: {
        ...props.environment,
        ...requestBudgetEnvironment(requestBudgetFor(SCAN_TIMEOUT.toSeconds())),
      },
      schedule: events.Schedule.expression(props.schedule),
      ruleDescription: 'Runs the certificate expiry scan',
      scheduleName: 'the scan schedule',
    });
  }

  get scanner(): HouseFunction {
    return this.function;
  }
}
