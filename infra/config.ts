/**
 * CDK context -> a validated, typed configuration for the stack. Context values arrive as strings (`-c key=value`)
 * or as JSON values (cdk.json); both are accepted. A wrong value throws a ConfigError naming the key and the value.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigError,
  DEFAULT_BASE_URL,
  DEFAULT_DIGEST_THRESHOLD,
  DEFAULT_EXPIRED_LOOKBACK_DAYS,
  DEFAULT_THRESHOLDS,
  parseBaseUrl,
  parseThresholds,
  parseWholeNumber,
} from '../functions/core/config.ts';
import type { Severity } from '../functions/core/model.ts';
import { MAX_ALERT_WORKERS } from './rate-budget.ts';

const DEFAULT_STACK_NAME = 'ExpiryAlerts';
const DEFAULT_SCHEDULE = 'cron(0 6 * * ? *)';
const DEFAULT_API_KEY_SECRET_NAME = 'expiry-alerts/digicert-api-key';
const DEFAULT_ALERT_WORKER_CONCURRENCY = 2;
const DEFAULT_LOG_RETENTION_DAYS = RetentionDays.THREE_MONTHS;

/** SQS event sources cap concurrency at 2 or more; beyond MAX_ALERT_WORKERS a worker's share would be 0. */
export const ALERT_WORKER_CONCURRENCY_RANGE = { min: 2, max: MAX_ALERT_WORKERS } as const;

/** One address subscribed to the alert topic by email, optionally only for some severities. */
export interface EmailSubscriber {
  address: string;
  /** The severities this address receives; null: every severity. */
  severities: readonly Severity[] | null;
}

export interface StackConfig {
  thresholds: readonly number[];
  /** An EventBridge schedule expression, `cron(...)` or `rate(...)`. */
  schedule: string;
  notifyEmails: readonly EmailSubscriber[];
  slackWebhookSecretName: string | null;
  digicertApiKeySecretName: string;
  /** true: the secret already exists and is only read; false: the stack creates it (empty) and retains it. */
  digicertApiKeySecretExists: boolean;
  digicertBaseUrl: string;
  expiredLookbackDays: number;
  digestThreshold: number;
  /** Alarms notify this topic; null: a topic of the stack, with the notifyEmails addresses subscribed. */
  opsTopicArn: string | null;
  alertWorkerConcurrency: number;
  logRetentionDays: RetentionDays;
}

/** Reads one context key (`app.node.tryGetContext`); undefined when the key is not set. */
export type ContextLookup = (key: string) => unknown;

export function parseStackConfig(context: ContextLookup): StackConfig {
  const text = (key: string, fallback: string): string => {
    const value = context(key);
    return value === undefined ? fallback : contextText(key, value);
  };
  const optionalText = (key: string): string | null => {
    const value = context(key);
    if (value === undefined) return null;
    const given = contextText(key, value).trim();
    return given === '' ? null : given;
  };
  const wholeNumber = (key: string, fallback: number, range: { min: number; max: number }): number => {
    const value = context(key);
    return value === undefined ? fallback : parseWholeNumber(contextText(key, value), key, range);
  };
  const emails = optionalText('notifyEmails');
  const slackSecret = optionalText('slackWebhookSecretName');
  const opsTopicArn = optionalText('opsTopicArn');

  return {
    thresholds: parseThresholds(text('thresholds', DEFAULT_THRESHOLDS.join(',')), 'thresholds'),
    schedule: parseSchedule(text('schedule', DEFAULT_SCHEDULE)),
    notifyEmails: emails === null ? [] : parseNotifyEmails(emails),
    slackWebhookSecretName:
      slackSecret === null ? null : parseSecretName(slackSecret, 'slackWebhookSecretName'),
    digicertApiKeySecretName: parseSecretName(
      text('digicertApiKeySecretName', DEFAULT_API_KEY_SECRET_NAME),
      'digicertApiKeySecretName',
    ),
    digicertApiKeySecretExists: parseBoolean(
      context('digicertApiKeySecretExists'),
      'digicertApiKeySecretExists',
    ),
    digicertBaseUrl: parseBaseUrl(text('digicertBaseUrl', DEFAULT_BASE_URL), 'digicertBaseUrl'),
    expiredLookbackDays: wholeNumber('expiredLookbackDays', DEFAULT_EXPIRED_LOOKBACK_DAYS, {
      min: 0,
      max: 3650,
    }),
    digestThreshold: wholeNumber('digestThreshold', DEFAULT_DIGEST_THRESHOLD, { min: 0, max: 1_000_000 }),
    opsTopicArn: opsTopicArn === null ? null : parseTopicArn(opsTopicArn, 'opsTopicArn'),
    alertWorkerConcurrency: wholeNumber(
      'alertWorkerConcurrency',
      DEFAULT_ALERT_WORKER_CONCURRENCY,
      ALERT_WORKER_CONCURRENCY_RANGE,
    ),
    logRetentionDays: parseLogRetention(context('logRetentionDays')),
  };
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export function parseStackName(value: unknown): string {
  if (value === undefined) return DEFAULT_STACK_NAME;
  const name = contextText('stackName', value);
  if (!STACK_NAME.test(name)) {
    throw new ConfigError(
      'stackName',
      value,
      'is not a CloudFormation stack name (a letter, then letters, digits or -)',
    );
  }
  return name;
}

/** A string as is, a number as its digits, a list (cdk.json) as its items joined by commas. */
function contextText(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return value.join(',');
  }
  throw new ConfigError(key, value, 'is not a string, a number or a list of them');
}

