/**
 * CDK context -> a validated, typed configuration for the stack. The settings shared with the local command
 * (the alert rules, the CertCentral base URL) are declared in `functions/config/shared-settings.ts`; the
 * stack's own keys are declared here, the same way, so the deploy guide's table comes from both. Context values
 * arrive as strings (`-c key=value`) or as JSON values (cdk.json); both are accepted. A wrong value throws a
 * ConfigError naming the key and the value.
 */

import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { formatRouteFilters } from '../functions/config/route-filters.ts';
import {
  booleanSetting,
  fromContext,
  readSettings,
  type Setting,
  type SettingGroup,
  textSetting,
  wholeNumberSetting,
} from '../functions/config/setting.ts';
import {
  CERTCENTRAL_SETTINGS,
  POLICY_SETTINGS,
  REPORT_SETTINGS,
} from '../functions/config/shared-settings.ts';
import { parseTopicArn } from '../functions/config/sns-topic-arn.ts';
import { SUMMARY_WINDOW_SETTINGS } from '../functions/config/summary-settings.ts';
import { type AlertPolicy, ConfigError } from '../functions/core/config.ts';
import type { Severity } from '../functions/core/model.ts';
import { heartbeatFor } from './heartbeat.ts';
import { MAX_ALERT_WORKERS } from './rate-budget.ts';

import { checkRoutes, EMAIL, parseRoutes, type RouteConfig, shortFormRoutes } from './routes.ts';

const DEFAULT_STACK_NAME = 'ExpiryAlerts';
const DEFAULT_SCHEDULE = 'cron(0 6 * * ? *)';
const DEFAULT_SUMMARY_SCHEDULE = 'cron(0 7 ? * MON *)';
const DEFAULT_API_KEY_SECRET_NAME = 'expiry-alerts/digicert-api-key';

/** SQS event sources cap concurrency at 2 or more; beyond MAX_ALERT_WORKERS a worker's share would be 0. */
export const ALERT_WORKER_CONCURRENCY_RANGE = { min: 2, max: MAX_ALERT_WORKERS } as const;

/** One address subscribed to the alert topic by email, optionally only for some severities. */
export interface EmailSubscriber {
  address: string;
  /** The severities this address receives; null: every severity. */
  severities: readonly Severity[] | null;
}

/** An optional text key: absent or blank is "not set". */
function optional<T>(parse: (text: string, key: string) => T) {
  return (text: string, key: string): T | null => (text.trim() === '' ? null : parse(text.trim(), key));
}

