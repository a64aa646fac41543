/** The Lambda functions' logger, metrics and tracer, configured once (service and namespace come from the environment). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Log } from '../core/ports.ts';

export const logger = new Logger();
export const metrics = new Metrics({ defaultDimensions: {} });
export const tracer = new Tracer();

/** The core's Log port on top of the Powertools logger (attributes become JSON keys of the log line). */
export const log: Log = {
  info: (message, attributes = {}) => logger.info(message, attributes),
  warn: (message, attributes = {}) => logger.warn(message, attributes),
  error: (message, attributes = {}) => logger.error(message, attributes),
};

/** Metric names the alarms and dashboards rely on. */
export const Metric = {
  ScanSucceeded: 'ScanSucceeded',
  Candidates: 'Candidates',
  RowsSkipped: 'RowsSkipped',
  AlertsSent: 'AlertsSent',
  /** Of `AlertsSent`, the `certificate.expired` ones. */
  ExpiredAlertsSent: 'ExpiredAlertsSent',
  AlertsFailed: 'AlertsFailed',
  RenewedNoticesSent: 'RenewedNoticesSent',
  DigestsOpened: 'DigestsOpened',
  DigestsSent: 'DigestsSent',
  CertCentralCalls: 'CertCentralCalls',
  CertCentralThrottled: 'CertCentralThrottled',
  CertCentralKeyRefused: 'CertCentralKeyRefused',
  SlackMessagesPosted: 'SlackMessagesPosted',
  SlackRejected: 'SlackRejected',
  /** Alerts that reached people (SNS) but that the EventBridge bus refused. */
  EventBusPutsFailed: 'EventBusPutsFailed',
  SummariesSent: 'SummariesSent',
  CertificatesExpired: 'CertificatesExpired',
  CertificatesWithin7Days: 'CertificatesWithin7Days',
  CertificatesWithin30Days: 'CertificatesWithin30Days',
  CertificatesWithin90Days: 'CertificatesWithin90Days',
  CertificatesMuted: 'CertificatesMuted',
} as const;

export function count(name: (typeof Metric)[keyof typeof Metric], value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
