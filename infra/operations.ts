/**
 * The alarms that say the app needs a person: something in a dead-letter queue, a function failing or
 * throttled, work piling up, the DigiCert key refused, alerts the EventBridge bus refused, or no successful
 * scan for longer than the schedule's longest gap between two scans plus 2 hours (26 hours for a daily scan).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describeMinutes, type Heartbeat } from './heartbeat.ts';
import { type HouseFunction, METRICS_NAMESPACE, SERVICE_NAME } from './house-function.ts';

const RUNBOOK = 'See docs/deploy.md, "Alarms".';
const FIVE_MINUTES = Duration.minutes(5);
const OLDEST_WORK_ALARM_SECONDS = 3600;

type AlarmShape = Omit<cloudwatch.AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number };

export interface OperationsProps {
  alarmTopic: sns.ITopic;
  /** By a short readable name (`Scan`), used in the alarm's id. */
  functions: Readonly<Record<string, HouseFunction>>;
  deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  workQueue: sqs.IQueue;
  /** How long the heartbeat waits for a successful scan (`heartbeatFor` the scan's schedule). */
  heartbeat: Heartbeat;
  /** Alerts are also put on an EventBridge bus (`eventBusName`): a put that fails after people were told alarms. */
  eventBus: boolean;
}

export class Operations extends Construct {
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.action = new SnsAction(props.alarmTopic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}DeadLetters`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${name}: messages in a dead-letter queue. Read them and fix the cause before replaying them. ${RUNBOOK}`,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, {
        metric: fn.lambda.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${name} function failed. Its log group has the error. ${RUNBOOK}`,
      });
      this.alarm(`${name}Throttles`, {
        metric: fn.lambda.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${name} function was throttled. ${RUNBOOK}`,
      });
    }
    this.alarm('OldestWork', {
      metric: props.workQueue.metricApproximateAgeOfOldestMessage({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      threshold: OLDEST_WORK_ALARM_SECONDS,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: `Alert candidates have waited over an hour in the work queue. ${RUNBOOK}`,
    });
    this.alarm('KeyRefused', {
      metric: serviceMetric('CertCentralKeyRefused', FIVE_MINUTES),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: `CertCentral refused the API key: put a valid View Only key in its secret. ${RUNBOOK}`,
    });
    if (props.eventBus) {
      this.alarm('EventBusPutsFailed', {
        metric: serviceMetric('EventBusPutsFailed', FIVE_MINUTES),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `Alerts reached people but the EventBridge bus refused them: rules on the bus missed them. The alert function's log names each one. ${RUNBOOK}`,
      });
    }
    const { heartbeat } = props;
    this.alarm('Heartbeat', {
      metric: serviceMetric('ScanSucceeded', Duration.hours(1)),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: heartbeat.hours,
      datapointsToAlarm: heartbeat.hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `No successful scan in ${heartbeat.hours} hours (the schedule ${heartbeat.schedule} runs at most ${describeMinutes(heartbeat.longestGapMinutes)} apart). ${RUNBOOK}`,
    });
  }

  /** One evaluation period and missing data as "nothing wrong", unless said otherwise. */
  private alarm(id: string, props: AlarmShape): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
  }
}

function serviceMetric(metricName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
    period,
  });
}
