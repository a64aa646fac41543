/**
 * The summary function's settings, read from its environment once per cold start: the state table, the topic,
 * CertCentral (the API key's secret, the base URL, its request share), the watch rules and the window.
 */
import { fromLambdaEnvironment, readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS, POLICY_SETTINGS } from '../config/shared-settings.ts';
import { SUMMARY_WINDOW_SETTINGS } from '../config/summary-settings.ts';
import { type AlertPolicy, ConfigError, parseWholeNumber } from '../core/config.ts';
import { consoleUrlFor } from '../core/console-links.ts';
import type { RouteFilter } from '../core/routes.ts';
import { type CertCentralEnvironment, routeFiltersOf, SCAN_REQUEST_BUDGET } from './environment.ts';

type Env = Record<string, string | undefined>;

export interface SummaryRuntimeEnvironment {
  tableName: string;
  topicArn: string;
  policy: AlertPolicy;
  withinDays: number;
  certCentral: CertCentralEnvironment;
  pageSize: number;
  /** The routes' filters (`ROUTES`); null when the stack has none: one summary to the topic. */
  routes: RouteFilter[] | null;
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, env[name] ?? '', 'is not set');
  return value;
}

function wholeNumber(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const value = env[name];
  return value === undefined || value === '' ? fallback : parseWholeNumber(value, name, range);
}

export function readSummaryEnvironment(env: Env): SummaryRuntimeEnvironment {
  const settings = fromLambdaEnvironment(env);
  const certCentral = readSettings(CERTCENTRAL_SETTINGS, settings);
  const budget = SCAN_REQUEST_BUDGET;
  return {
    tableName: required(env, 'STATE_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    policy: readSettings(POLICY_SETTINGS, settings),
    withinDays: readSettings(SUMMARY_WINDOW_SETTINGS, settings).summaryWithinDays,
    certCentral: {
      apiKeySecretArn: required(env, 'DIGICERT_API_KEY_SECRET_ARN'),
      baseUrl: certCentral.baseUrl,
      consoleUrl: consoleUrlFor(certCentral.baseUrl, certCentral.consoleBaseUrl),
      attemptTimeoutMs:
        wholeNumber(env, 'CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS', budget.attemptTimeoutSeconds, {
          min: 1,
          max: 900,
        }) * 1000,
      retryBudgetMs:
        wholeNumber(env, 'CERTCENTRAL_RETRY_BUDGET_SECONDS', budget.retryBudgetSeconds, {
          min: 1,
          max: 900,
        }) * 1000,
      requestsPer5s: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_5S', 10, { min: 1, max: 100 }),
      requestsPer3min: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_3MIN', 100, { min: 1, max: 1000 }),
    },
    pageSize: wholeNumber(env, 'REPORT_PAGE_SIZE', 1000, { min: 1, max: 100_000 }),
    routes: routeFiltersOf(env),
  };
}
