/**
 * The flags of `mute`, `unmute`, `mutes` and `list`, declared like `scan`'s so that `--help` and the README's
 * option tables come from the same declarations. They reach the state the way `scan` does, and also alone with
 * `--table NAME --region R`: a deployed stack's table, with the caller's AWS credentials.
 */
import { userInfo } from 'node:os';
import { type SettingGroup, switchSetting, textSetting, wholeNumberSetting } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS, POLICY_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError } from '../core/config.ts';
import { MAX_MUTE_DAYS } from '../core/mutes.ts';
import { DEFAULT_WITHIN_DAYS } from '../core/overview.ts';
import { CLIENT_SETTINGS, SCAN_RUN_SETTINGS, STATE_SETTINGS } from './cli-settings.ts';

const POSITIVE_ID = /^[1-9]\d{0,15}$/;

function parseId(text: string, source: string): number {
  const trimmed = text.trim();
  if (!POSITIVE_ID.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new ConfigError(source, text, 'is not an id (a positive whole number)');
  }
  return Number(trimmed);
}

/** Who runs the command, for `--by`'s default. */
export function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No user database entry (some containers): fall back to the environment.
  }
  return env.USER || env.LOGNAME || 'unknown';
}

/** The state options of the commands beside `scan`: `--table` alone names a deployed stack's table. */
export const COMMAND_STATE_SETTINGS = {
  ...STATE_SETTINGS,
  table: {
    ...STATE_SETTINGS.table,
    meaning:
      "The state table at `--dynamodb-endpoint`; alone, a deployed stack's table (its `StateTableName` output) in AWS, with your AWS credentials.",
  },
  region: {
    ...STATE_SETTINGS.region,
    meaning: 'AWS region of the table (`--table` alone, or at `--dynamodb-endpoint`).',
    shownDefault: '`AWS_REGION`',
  },
} satisfies SettingGroup;

/** What a mute names. */
export const MUTE_TARGET_SETTINGS = {
  order: textSetting<number | null>({
    meaning: 'The order (required). Without `--certificate`, its own certificate and all its duplicates.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--order', value: 'id' },
    parseText: parseId,
  }),
  certificate: textSetting<number | null>({
    meaning:
      'One duplicate certificate of the order (its id, as `list` shows it), instead of the whole order.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--certificate', value: 'id' },
    parseText: parseId,
  }),
} satisfies SettingGroup;

export const MUTE_SETTINGS = {
  until: textSetting<string | null>({
    meaning: `Muted up to this date (\`yyyy-MM-dd\`, UTC; required): the first scan on that day decides as usual. After today, at most ${MAX_MUTE_DAYS} days ahead.`,
    default: null,
    shownDefault: 'none',
    flag: { name: '--until', value: 'yyyy-MM-dd' },
    parseText: (text) => text.trim(),
  }),
  reason: textSetting<string | null>({
    meaning: 'Why (required): `mutes`, `list` and the weekly summary show it.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--reason', value: 'text' },
    parseText: (text) => text,
  }),
} satisfies SettingGroup;

export const BY_SETTING = {
  by: textSetting<string | null>({
    meaning: 'Who mutes or unmutes.',
    default: null,
    shownDefault: 'your user name',
    flag: { name: '--by', value: 'name' },
    parseText: (text) => text,
  }),
} satisfies SettingGroup;

/** `--now` for the commands beside `scan`: what "today" is. */
export const COMMAND_NOW_SETTING = {
  now: {
    ...SCAN_RUN_SETTINGS.now,
    meaning: 'Run as of this date (`2026-11-30`) or instant (`2026-11-30T06:00:00Z`).',
  },
} satisfies SettingGroup;

export const MUTES_SETTINGS = {
  json: switchSetting({ meaning: 'Print the mutes as a JSON array.', flag: '--json' }),
} satisfies SettingGroup;

/** The watch rules `list` applies (the rest of the alert policy does not change what it shows). */
export const LIST_POLICY_SETTINGS = {
  expiredLookbackDays: POLICY_SETTINGS.expiredLookbackDays,
  followCertCentralNotificationSetting: POLICY_SETTINGS.followCertCentralNotificationSetting,
  excludeProducts: POLICY_SETTINGS.excludeProducts,
} satisfies SettingGroup;

export const LIST_SETTINGS = {
  within: wholeNumberSetting({
    meaning:
      'Certificates expiring within this many days (0-3650), and those expired within `--expired-lookback-days`.',
    default: DEFAULT_WITHIN_DAYS,
    min: 0,
    max: 3650,
    flag: { name: '--within', value: 'days' },
  }),
  json: switchSetting({ meaning: 'Print the certificates as a JSON array.', flag: '--json' }),
  csv: switchSetting({ meaning: 'Print the certificates as CSV, with a header row.', flag: '--csv' }),
} satisfies SettingGroup;

/** Every setting of `list`, in `--help`'s order. */
export const LIST_SETTING_GROUPS = [
  LIST_SETTINGS,
  CERTCENTRAL_SETTINGS,
  LIST_POLICY_SETTINGS,
  COMMAND_NOW_SETTING,
  COMMAND_STATE_SETTINGS,
  CLIENT_SETTINGS,
] as const;

export const MUTE_SETTING_GROUPS = [
  MUTE_TARGET_SETTINGS,
  MUTE_SETTINGS,
  BY_SETTING,
  CERTCENTRAL_SETTINGS,
  COMMAND_NOW_SETTING,
  COMMAND_STATE_SETTINGS,
] as const;

export const UNMUTE_SETTING_GROUPS = [
  MUTE_TARGET_SETTINGS,
  BY_SETTING,
  COMMAND_NOW_SETTING,
  COMMAND_STATE_SETTINGS,
] as const;

export const MUTES_SETTING_GROUPS = [MUTES_SETTINGS, COMMAND_NOW_SETTING, COMMAND_STATE_SETTINGS] as const;
