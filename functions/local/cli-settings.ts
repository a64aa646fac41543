/**
 * The local command's own settings (flags only), declared like the shared ones so that `--help` and the
 * README's option table come from the same declarations, and the commander options built from them.
 */
import { statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  type Setting,
  type SettingGroup,
  type SettingSource,
  switchSetting,
  textSetting,
  wholeNumberSetting,
} from '../config/setting.ts';
import { parseTopicArn } from '../config/sns-topic-arn.ts';
import { ConfigError, parseHttpUrl } from '../core/config.ts';

export const DEFAULT_STATE_DIR = '.expiry-alerts';
export const DEFAULT_TABLE = 'expiry-alerts-state';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** `2026-11-30` (midnight UTC) or an instant with its offset; `2026-02-30` is refused, not rolled over. */
export function parseNow(value: string, source = '--now'): Date {
  const match = ISO_INSTANT.exec(value);
  const date = new Date(match?.[4] ? value : `${value}T00:00:00Z`);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  if (!match || !realDay || Number.isNaN(date.getTime())) {
    throw new ConfigError(
      source,
      value,
      'is not an ISO-8601 date or date-time (e.g. 2026-11-30 or 2026-11-30T06:00:00Z)',
    );
  }
  return date;
}

/** A directory, or a path where one can be made: a file there is refused before anything starts. */
function parseStateDir(value: string, source: string): string {
  if (value.trim() === '') throw new ConfigError(source, value, 'must not be empty');
  const stats = statSync(value, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) throw new ConfigError(source, value, 'is a file, not a directory');
  return value;
}

function parseTableName(value: string, source: string): string {
  if (!TABLE_NAME.test(value)) {
    throw new ConfigError(source, value, 'is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)');
  }
  return value;
}

/** Where the local command keeps its state. */
export const STATE_SETTINGS = {
  stateDir: textSetting<string | null>({
    meaning: 'Embedded state directory (dynalite, persisted on disk).',
    default: null,
    shownDefault: DEFAULT_STATE_DIR,
    flag: { name: '--state-dir', value: 'dir' },
    parseText: parseStateDir,
  }),
  dynamodbEndpoint: textSetting<string | null>({
    meaning:
      'Any DynamoDB API (AWS, DynamoDB Local, dynalite) instead of the embedded store; needs `--table`, which is created if missing.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--dynamodb-endpoint', value: 'url' },
    parseText: (text, source) => parseHttpUrl(text, source),
  }),
  table: textSetting<string | null>({
    meaning: 'The state table at `--dynamodb-endpoint`.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--table', value: 'name' },
    parseText: parseTableName,
  }),
  region: textSetting<string | null>({
    meaning: 'AWS region of `--dynamodb-endpoint` (an SNS topic ARN names its own).',
    default: null,
    shownDefault: '`AWS_REGION` or `us-east-1`',
    flag: { name: '--region', value: 'region' },
    parseText: (text) => text,
  }),
} satisfies SettingGroup;

/** How the local command talks to CertCentral, beyond the base URL. */
export const CLIENT_SETTINGS = {
  pageSize: wholeNumberSetting({
    meaning: 'Report rows per request.',
    default: 1000,
    min: 1,
    max: 100_000,
    flag: { name: '--page-size', value: 'n' },
  }),
  requestsPer5s: wholeNumberSetting({
    meaning: "Client-side rate limit per 5 seconds (DigiCert's documented limit is 100).",
    default: 100,
    min: 1,
    max: 100,
    flag: { name: '--requests-per-5s', value: 'n' },
  }),
  requestsPer3min: wholeNumberSetting({
    meaning: "Client-side rate limit per 3 minutes (DigiCert's documented limit is 1000).",
    default: 1000,
    min: 1,
    max: 1000,
    flag: { name: '--requests-per-3min', value: 'n' },
  }),
} satisfies SettingGroup;

/** When the scan runs and where its alerts go. */
export const SCAN_RUN_SETTINGS = {
  now: textSetting<Date | null>({
    meaning: 'Scan as of this date (`2026-11-30`) or instant (`2026-11-30T06:00:00Z`).',
    default: null,
    shownDefault: 'the current time',
    flag: { name: '--now', value: 'iso-8601' },
    parseText: parseNow,
    format: (date) => date?.toISOString() ?? '',
  }),
  json: switchSetting({
    meaning:
      'Print each notification as one JSON line on stdout (the event below). `--json`, `--sns-topic-arn` and `--slack` are one channel each: give one at most.',
    flag: '--json',
  }),
  dryRun: switchSetting({
    meaning: 'Compute and print what would be sent; change no state, send nothing.',
    flag: '--dry-run',
  }),
  snsTopicArn: textSetting<string | null>({
    meaning: 'Publish to this standard (not FIFO) SNS topic (AWS credentials from the environment).',
    default: null,
    shownDefault: 'none',
    flag: { name: '--sns-topic-arn', value: 'arn' },
    parseText: parseTopicArn,
  }),
  slack: switchSetting({
    meaning: 'Post to the Slack incoming webhook in `SLACK_WEBHOOK_URL`.',
    flag: '--slack',
  }),
  quiet: switchSetting({
    meaning:
      'No progress on stderr (report pages and rows, candidates enriched with the time left; a live line on a terminal, a line every 10 s otherwise). Warnings and the summary still go there.',
    flag: '--quiet',
  }),
} satisfies SettingGroup;

/** The name commander gives a flag's value: `--requests-per-5s` -> `requestsPer5s`. */
function attributeName(flag: string): string {
  return new Option(flag).attributeName();
}

/** Flags as commander parsed them, then the flag's environment variable. */
export function fromFlags(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): SettingSource {
  return (setting) => {
    const { flag } = setting;
    if (flag === undefined) return undefined;
    const given = flags[attributeName(flag.name)];
    if (given !== undefined) return { value: flag.inverts ? !given : given, source: flag.name };
    const fromEnv = flag.env === undefined ? undefined : env[flag.env];
    return fromEnv === undefined || fromEnv === ''
      ? undefined
      : { value: fromEnv, source: flag.env as string };
  };
}

/** `--help`'s text for a setting: its meaning and its default. */
function helpText(setting: Setting<unknown>): string {
  const meaning = (setting.flag?.meaning ?? setting.meaning).replaceAll('`', '');
  if (setting.flag?.inverts) return meaning;
  const env = setting.flag?.env ? `; env ${setting.flag.env}` : '';
  return `${meaning} (default: ${setting.shownDefault.replaceAll('`', '')}${env})`;
}

/** Adds one option per flag of `groups` to `command`, in their order. */
export function addSettingOptions(command: Command, ...groups: SettingGroup[]): Command {
  for (const group of groups) {
    for (const setting of Object.values(group)) {
      const { flag } = setting;
      if (flag === undefined) continue;
      command.addOption(
        new Option(flag.value ? `${flag.name} <${flag.value}>` : flag.name, helpText(setting)),
      );
    }
  }
  return command;
}
