/**
 * The `scan` command's flags and environment, validated into typed options before anything touches the
 * network. Every refusal names the flag (or variable) and the value.
 */

import { readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS, POLICY_SETTINGS, REPORT_SETTINGS } from '../config/shared-settings.ts';
import { type AlertPolicy, ConfigError } from '../core/config.ts';
import { consoleUrlFor } from '../core/console-links.ts';
import { refuseTwoChannels } from './channel-choice.ts';
import {
  CLIENT_SETTINGS,
  DEFAULT_STATE_DIR,
  fromFlags,
  SCAN_RUN_SETTINGS,
  STATE_SETTINGS,
} from './cli-settings.ts';

export { DEFAULT_STATE_DIR, DEFAULT_TABLE, parseNow } from './cli-settings.ts';

/** Every setting of `scan`, in the order `--help` and the README list them. */
export const SCAN_SETTING_GROUPS = [
  CERTCENTRAL_SETTINGS,
  POLICY_SETTINGS,
  SCAN_RUN_SETTINGS,
  STATE_SETTINGS,
  CLIENT_SETTINGS,
  REPORT_SETTINGS,
] as const;

/** The flags as commander hands them over: strings, booleans, or absent. */
export type ScanFlags = Record<string, string | boolean | undefined>;

export type StateOption =
  | { kind: 'embedded'; dir: string }
  | { kind: 'endpoint'; endpoint: string; table: string; region: string };

export interface ScanOptions {
  apiKey: string;
  baseUrl: string;
  /** The CertCentral console that alerts link to. */
  consoleUrl: string;
  policy: AlertPolicy;
  /** Fixed scan instant (`--now`), or null for the wall clock. */
  now: Date | null;
  state: StateOption;
  json: boolean;
  dryRun: boolean;
  /** No progress on stderr. */
  quiet: boolean;
  snsTopicArn: string | null;
  slackWebhookUrl: string | null;
  pageSize: number;
  rateLimits: { per5s: number; per3min: number };
  /** The scan fails when the order report passes this many rows (a server that pages forever). */
  maxReportRows: number;
}

export function resolveApiKey(env: NodeJS.ProcessEnv): string {
  const apiKey = env.DIGICERT_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError(
      'DIGICERT_API_KEY',
      '',
      'is not set: export the CertCentral API key in this variable',
    );
  }
  return apiKey;
}

/** `--state-dir` or `--dynamodb-endpoint` with `--table`, never both. */
export function resolveStateOption(flags: ScanFlags, env: NodeJS.ProcessEnv): StateOption {
  const state = readSettings(STATE_SETTINGS, fromFlags(flags, env));
  if (state.dynamodbEndpoint !== null && state.stateDir !== null) {
    throw new ConfigError('--state-dir', state.stateDir, 'cannot be combined with --dynamodb-endpoint');
  }
  if ((state.dynamodbEndpoint === null) !== (state.table === null)) {
    const [given, missing] =
      state.table === null ? ['--dynamodb-endpoint', '--table'] : ['--table', '--dynamodb-endpoint'];
    throw new ConfigError(
      given,
      flags[given === '--table' ? 'table' : 'dynamodbEndpoint'],
      `needs ${missing} too`,
    );
  }
  if (state.dynamodbEndpoint !== null && state.table !== null) {
    return {
      kind: 'endpoint',
      endpoint: state.dynamodbEndpoint,
      table: state.table,
      region: state.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    };
  }
  return { kind: 'embedded', dir: state.stateDir ?? DEFAULT_STATE_DIR };
}

export function resolveScanOptions(flags: ScanFlags, env: NodeJS.ProcessEnv): ScanOptions {
  const apiKey = resolveApiKey(env);
  const source = fromFlags(flags, env);
  const { baseUrl, consoleBaseUrl } = readSettings(CERTCENTRAL_SETTINGS, source);
  const policy = readSettings(POLICY_SETTINGS, source);
  const run = readSettings(SCAN_RUN_SETTINGS, source);
  refuseTwoChannels(run);
  const state = resolveStateOption(flags, env);
  const client = readSettings(CLIENT_SETTINGS, source);
  return {
    apiKey,
    baseUrl,
    consoleUrl: consoleUrlFor(baseUrl, consoleBaseUrl),
    policy,
    now: run.now,
    state,
    json: run.json,
    dryRun: run.dryRun,
    quiet: run.quiet,
    snsTopicArn: run.snsTopicArn,
    slackWebhookUrl: run.slack ? parseSlackWebhook(env.SLACK_WEBHOOK_URL) : null,
    pageSize: client.pageSize,
    rateLimits: { per5s: client.requestsPer5s, per3min: client.requestsPer3min },
    maxReportRows: readSettings(REPORT_SETTINGS, source).maxReportRows,
  };
}

/** The webhook URL is a secret: the error says what is wrong with it, never what it is. */
export function parseSlackWebhook(value: string | undefined): string {
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
