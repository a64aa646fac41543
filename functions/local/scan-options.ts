/**
 * The `scan` command's flags and environment, validated into typed options before anything touches the
 * network. Every refusal names the flag (or variable) and the value.
 */
import {
  type AlertPolicy,
  ConfigError,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_REPORT_ROWS,
  DEFAULT_POLICY,
  parseBaseUrl,
  parseHttpUrl,
  parseThresholds,
  parseWholeNumber,
} from '../core/config.ts';

/** The flags as commander hands them over: strings, booleans, or absent. */
export interface ScanFlags {
  baseUrl?: string;
  thresholds?: string;
  expiredLookbackDays?: string;
  digestThreshold?: string;
  now?: string;
  stateDir?: string;
  dynamodbEndpoint?: string;
  table?: string;
  region?: string;
  json?: boolean;
  dryRun?: boolean;
  snsTopicArn?: string;
  slack?: boolean;
  pageSize?: string;
  requestsPer5s?: string;
  requestsPer3min?: string;
  maxReportRows?: string;
}

export type StateOption =
  | { kind: 'embedded'; dir: string }
  | { kind: 'endpoint'; endpoint: string; table: string; region: string };

export interface ScanOptions {
  apiKey: string;
  baseUrl: string;
  policy: AlertPolicy;
  /** Fixed scan instant (`--now`), or null for the wall clock. */
  now: Date | null;
  state: StateOption;
  json: boolean;
  dryRun: boolean;
  snsTopicArn: string | null;
  slackWebhookUrl: string | null;
  pageSize: number;
  rateLimits: { per5s: number; per3min: number };
  /** The scan fails when the order report passes this many rows (a server that pages forever). */
  maxReportRows: number;
}

export const DEFAULT_STATE_DIR = '.expiry-alerts';
export const DEFAULT_TABLE = 'expiry-alerts-state';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export function parseNow(value: string): Date {
  const date = new Date(/T/.test(value) ? value : `${value}T00:00:00Z`);
  if (!ISO_INSTANT.test(value) || Number.isNaN(date.getTime())) {
    throw new ConfigError(
      '--now',
      value,
      'is not an ISO-8601 date or date-time (e.g. 2026-11-30 or 2026-11-30T06:00:00Z)',
    );
  }
  return date;
}

export function resolveScanOptions(flags: ScanFlags, env: NodeJS.ProcessEnv): ScanOptions {
  const apiKey = env.DIGICERT_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError(
      'DIGICERT_API_KEY',
      '',
      'is not set: export the CertCentral API key in this variable',
    );
  }
  const baseUrl =
    flags.baseUrl !== undefined
      ? parseBaseUrl(flags.baseUrl, '--base-url')
      : env.DIGICERT_BASE_URL
        ? parseBaseUrl(env.DIGICERT_BASE_URL, 'DIGICERT_BASE_URL')
        : DEFAULT_BASE_URL;

  if (flags.dynamodbEndpoint !== undefined && flags.stateDir !== undefined) {
    throw new ConfigError('--state-dir', flags.stateDir, 'cannot be combined with --dynamodb-endpoint');
  }
  if ((flags.dynamodbEndpoint === undefined) !== (flags.table === undefined)) {
    const [given, missing] =
      flags.table === undefined ? ['--dynamodb-endpoint', '--table'] : ['--table', '--dynamodb-endpoint'];
    throw new ConfigError(given, flags.dynamodbEndpoint ?? flags.table, `needs ${missing} too`);
  }
  const state: StateOption =
    flags.dynamodbEndpoint !== undefined && flags.table !== undefined
      ? {
          kind: 'endpoint',
          endpoint: parseHttpUrl(flags.dynamodbEndpoint, '--dynamodb-endpoint'),
          table: parseTableName(flags.table),
          region: flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
        }
      : { kind: 'embedded', dir: parseNonEmpty(flags.stateDir ?? DEFAULT_STATE_DIR, '--state-dir') };

  if (flags.snsTopicArn !== undefined && !SNS_TOPIC_ARN.test(flags.snsTopicArn)) {
    throw new ConfigError(
      '--sns-topic-arn',
      flags.snsTopicArn,
      'is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)',
    );
  }
  const slackWebhookUrl = flags.slack ? parseSlackWebhook(env.SLACK_WEBHOOK_URL) : null;

  return {
    apiKey,
    baseUrl,
    policy: {
      thresholds:
        flags.thresholds === undefined
          ? DEFAULT_POLICY.thresholds
          : parseThresholds(flags.thresholds, '--thresholds'),
      expiredLookbackDays: optionalNumber(
        flags.expiredLookbackDays,
        '--expired-lookback-days',
        DEFAULT_POLICY.expiredLookbackDays,
        0,
        3650,
      ),
      digestThreshold: optionalNumber(
        flags.digestThreshold,
        '--digest-threshold',
        DEFAULT_POLICY.digestThreshold,
        0,
        1_000_000,
      ),
    },
    now: flags.now === undefined ? null : parseNow(flags.now),
    state,
    json: flags.json ?? false,
    dryRun: flags.dryRun ?? false,
    snsTopicArn: flags.snsTopicArn ?? null,
    slackWebhookUrl,
    pageSize: optionalNumber(flags.pageSize, '--page-size', 1000, 1, 100_000),
    rateLimits: {
      per5s: optionalNumber(flags.requestsPer5s, '--requests-per-5s', 100, 1, 100),
      per3min: optionalNumber(flags.requestsPer3min, '--requests-per-3min', 1000, 1, 1000),
    },
    maxReportRows: optionalNumber(
      flags.maxReportRows,
      '--max-report-rows',
      DEFAULT_MAX_REPORT_ROWS,
      1,
      1_000_000_000,
    ),
  };
}

function optionalNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  return value === undefined ? fallback : parseWholeNumber(value, flag, { min, max });
}

function parseNonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new ConfigError(flag, value, 'must not be empty');
  return value;
}

function parseTableName(value: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value)) {
    throw new ConfigError('--table', value, 'is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)');
  }
  return value;
}

/** The webhook URL is a secret: the error says what is wrong with it, never what it is. */
function parseSlackWebhook(value: string | undefined): string {
  if (!value)
    throw new ConfigError(
      'SLACK_WEBHOOK_URL',
      '',
      'is not set: --slack posts to the incoming webhook in this variable',
    );
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (
    url === null ||
    (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost')
  ) {
    throw new ConfigError('SLACK_WEBHOOK_URL', '(hidden)', 'is not an https URL');
  }
  return value;
}
