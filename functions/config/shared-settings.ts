/**
 * The settings that are both a CDK context key and a flag of the local command (and reach the Lambda functions
 * through their environment): the alert rules and the CertCentral API base. Declared once, here.
 */
import {
  type AlertPolicy,
  DEFAULT_AUTOMATION_LEAD_DAYS,
  DEFAULT_BASE_URL,
  DEFAULT_DIGEST_THRESHOLD,
  DEFAULT_DUPLICATES_REFRESH_DAYS,
  DEFAULT_EXPIRED_LOOKBACK_DAYS,
  DEFAULT_MAX_REPORT_ROWS,
  DEFAULT_THRESHOLD_LIFETIME_FRACTION,
  DEFAULT_THRESHOLDS,
  parseBaseUrl,
  parseFraction,
  parseProductList,
  parseThresholds,
} from '../core/config.ts';
import { EUROPE_CONSOLE_URL, parseConsoleUrl, US_CONSOLE_URL } from '../core/console-links.ts';
import { booleanSetting, type Setting, textSetting, wholeNumberSetting } from './setting.ts';

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
  thresholdLifetimeFraction: textSetting<number>({
    meaning:
      "A threshold applies to a certificate only when it is at most this share of the certificate's lifetime (`valid_till` - `valid_from`), in (0, 1]. The smallest threshold and `expired` always apply. With 0.5, a 100-day certificate gets 30, 14, 7, 3, 1.",
    default: DEFAULT_THRESHOLD_LIFETIME_FRACTION,
    shownDefault: String(DEFAULT_THRESHOLD_LIFETIME_FRACTION),
    parseText: parseFraction,
    context: 'thresholdLifetimeFraction',
    flag: { name: '--threshold-lifetime-fraction', value: 'share' },
    lambdaEnv: 'THRESHOLD_LIFETIME_FRACTION',
    example: '-c thresholdLifetimeFraction=1',
  }),
  automationLeadDays: wholeNumberSetting({
    meaning:
      'For an order DigiCert renews (`auto_renew`) or reissues (a Multi-year Plan with `auto_reissue`) by itself, thresholds at or above this many days do not apply: its first alert comes when DigiCert should already have acted (0-3650).',
    default: DEFAULT_AUTOMATION_LEAD_DAYS,
    min: 0,
    max: 3650,
    context: 'automationLeadDays',
    flag: { name: '--automation-lead-days', value: 'days' },
    lambdaEnv: 'AUTOMATION_LEAD_DAYS',
    example: '-c automationLeadDays=20',
  }),
  followCertCentralNotificationSetting: booleanSetting({
    meaning:
      'Orders whose renewal notices are switched off in CertCentral (`disable_renewal_notifications=1`) get no alerts.',
    default: true,
    context: 'followCertCentralNotificationSetting',
    flag: {
      name: '--ignore-notification-setting',
      inverts: true,
      meaning:
        'Alert on orders whose renewal notices are switched off in CertCentral (`disable_renewal_notifications=1`) too; without it they get no alerts.',
    },
    lambdaEnv: 'FOLLOW_CERTCENTRAL_NOTIFICATION_SETTING',
    example: '-c followCertCentralNotificationSetting=false',
  }),
  excludeProducts: textSetting<readonly string[]>({
    meaning:
      "Orders of these products are not watched: comma-separated values, each matching a report row's `product_type` or `product_name_id`. They cost nothing beyond their report row.",
    default: [],
    shownDefault: 'none',
    parseText: parseProductList,
    format: (ids) => ids.join(','),
    context: 'excludeProducts',
    flag: { name: '--exclude-products', value: 'products' },
    lambdaEnv: 'EXCLUDE_PRODUCTS',
    example: '-c excludeProducts=client_certificate,code_signing_certificate',
  }),
  duplicatesRefreshDays: wholeNumberSetting({
    meaning:
      'Each order with duplicates has its duplicates listed again at least every this many days, spread over the days by order id (1-365), besides when it is first seen, when its report row changes and when it is a candidate.',
    default: DEFAULT_DUPLICATES_REFRESH_DAYS,
    min: 1,
    max: 365,
    context: 'duplicatesRefreshDays',
    flag: { name: '--duplicates-refresh-days', value: 'days' },
    lambdaEnv: 'DUPLICATES_REFRESH_DAYS',
    example: '-c duplicatesRefreshDays=14',
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
  consoleBaseUrl: textSetting<string | null>({
    meaning: `The CertCentral console that every alert links to: the order's page is \`<url>/orders/<order id>\`; a value holding \`{orderId}\` is the whole link, with the order id in its place. By default the console of the base URL's region: \`${US_CONSOLE_URL}\`, or \`${EUROPE_CONSOLE_URL}\` for CertCentral Europe.`,
    default: null,
    shownDefault: "the base URL's region",
    parseText: parseConsoleUrl,
    format: (url) => url ?? '',
    context: 'consoleBaseUrl',
    flag: { name: '--console-base-url', value: 'url' },
    lambdaEnv: 'CERTCENTRAL_CONSOLE_URL',
    example: "-c 'consoleBaseUrl=https://www.digicert.com/secure/orders/{orderId}'",
  }),
};

/** How much of the order report a scan reads before it decides the server is paging forever. */
export const REPORT_SETTINGS = {
  maxReportRows: wholeNumberSetting({
    meaning:
      'The scan (and the weekly summary) stops and fails when the order report passes this many rows (a server that pages forever); it also stops when a page repeats the previous page.',
    default: DEFAULT_MAX_REPORT_ROWS,
    min: 1,
    max: 1_000_000_000,
    context: 'maxReportRows',
    flag: { name: '--max-report-rows', value: 'n' },
    lambdaEnv: 'MAX_REPORT_ROWS',
    example: '-c maxReportRows=2000000',
  }),
};