/** The stack's own context keys, in the order the deploy guide lists them (after the shared ones). */
export const STACK_SETTINGS = {
  schedule: textSetting<string>({
    meaning:
      'When the scan runs: an EventBridge `cron(minutes hours day-of-month month day-of-week year)` in UTC, with `?` in exactly one of the two day fields, or `rate(N minute(s)/hour(s)/day(s))`. The heartbeat alarm waits the longest gap between two runs plus 2 hours, so the gaps must stay under 6 days 22 hours.',
    default: DEFAULT_SCHEDULE,
    shownDefault: DEFAULT_SCHEDULE,
    // A schedule the heartbeat alarm cannot watch (gaps over about a week) is refused here, with the others.
    parseText: (text) => heartbeatFor(parseSchedule(text)).schedule,
    context: 'schedule',
    example: "-c 'schedule=cron(30 7 ? * MON-FRI *)'",
  }),
  notifyEmails: textSetting<readonly EmailSubscriber[]>({
    meaning:
      'Comma-separated addresses subscribed to the alert topic (and to the alarm topic when there is no `opsTopicArn`). An address may end with `:` and the severities it wants, joined by `+` (`info`, `warning`, `critical`); without a filter it receives all.',
    default: [],
    shownDefault: 'none',
    parseText: (text, key) => optional(parseNotifyEmails)(text, key) ?? [],
    context: 'notifyEmails',
    example: '-c notifyEmails=ops@example.com:critical,team@example.com:warning+critical,all@example.com',
  }),
  slackWebhookSecretName: textSetting<string | null>({
    meaning:
      'Secrets Manager secret holding a Slack incoming-webhook URL; adds a Slack notifier that gets every alert (with the unfiltered `notifyEmails`, the route `default`).',
    default: null,
    shownDefault: 'none',
    parseText: optional(parseSecretName),
    context: 'slackWebhookSecretName',
    example: '-c slackWebhookSecretName=expiry-alerts/slack-webhook',
  }),
  routes: {
    meaning:
      'Teams and what each hears of: a JSON list of routes `{ "name", "emails", "slackWebhookSecretName", "containers", "organizations", "products", "severities" }` (each filter optional, matching everything when absent; at least one email or a Slack secret). In cdk.json as a list, or `-c routes=\'[…]\'` as JSON. `notifyEmails` and `slackWebhookSecretName` are the short form of a route `default` that gets everything.',
    default: [],
    shownDefault: 'none',
    parse: (value, source) => parseRoutes(value, source),
    format: (routes) => JSON.stringify(routes),
    context: 'routes',
    example: `-c 'routes=[{"name":"web","emails":["web@example.com"],"containers":["Web Team"]}]'`,
  } satisfies Setting<readonly RouteConfig[]>,
  eventBusName: textSetting<string | null>({
    meaning:
      'An EventBridge bus (name or ARN) that every alert is also put on: source `expiry-alerts`, detail-type `Certificate Expiry Alert`, detail the event.',
    default: null,
    shownDefault: 'none',
    parseText: optional(parseEventBus),
    context: 'eventBusName',
    example: '-c eventBusName=default',
  }),
  digicertApiKeySecretName: textSetting<string>({
    meaning: 'Secrets Manager secret holding the CertCentral API key.',
    default: DEFAULT_API_KEY_SECRET_NAME,
    shownDefault: DEFAULT_API_KEY_SECRET_NAME,
    parseText: parseSecretName,
    context: 'digicertApiKeySecretName',
    example: '-c digicertApiKeySecretName=certs/digicert-prod',
  }),
  digicertApiKeySecretExists: booleanSetting({
    meaning:
      '`false`: the stack creates that secret, empty, and keeps it when the stack is deleted. `true`: the secret already exists and the stack only reads it (a redeployment after `cdk destroy`, or a secret you manage).',
    default: false,
    context: 'digicertApiKeySecretExists',
    example: '-c digicertApiKeySecretExists=true',
  }),
  opsTopicArn: textSetting<string | null>({
    meaning:
      "An existing standard SNS topic for the alarms, instead of the stack's alarm topic (no alarm subscriptions are then created). If it is encrypted, its KMS key policy must let `cloudwatch.amazonaws.com` use the key (`kms:Decrypt`, `kms:GenerateDataKey*`).",
    default: null,
    shownDefault: 'none',
    parseText: optional(parseTopicArn),
    context: 'opsTopicArn',
    example: '-c opsTopicArn=arn:aws:sns:eu-west-1:123456789012:ops-alarms',
  }),
  alertWorkerConcurrency: wholeNumberSetting({
    meaning: `How many alert functions may run at once (2-${MAX_ALERT_WORKERS}). DigiCert allows 100 requests per 5 s and 1000 per 3 min per key; the functions plan on 90% of it: the scan and the weekly summary get fixed shares, the workers split the rest evenly. More workers drain a big day faster, each with a smaller share.`,
    default: 2,
    ...ALERT_WORKER_CONCURRENCY_RANGE,
    context: 'alertWorkerConcurrency',
    example: '-c alertWorkerConcurrency=4',
  }),
  logRetentionDays: textSetting<RetentionDays>({
    meaning:
      "Retention of the functions' log groups, in days: one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).",
    default: RetentionDays.THREE_MONTHS,
    shownDefault: '90',
    parseText: parseLogRetention,
    context: 'logRetentionDays',
    example: '-c logRetentionDays=30',
  }),
} satisfies SettingGroup;

/** The weekly summary: when it goes out (or `off`), and its window. */
export const SUMMARY_SETTINGS = {
  summarySchedule: textSetting<string | null>({
    meaning:
      'When the weekly summary goes out (an EventBridge `cron(...)` or `rate(...)` in UTC, as `schedule`), or `off` for none. It lists what expires within `summaryWithinDays`, grouped by severity, muted certificates marked, and costs the report pages.',
    default: DEFAULT_SUMMARY_SCHEDULE,
    shownDefault: DEFAULT_SUMMARY_SCHEDULE,
    parseText: (text, key) => (text.trim().toLowerCase() === 'off' ? null : parseSchedule(text, key)),
    context: 'summarySchedule',
    example: '-c summarySchedule=off',
  }),
  ...SUMMARY_WINDOW_SETTINGS,
} satisfies SettingGroup;

/** Not part of the stack's configuration: it names the stack. Declared for the deploy guide's table. */
export const STACK_NAME_SETTING = {
  stackName: textSetting<string>({
    meaning: "The CloudFormation stack's name.",
    default: DEFAULT_STACK_NAME,
    shownDefault: DEFAULT_STACK_NAME,
    parseText: parseStackNameText,
    context: 'stackName',
    example: '-c stackName=ExpiryAlerts-Staging',
  }),
} satisfies SettingGroup;

/** Every context key, in the deploy guide's order. */
export const CONTEXT_SETTING_GROUPS = [
  POLICY_SETTINGS,
  STACK_SETTINGS,
  SUMMARY_SETTINGS,
  CERTCENTRAL_SETTINGS,
  REPORT_SETTINGS,
  STACK_NAME_SETTING,
] as const;

