/**
 * Settings shared by the CLI, the Lambda functions and the CDK app, with the parsers that validate them.
 * Every parser names the setting and the value it refused.
 */

export const DEFAULT_THRESHOLDS: readonly number[] = [90, 60, 30, 14, 7, 3, 1];
export const DEFAULT_EXPIRED_LOOKBACK_DAYS = 30;
export const DEFAULT_DIGEST_THRESHOLD = 20;
export const DEFAULT_BASE_URL = 'https://www.digicert.com/services/v2';
/** Past this many rows the order report is taken for a server that pages forever, and the scan fails. */
export const DEFAULT_MAX_REPORT_ROWS = 10_000_000;

/** Bad configuration: a CLI flag, an environment variable or a CDK context key with a value it cannot take. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${setting}: ${JSON.stringify(value)} ${reason}`);
  }
}

/** Rules every scan applies. */
export interface AlertPolicy {
  /** Distinct whole days, sorted from the widest (90) to the tightest (1). */
  thresholds: readonly number[];
  expiredLookbackDays: number;
  /** More alerts than this in one scan are delivered to people as one digest. */
  digestThreshold: number;
  /** A threshold applies to a certificate only when it is at most this share of its lifetime, in (0, 1]. */
  thresholdLifetimeFraction: number;
  /** For a certificate DigiCert renews or reissues by itself, thresholds at or above this do not apply. */
  automationLeadDays: number;
  /** Orders with `disable_renewal_notifications=1` get no alerts. */
  followCertCentralNotificationSetting: boolean;
  /** `product_type` or `product_name_id` values whose orders are not watched. */
  excludeProducts: readonly string[];
  /** Each order's duplicates are listed again at least every this many days (a rolling refresh). */
  duplicatesRefreshDays: number;
}

export const DEFAULT_THRESHOLD_LIFETIME_FRACTION = 0.5;
export const DEFAULT_AUTOMATION_LEAD_DAYS = 30;
export const DEFAULT_DUPLICATES_REFRESH_DAYS = 7;

export const DEFAULT_POLICY: AlertPolicy = {
  thresholds: DEFAULT_THRESHOLDS,
  expiredLookbackDays: DEFAULT_EXPIRED_LOOKBACK_DAYS,
  digestThreshold: DEFAULT_DIGEST_THRESHOLD,
  thresholdLifetimeFraction: DEFAULT_THRESHOLD_LIFETIME_FRACTION,
  automationLeadDays: DEFAULT_AUTOMATION_LEAD_DAYS,
  followCertCentralNotificationSetting: true,
  excludeProducts: [],
  duplicatesRefreshDays: DEFAULT_DUPLICATES_REFRESH_DAYS,
};

const WHOLE_NUMBER = /^\d+$/;

export function parseThresholds(value: string, setting = 'thresholds'): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) {
    throw new ConfigError(
      setting,
      value,
      'is not a comma-separated list of whole days (e.g. 90,60,30,14,7,3,1)',
    );
  }
  const days = parts.map((part) => {
    if (!WHOLE_NUMBER.test(part) || Number(part) > 3650) {
      throw new ConfigError(
        setting,
        value,
        `has ${JSON.stringify(part)}, which is not a whole number of days (0-3650)`,
      );
    }
    return Number(part);
  });
  const repeated = days.find((day, index) => days.indexOf(day) !== index);
  if (repeated !== undefined) {
    throw new ConfigError(setting, value, `has ${repeated} more than once`);
  }
  return days.sort((a, b) => b - a);
}

export function parseWholeNumber(
  value: string,
  setting: string,
  range: { min: number; max: number },
): number {
  const trimmed = value.trim();
  const parsed = Number(trimmed);
  if (!WHOLE_NUMBER.test(trimmed) || parsed < range.min || parsed > range.max) {
    throw new ConfigError(setting, value, `is not a whole number from ${range.min} to ${range.max}`);
  }
  return parsed;
}

/** An http(s) URL with no credentials, query or fragment, without its trailing slash: any endpoint (DynamoDB). */
export function parseHttpUrl(value: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(setting, value, 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(setting, value, 'must be an http(s) URL');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(setting, value, 'must not carry credentials, a query or a fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** A share in (0, 1]: `0.5`. */
export function parseFraction(value: string, setting: string): number {
  const trimmed = value.trim();
  const parsed = Number(trimmed);
  if (!DECIMAL.test(trimmed) || !(parsed > 0 && parsed <= 1)) {
    throw new ConfigError(setting, value, 'is not a number above 0 and at most 1 (e.g. 0.5)');
  }
  return parsed;
}

/**
 * The CertCentral API base. The API key travels in a header of every request, so plain `http://` is refused
 * unless the host is this machine (127.0.0.0/8, `::1`, `localhost`): a simulator or a local proxy.
 */
export function parseBaseUrl(value: string, setting = 'digicertBaseUrl'): string {
  const parsed = parseHttpUrl(value, setting);
  const url = new URL(parsed);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      setting,
      value,
      'is plain http to another machine: the API key would cross the network unencrypted. Use https ' +
        '(http is accepted only for this machine: 127.0.0.0/8, ::1, localhost)',
    );
  }
  return parsed;
}

const PRODUCT_ID = /^[A-Za-z0-9_.-]{1,100}$/;

/** Comma-separated product identifiers (`client_certificate,code_signing_certificate`); empty: none. */
export function parseProductList(value: string, setting: string): string[] {
  if (value.trim() === '') return [];
  const ids = value.split(',').map((part) => part.trim());
  const bad = ids.find((id) => !PRODUCT_ID.test(id));
  if (bad !== undefined) {
    throw new ConfigError(
      setting,
      value,
      `has ${JSON.stringify(bad)}, which is not a product_type or product_name_id (letters, digits, _ . -)`,
    );
  }
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw new ConfigError(setting, value, `has ${repeated} more than once`);
  return ids;
}

/** A URL's hostname that always means this machine. The URL parser has already normalised `127.1` and `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
