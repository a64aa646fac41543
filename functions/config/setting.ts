/**
 * A setting declared once: its meaning, default and allowed values, and where it can be given (a CDK context
 * key, a flag of the local command, the Lambda functions' environment). The context parser, the flag parser,
 * the environment reader, `--help` and the README's tables are all made from these declarations.
 */
import { ConfigError } from '../core/config.ts';

export interface FlagForm {
  /** `--thresholds`. */
  name: string;
  /** The value's placeholder in `--help` (`days`); none for a switch. */
  value?: string;
  /**
   * A switch that sets the setting to false (`--ignore-notification-setting` for
   * `followCertCentralNotificationSetting`); only for boolean settings.
   */
  inverts?: boolean;
  /** What the flag does, when it reads differently from the setting's meaning (an inverting switch). */
  meaning?: string;
  /** An environment variable the local command reads when the flag is absent (`DIGICERT_BASE_URL`). */
  env?: string;
}

export interface Setting<T> {
  /** What the setting does, in one sentence or two: `--help`, the README and the deploy guide show it. */
  meaning: string;
  default: T;
  /** The default as people read it (`90,60,30,14,7,3,1`, `none`, `the current time`). */
  shownDefault: string;
  /**
   * Reads a value as it arrives: a string from a flag, an environment variable or `-c key=value`, or a JSON
   * value from cdk.json. Throws a `ConfigError` naming `source` (the flag, variable or key) and the value.
   */
  parse(value: unknown, source: string): T;
  /** The value as a string again, for the Lambda functions' environment. */
  format(value: T): string;
  context?: string;
  flag?: FlagForm;
  /** The Lambda functions' environment variable that carries it from the stack to the code. */
  lambdaEnv?: string;
  /** An example of the setting for the deploy guide (`-c thresholds=60,30,7,1`). */
  example?: string;
}

/** A group of settings read together into one typed object. */
export type SettingGroup = Readonly<Record<string, Setting<unknown>>>;

export type SettingValues<G extends SettingGroup> = {
  -readonly [K in keyof G]: G[K] extends Setting<infer T> ? T : never;
};

/** Where a value came from: undefined when the setting was not given there. */
export type SettingSource = (
  setting: Setting<unknown>,
  name: string,
) => { value: unknown; source: string } | undefined;

/** Reads every setting of `group` from `source`, its default when absent. The first bad value throws. */
export function readSettings<G extends SettingGroup>(group: G, source: SettingSource): SettingValues<G> {
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(group)) {
    const given = source(setting, name);
    values[name] = given === undefined ? setting.default : setting.parse(given.value, given.source);
  }
  return values as SettingValues<G>;
}

/** CDK context (`app.node.tryGetContext`): the settings that have a context key. */
export const fromContext =
  (lookup: (key: string) => unknown): SettingSource =>
  (setting) => {
    if (setting.context === undefined) return undefined;
    const value = lookup(setting.context);
    return value === undefined ? undefined : { value, source: setting.context };
  };

/** The Lambda functions' environment: the settings that have a variable; an empty variable is not set. */
export const fromLambdaEnvironment =
  (env: Record<string, string | undefined>): SettingSource =>
  (setting) => {
    if (setting.lambdaEnv === undefined) return undefined;
    const value = env[setting.lambdaEnv];
    return value === undefined || value === '' ? undefined : { value, source: setting.lambdaEnv };
  };

/** The environment variables that carry `values` of `group` to a Lambda function. */
export function lambdaEnvironment<G extends SettingGroup>(
  group: G,
  values: SettingValues<G>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, setting] of Object.entries(group)) {
    if (setting.lambdaEnv !== undefined) env[setting.lambdaEnv] = setting.format(values[name as keyof G]);
  }
  return env;
}

// ---- value kinds -------------------------------------------------------------------------------------------

/** A string as is, a number as its digits, a list (cdk.json) as its items joined by commas. */
export function settingText(source: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return value.join(',');
  }
  throw new ConfigError(source, value, 'is not a string, a number or a list of them');
}

const WHOLE_NUMBER = /^\d+$/;

export function wholeNumberIn(value: unknown, source: string, min: number, max: number): number {
  const text = settingText(source, value).trim();
  const parsed = Number(text);
  if (!WHOLE_NUMBER.test(text) || parsed < min || parsed > max) {
    throw new ConfigError(source, settingText(source, value), `is not a whole number from ${min} to ${max}`);
  }
  return parsed;
}

type Described<T> = Omit<Setting<T>, 'parse' | 'format' | 'default' | 'shownDefault'>;

/** A whole number from `min` to `max`. */
export function wholeNumberSetting(
  fields: Described<number> & { default: number; min: number; max: number },
): Setting<number> {
  const { min, max, ...rest } = fields;
  return {
    ...rest,
    shownDefault: String(fields.default),
    parse: (value, source) => wholeNumberIn(value, source, min, max),
    format: String,
  };
}

/** `true` or `false` (a JSON boolean or the word). */
export function booleanSetting(fields: Described<boolean> & { default: boolean }): Setting<boolean> {
  return {
    ...fields,
    shownDefault: String(fields.default),
    parse: (value, source) => {
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw new ConfigError(source, value, 'is not true or false');
    },
    format: String,
  };
}

/** A switch of the local command (`--json`): on when given. No context key, no environment. */
export function switchSetting(fields: { meaning: string; flag: string }): Setting<boolean> {
  return {
    meaning: fields.meaning,
    default: false,
    shownDefault: 'off',
    flag: { name: fields.flag },
    parse: (value) => value === true,
    format: String,
  };
}

/** Any text the parse function accepts; `shownDefault` says what absence means. */
export function textSetting<T>(
  fields: Described<T> & {
    default: T;
    shownDefault: string;
    parseText: (text: string, source: string) => T;
    format?: (value: T) => string;
  },
): Setting<T> {
  const { parseText, format, ...rest } = fields;
  return {
    ...rest,
    parse: (value, source) => parseText(settingText(source, value), source),
    format: format ?? String,
  };
}