export interface StackConfig {
  policy: AlertPolicy;
  digicertBaseUrl: string;
  /** The console alerts link to; null: the base URL's region's. */
  consoleBaseUrl: string | null;
  maxReportRows: number;
  /** An EventBridge schedule expression, `cron(...)` or `rate(...)`. */
  schedule: string;
  notifyEmails: readonly EmailSubscriber[];
  slackWebhookSecretName: string | null;
  /**
   * Every route: the short form's (`notifyEmails`, `slackWebhookSecretName`) first, then the `routes` key's,
   * checked against SNS's limits.
   */
  routes: readonly RouteConfig[];
  /** Every alert is also put on this EventBridge bus (name or ARN); null: none. */
  eventBusName: string | null;
  digicertApiKeySecretName: string;
  /** true: the secret already exists and is only read; false: the stack creates it (empty) and retains it. */
  digicertApiKeySecretExists: boolean;
  /** Alarms notify this topic; null: a topic of the stack, with the notifyEmails addresses subscribed. */
  opsTopicArn: string | null;
  alertWorkerConcurrency: number;
  logRetentionDays: RetentionDays;
  /** When the weekly summary goes out; null: never (`off`). */
  summarySchedule: string | null;
  summaryWithinDays: number;
}

/** Reads one context key (`app.node.tryGetContext`); undefined when the key is not set. */
export type ContextLookup = (key: string) => unknown;

export function parseStackConfig(context: ContextLookup): StackConfig {
  const source = fromContext(context);
  const certCentral = readSettings(CERTCENTRAL_SETTINGS, source);
  const stack = readSettings(STACK_SETTINGS, source);
  const routes = [...shortFormRoutes(stack.notifyEmails, stack.slackWebhookSecretName), ...stack.routes];
  checkRoutes(routes, Buffer.byteLength(formatRouteFilters(routes)));
  return {
    policy: readSettings(POLICY_SETTINGS, source),
    digicertBaseUrl: certCentral.baseUrl,
    consoleBaseUrl: certCentral.consoleBaseUrl,
    ...readSettings(REPORT_SETTINGS, source),
    ...stack,
    routes,
    ...readSettings(SUMMARY_SETTINGS, source),
  };
}

/** What synthesis says but does not stop for: one line each. */
export function stackWarnings(config: StackConfig): string[] {
  return config.routes.length === 0
    ? [
        'no route, notifyEmails or slackWebhookSecretName is configured: nobody will be told of an expiring certificate (set them in cdk.json, see docs/deploy.md).',
      ]
    : [];
}

export function parseStackName(value: unknown): string {
  return readSettings(
    STACK_NAME_SETTING,
    fromContext(() => value),
  ).stackName;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function parseStackNameText(name: string, key: string): string {
  if (!STACK_NAME.test(name)) {
    throw new ConfigError(
      key,
      name,
      'is not a CloudFormation stack name (a letter, then letters, digits or -)',
    );
  }
  return name;
}

const RATE = /^rate\((\d+) (minute|hour|day)(s?)\)$/;
const CRON = /^cron\((.*)\)$/;
const CRON_FIELD = /^[A-Za-z0-9*?,/#-]+$/;

/** EventBridge's rules: `rate(1 hour)`, `rate(6 hours)`; `cron(min hour day-of-month month day-of-week year)`. */
export function parseSchedule(value: string, key = 'schedule'): string {
  const expression = value.trim();
  const rate = RATE.exec(expression);
  if (rate) {
    const [, amount = '', unit = '', plural = ''] = rate;
    const count = Number(amount);
    if (count < 1) throw new ConfigError(key, value, 'must run at least every 1 unit (rate(1 day))');
    if ((count === 1) !== (plural === '')) {
      throw new ConfigError(key, value, `must say rate(1 ${unit}) for one and rate(N ${unit}s) for more`);
    }
    return expression;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    if (fields.length !== 6 || !fields.every((field) => CRON_FIELD.test(field))) {
      throw new ConfigError(
        key,
        value,
        'is not a 6-field EventBridge cron (minutes hours day-of-month month day-of-week year, e.g. cron(0 6 * * ? *))',
      );
    }
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw new ConfigError(key, value, 'must have ? in exactly one of day-of-month and day-of-week');
    }
    return `cron(${fields.join(' ')})`;
  }
  throw new ConfigError(key, value, 'is not an EventBridge schedule: cron(0 6 * * ? *) or rate(12 hours)');
}

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

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

const EVENT_BUS_NAME = /^[A-Za-z0-9._\-/]{1,256}$/;
const EVENT_BUS_ARN =
  /^arn:aws[a-z-]*:events:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/;

function parseEventBus(value: string, key: string): string {
  if (!EVENT_BUS_NAME.test(value) && !EVENT_BUS_ARN.test(value)) {
    throw new ConfigError(
      key,
      value,
      'is not an EventBridge bus name (1-256 of A-Z a-z 0-9 . _ - /) or bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)',
    );
  }
  return value;
}

const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (days): days is number => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

function parseLogRetention(value: string, key: string): RetentionDays {
  const text = value.trim();
  const days = Number(text);
  if (!/^\d+$/.test(text) || !LOG_RETENTION_DAYS.includes(days)) {
    throw new ConfigError(
      key,
      value,
      `is not a CloudWatch Logs retention (${LOG_RETENTION_DAYS.join(', ')})`,
    );
  }
  return days as RetentionDays;
}
