/**
 * One CloudWatch dashboard: the account's certificates by band of days left (as each scan counts them) and the
 * muted ones, what was sent by type, the scan's duration, CertCentral calls and 429s, and the work queue's age
 * and the dead-letter queues. The scan publishes one data point per band per scan.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type HouseFunction, METRICS_NAMESPACE, SERVICE_NAME } from './house-function.ts';

const DAY = Duration.days(1);
const HOUR = Duration.hours(1);
const WIDE = 12;
const HIGH = 6;

/** The scan's census, band by band: the metric names the scan handler publishes. */
export const BAND_METRICS = {
  CertificatesExpired: 'expired (look-back)',
  CertificatesWithin7Days: '≤ 7 days',
  CertificatesWithin30Days: '≤ 30 days',
  CertificatesWithin90Days: '≤ 90 days',
} as const;

/** What the functions send, by type. */
export const SENT_METRICS = {
  AlertsSent: 'alerts (expiring and expired)',
  ExpiredAlertsSent: 'of which expired',
  RenewedNoticesSent: 'renewed notices',
  DigestsSent: 'digests',
  SummariesSent: 'weekly summaries',
  AlertsFailed: 'failed sends (retried)',
} as const;

function serviceMetric(
  metricName: string,
  label: string,
  statistic: string,
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
    label,
  });
}

export interface DashboardProps {
  scan: HouseFunction;
  workQueue: sqs.IQueue;
  deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

export class ExpiryDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const bands = Object.entries(BAND_METRICS).map(([name, label]) =>
      serviceMetric(name, label, 'Maximum', DAY),
    );
    const muted = serviceMetric('CertificatesMuted', 'muted', 'Maximum', DAY);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(30),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Certificates by days left (each scan)',
            left: bands,
            width: WIDE,
            height: HIGH,
            leftYAxis: { min: 0, label: 'certificates', showUnits: false },
          }),
          new cloudwatch.SingleValueWidget({
            title: 'Certificates at the last scan',
            metrics: [...bands, muted],
            width: WIDE,
            height: HIGH,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Sent by type (per day)',
            left: Object.entries(SENT_METRICS).map(([name, label]) => serviceMetric(name, label, 'Sum', DAY)),
            width: WIDE,
            height: HIGH,
            leftYAxis: { min: 0, showUnits: false },
          }),
          new cloudwatch.GraphWidget({
            title: 'Muted certificates',
            left: [muted],
            width: WIDE,
            height: HIGH,
            leftYAxis: { min: 0, showUnits: false },
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Scan duration',
            left: [
              props.scan.lambda.metricDuration({ statistic: 'Maximum', period: HOUR, label: 'scan (max)' }),
            ],
            width: WIDE,
            height: HIGH,
          }),
          new cloudwatch.GraphWidget({
            title: 'CertCentral calls and 429s',
            left: [serviceMetric('CertCentralCalls', 'calls', 'Sum', HOUR)],
            right: [serviceMetric('CertCentralThrottled', '429s', 'Sum', HOUR)],
            width: WIDE,
            height: HIGH,
            leftYAxis: { min: 0, showUnits: false },
            rightYAxis: { min: 0, showUnits: false },
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Work queue: oldest candidate',
            left: [
              props.workQueue.metricApproximateAgeOfOldestMessage({
                statistic: 'Maximum',
                period: Duration.minutes(5),
                label: 'age (s)',
              }),
            ],
            width: WIDE,
            height: HIGH,
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead letters',
            left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({
                statistic: 'Maximum',
                period: Duration.minutes(5),
                label: name,
              }),
            ),
            width: WIDE,
            height: HIGH,
            leftYAxis: { min: 0, showUnits: false },
          }),
        ],
      ],
    });
  }
}
