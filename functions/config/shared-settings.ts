/**
 * The settings that are both a CDK context key and a flag of the local command (and reach the Lambda functions
 * through their environment): the alert rules and the CertCentral API base. Declared once, here.
 */
import {
  type AlertPolicy,
  DEFAULT_BASE_URL,
  DEFAULT_DIGEST_THRESHOLD,
  DEFAULT_EXPIRED_LOOKBACK_DAYS,
  DEFAULT_THRESHOLDS,
  parseBaseUrl,
  parseThresholds,
} from '../core/config.ts';
import { type Setting, textSetting, wholeNumberSetting } from './setting.ts';

/** The alert rules every scan applies (`AlertPolicy`). */
export const POLICY_SETTINGS = {
  thresholds: textSetting<readonly number[]>({
    meaning: 'Days before expiry at which a certificate is announced (whole days, 0-3650, each once).',
    default: DEFAULT_THRESHOLDS,
    shownDefault: DEFAULT_THRESHOLDS.join(','),
    parseText: parseThresholds,
    format: (days) => days.join(','),
    context: 'thresholds',
    flag: { name: '--thresholds', value: 'days' },
    lambdaEnv: 'THRESHOLDS',
    example: '-c thresholds=60,30,7,1',
  }),
  expiredLookbackDays: wholeNumberSetting({
    meaning: 'For how many days after expiry an `expired` alert may still be sent (0-3650).',
    default: DEFAULT_EXPIRED_LOOKBACK_DAYS,
    min: 0,
    max: 3650,
    context: 'expiredLookbackDays',
    flag: { name: '--expired-lookback-days', value: 'days' },
    lambdaEnv: 'EXPIRED_LOOKBACK_DAYS',
    example: '-c expiredLookbackDays=7',
  }),
  digestThreshold: wholeNumberSetting({
    meaning:
      'A scan with more alerts than this reaches people as one digest (JSON subscribers and `scan --json` still get every event).',
    default: DEFAULT_DIGEST_THRESHOLD,
    min: 0,
    max: 1_000_000,
    context: 'digestThreshold',
    flag: { name: '--digest-threshold', value: 'n' },
    lambdaEnv: 'DIGEST_THRESHOLD',
    example: '-c digestThreshold=50',
  }),
} satisfies { [K in keyof AlertPolicy]: Setting<AlertPolicy[K]> };

/** Where CertCentral is. */
export const CERTCENTRAL_SETTINGS = {
  baseUrl: textSetting<string>({
    meaning:
      'CertCentral API base URL (CertCentral Europe: `https://certcentral.digicert.eu/services/v2`). `http://` only for loopback.',
    default: DEFAULT_BASE_URL,
    shownDefault: DEFAULT_BASE_URL,
    parseText: parseBaseUrl,
    context: 'digicertBaseUrl',
    flag: { name: '--base-url', value: 'url', env: 'DIGICERT_BASE_URL' },
    lambdaEnv: 'DIGICERT_BASE_URL',
    example: '-c digicertBaseUrl=https://certcentral.digicert.eu/services/v2',
  }),
};
