/**
 * The test function: invoked by hand (`aws lambda invoke`), it sends every route one marked test alert
 * (`"test": true`, subject `[test] …`), addressed to the route by name so that it passes the route's filters
 * whatever they are, and puts one on the EventBridge bus when there is one. It reads no state and no API key.
 */
import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HouseFunction } from './house-function.ts';

export interface TestAlertProps {
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
}

export class TestAlert extends Construct {
  readonly sender: HouseFunction;

  constructor(scope: Construct, id: string, props: TestAlertProps) {
    super(scope, id);
    this.sender = new HouseFunction(this, 'Sender', {
      entry: 'functions/test-alert.ts',
      description: 'Sends every route a marked test alert (invoke it by hand)',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      environment: props.environment,
    });
  }
}
