/**
 * A house function on an EventBridge schedule, with one instance at most: the schedule retries a failed start
 * twice and then sets the event aside in a dead-letter queue (with its alarm), so a function that can never
 * start does not go unnoticed.
 */
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction, type HouseFunctionProps } from './house-function.ts';

export interface ScheduledFunctionProps extends Omit<HouseFunctionProps, 'reservedConcurrentExecutions'> {
  /** The construct id of the function inside this construct. */
  functionId: string;
  schedule: events.Schedule;
  ruleDescription: string;
  /** What the schedule starts, for the dead-letter queue's description ("the scan schedule"). */
  scheduleName: string;
}

export class ScheduledFunction extends Construct {
  readonly function: HouseFunction;
  readonly rule: events.Rule;
  /** Schedule events that could not be delivered to the function. */
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    const { functionId, schedule, ruleDescription, scheduleName, ...functionProps } = props;
    this.function = new HouseFunction(this, functionId, {
      ...functionProps,
      reservedConcurrentExecutions: 1,
    });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', scheduleName);
    this.rule = new events.Rule(this, 'Schedule', {
      description: ruleDescription,
      schedule,
      targets: [
        new LambdaFunction(this.function.lambda, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue }),
      ],
    });
  }
}