const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;
const CRON = /^cron\((.*)\)$/;
const CRON_FIELD = /^[A-Za-z0-9*?,/#-]+$/;

/** EventBridge's rules: `rate(1 hour)`, `rate(6 hours)`; `cron(min hour day-of-month month day-of-week year)`. */
function parseSchedule(value: string): string {
  const expression = value.trim();
  const rate = RATE.exec(expression);
  if (rate) {
    const [, amount = '', unit = '', plural = ''] = rate;
    const count = Number(amount);
    if (count < 1) throw new ConfigError('schedule', value, 'must run at least every 1 unit (rate(1 day))');
    if ((count === 1) !== (plural === '')) {
      throw new ConfigError(
        'schedule',
        value,
        `must say rate(1 ${unit}) for one and rate(N ${unit}s) for more`,
      );
    }
    return expression;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    if (fields.length !== 6 || !fields.every((field) => CRON_FIELD.test(field))) {
      throw new ConfigError(
        'schedule',
        value,
        'is not a 6-field EventBridge cron (minutes hours day-of-month month day-of-week year, e.g. cron(0 6 * * ? *))',
      );
    }
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw new ConfigError('schedule', value, 'must have ? in exactly one of day-of-month and day-of-week');
    }
    return `cron(${fields.join(' ')})`;
  }
  throw new ConfigError(
    'schedule',
    value,
    'is not an EventBridge schedule: cron(0 6 * * ? *) or rate(12 hours)',
  );
}

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * `address[:severity[+severity...]]`, comma-separated: `ops@example.com:critical,team@example.com:warning+critical,
 * all@example.com`. Without a filter an address receives every severity.
 */
function parseNotifyEmails(value: string): EmailSubscriber[] {
  const seen = new Set<string>();
  return value.split(',').map((entry) => {
    const [address = '', filter, ...rest] = entry.trim().split(':');
    if (!EMAIL.test(address) || rest.length > 0) {
      throw new ConfigError(
        'notifyEmails',
        value,
        `has ${JSON.stringify(entry.trim())}, which is not address[:severity]`,
      );
    }
    const key = address.toLowerCase();
    if (seen.has(key)) throw new ConfigError('notifyEmails', value, `lists ${address} twice`);
    seen.add(key);
    return { address, severities: filter === undefined ? null : parseSeverityFilter(filter, value) };
  });
}

function parseSeverityFilter(filter: string, value: string): Severity[] {
  const names = filter.split('+');
  const severities = SEVERITIES.filter((severity) => names.includes(severity));
  if (severities.length !== names.length) {
    throw new ConfigError(
      'notifyEmails',
      value,
      `has the filter ${JSON.stringify(filter)}: use severities ${SEVERITIES.join(', ')} joined by + (critical+warning)`,
    );
  }
  return severities;
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

function parseSecretName(value: string, key: string): string {
  if (!SECRET_NAME.test(value)) {
    throw new ConfigError(
      key,
      value,
      'is not a Secrets Manager secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -)',
    );
  }
  return value;
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function parseTopicArn(value: string, key: string): string {
  if (!TOPIC_ARN.test(value)) {
    throw new ConfigError(key, value, 'is not a standard SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)');
  }
  return value;
}

function parseBoolean(value: unknown, key: string): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(key, value, 'is not true or false');
}

const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

function parseLogRetention(value: unknown): RetentionDays {
  if (value === undefined) return DEFAULT_LOG_RETENTION_DAYS;
  const text = contextText('logRetentionDays', value).trim();
  const days = Number(text);
  if (!/^\d+$/.test(text) || !LOG_RETENTION_DAYS.includes(days)) {
    throw new ConfigError(
      'logRetentionDays',
      value,
      `is not a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(', ')})`,
    );
  }
  return days as RetentionDays;
}
