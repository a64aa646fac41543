/**
 * The weekly summary function and its schedule (`summarySchedule`, default Monday 07:00 UTC): it reads the report
 * pages and the state table and publishes one summary to the alert topic. One instance at a time; a missed run
 * sets its event aside in a dead-letter queue, with an alarm.
 *
 * Its CertCentral share is small and its own (`rate-budget.ts`): the report pages one after another, so a week's
 * summary of 100,000 orders (101 pages) takes about six minutes at its 3-minute limit.
 */

import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { requestBudgetEnvironment, requestBudgetFor } from '../functions/runtime/environment.ts';
import type { HouseFunction } from './house-function.ts';
import type { RequestBudget } from './rate-budget.ts';
import { ScheduledFunction } from './scheduled-function.ts';

const SUMMARY_TIMEOUT = Duration.minutes(15);

export interface WeeklySummaryProps {
  /** An EventBridge schedule expression, already validated. */
  schedule: string;
  environment: Readonly<Record<string, string>>;
  logRetention: RetentionDays;
  /** What the summary may spend of DigiCert's limits (`rateBudget(...).summary`). */
  share: RequestBudget;
}

export class WeeklySummary extends ScheduledFunction {
  constructor(scope: Construct, id: string, props: WeeklySummaryProps) {
    super(scope, id, {
      functionId: 'Sender',
      entry: 'functions/summary.ts',
      description: 'Sends the weekly summary of the certificates that expire soon',
      memorySize: 1024,
      timeout: SUMMARY_TIMEOUT,
      logRetention: props.logRetention,
      environment: {
        ...props.environment,
        ...requestBudgetEnvironment(requestBudgetFor(SUMMARY_TIMEOUT.toSeconds())),
        CERTCENTRAL_REQUESTS_PER_5S: String(props.share.per5s),
        CERTCENTRAL_REQUESTS_PER_3MIN: String(props.share.per3min),
      },
      schedule: events.Schedule.expression(props.schedule),
      ruleDescription: 'Sends the weekly certificate summary',
      scheduleName: 'the summary schedule',
    });
  }

  get sender(): HouseFunction {
    return this.function;
  }
}
