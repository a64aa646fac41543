/**
 * The Lambda functions' settings, read from the environment once per cold start. The environment holds names,
 * ARNs and tuning only; secrets are read from Secrets Manager. A missing or wrong value names the variable.
 */
import { parseRouteFilters, ROUTES_VARIABLE } from '../config/route-filters.ts';
import { fromLambdaEnvironment, readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS, POLICY_SETTINGS, REPORT_SETTINGS } from '../config/shared-settings.ts';
import { type AlertPolicy, ConfigError, parseWholeNumber } from '../core/config.ts';
import { consoleUrlFor } from '../core/console-links.ts';
import type { RouteFilter } from '../core/routes.ts';
import { stateRetentionDays } from '../state/state-retention.ts';

type Env = Record<string, string | undefined>;

/** A variable the function cannot run without: a ConfigError naming it when it is missing or blank. */
export function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, env[name] ?? '', 'is not set');
  return value;
}

function optional(env: Env, name: string): string | null {
  return env[name]?.trim() || null;
}

/** The routes' filters; null when the stack has no route (one digest, for subscribers without a filter). */
export function routeFiltersOf(env: Env): RouteFilter[] | null {
  const text = env[ROUTES_VARIABLE]?.trim();
  const parsed = text ? parseRouteFilters(text) : [];
  return parsed.length > 0 ? parsed : null;
}

function wholeNumber(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const value = env[name];
  return value === undefined || value === '' ? fallback : parseWholeNumber(value, name, range);
}

export interface CertCentralEnvironment {
  apiKeySecretArn: string;
  baseUrl: string;
  /** The console alerts link to: `CERTCENTRAL_CONSOLE_URL`, or the base URL's region's. */
  consoleUrl: string;
  requestsPer5s: number;
  requestsPer3min: number;
  /** One attempt of one request, body included (`CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS`). */
  attemptTimeoutMs: number;
  /** One request, every attempt and retry wait included (`CERTCENTRAL_RETRY_BUDGET_SECONDS`). */
  retryBudgetMs: number;
}

/** A request's time limits, to fit the function that makes it: the stack derives both from its timeout. */
export interface RequestBudget {
  attemptTimeoutSeconds: number;
  retryBudgetSeconds: number;
}

/**
 * The budget that fits a function of this timeout: two thirds of it for one request (at most 4 min, which
 * outlasts DigiCert's 3-minute rate window), a quarter of that per attempt (at most 30 s). The stack sets the
 * environment from the function's own timeout with this, so the two cannot drift apart.
 */
export function requestBudgetFor(functionTimeoutSeconds: number): RequestBudget {
  const retryBudgetSeconds = Math.max(1, Math.min(240, Math.floor((functionTimeoutSeconds * 2) / 3)));
  const attemptTimeoutSeconds = Math.max(1, Math.min(30, Math.floor(retryBudgetSeconds / 4)));
  return { attemptTimeoutSeconds, retryBudgetSeconds };
}

/** The variables that carry a budget to a function. */
export function requestBudgetEnvironment(budget: RequestBudget): Record<string, string> {
  return {
    CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: String(budget.attemptTimeoutSeconds),
    CERTCENTRAL_RETRY_BUDGET_SECONDS: String(budget.retryBudgetSeconds),
  };
}

/** Without the variables: the budget of the alert function's 60 s timeout (10 s per attempt, 40 s in all). */
export const ALERT_REQUEST_BUDGET: RequestBudget = requestBudgetFor(60);
/** Without the variables: the budget of the scan function's 15 min timeout (30 s per attempt, 4 min in all). */
export const SCAN_REQUEST_BUDGET: RequestBudget = requestBudgetFor(900);

/** Without `CLAIM_LEASE_SECONDS`: twice the alert function's 60 s timeout (the stack sets it from the timeout). */
const DEFAULT_CLAIM_LEASE_SECONDS = 120;

export interface AlertRuntimeEnvironment {
  tableName: string;
  /** How long an alert claim holds off other workers (`CLAIM_LEASE_SECONDS`). */
  claimLeaseSeconds: number;
  /** Days a state item is kept after its certificate's `valid_till`: at least the expired look-back + 30. */
  stateRetentionDays: number;
  /** The digest ledger's table: the events of a flood, gathered for its one digest. */
  digestTableName: string;
  topicArn: string;
  /** Every alert is also put on this EventBridge bus (name or ARN); null: none. */
  eventBusName: string | null;
  policy: AlertPolicy;
  certCentral: CertCentralEnvironment;
}

export interface ScanRuntimeEnvironment extends AlertRuntimeEnvironment {
  queueUrl: string;
  pageSize: number;
  /** The scan fails when the order report passes this many rows (`MAX_REPORT_ROWS`). */
  maxReportRows: number;
}

export function readAlertEnvironment(env: Env): AlertRuntimeEnvironment {
  return readEnvironment(env, ALERT_REQUEST_BUDGET);
}

/** A function's share of DigiCert's rate limit when the stack did not set one. */
export interface RequestShare {
  per5s: number;
  per3min: number;
}

/**
 * CertCentral as a function reaches it: the API key's secret, the base URL and console, its share of the rate
 * limit, and the request budget that fits its timeout (the stack sets both from its own declarations).
 */
export function readCertCentralEnvironment(
  env: Env,
  budget: RequestBudget,
  share: RequestShare,
): CertCentralEnvironment {
  const attemptTimeoutSeconds = wholeNumber(
    env,
    'CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS',
    budget.attemptTimeoutSeconds,
    { min: 1, max: 900 },
  );
  const retryBudgetSeconds = wholeNumber(env, 'CERTCENTRAL_RETRY_BUDGET_SECONDS', budget.retryBudgetSeconds, {
    min: attemptTimeoutSeconds,
    max: 900,
  });
  const certCentral = readSettings(CERTCENTRAL_SETTINGS, fromLambdaEnvironment(env));
  return {
    apiKeySecretArn: required(env, 'DIGICERT_API_KEY_SECRET_ARN'),
    baseUrl: certCentral.baseUrl,
    consoleUrl: consoleUrlFor(certCentral.baseUrl, certCentral.consoleBaseUrl),
    requestsPer5s: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_5S', share.per5s, { min: 1, max: 100 }),
    requestsPer3min: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_3MIN', share.per3min, { min: 1, max: 1000 }),
    attemptTimeoutMs: attemptTimeoutSeconds * 1000,
    retryBudgetMs: retryBudgetSeconds * 1000,
  };
}

/** `REPORT_PAGE_SIZE` and `MAX_REPORT_ROWS`, for the functions that read the order report. */
export function readReportEnvironment(env: Env): { pageSize: number; maxReportRows: number } {
  return {
    pageSize: wholeNumber(env, 'REPORT_PAGE_SIZE', 1000, { min: 1, max: 100_000 }),
    maxReportRows: readSettings(REPORT_SETTINGS, fromLambdaEnvironment(env)).maxReportRows,
  };
}

function readEnvironment(env: Env, budget: RequestBudget): AlertRuntimeEnvironment {
  const policy = readSettings(POLICY_SETTINGS, fromLambdaEnvironment(env));
  const shortestRetention = stateRetentionDays(policy.expiredLookbackDays);
  return {
    tableName: required(env, 'STATE_TABLE_NAME'),
    // Shorter, and a long look-back would find an expired certificate's state deleted and announce it again.
    stateRetentionDays: wholeNumber(env, 'STATE_RETENTION_DAYS', shortestRetention, {
      min: shortestRetention,
      max: 100_000,
    }),
    digestTableName: required(env, 'DIGEST_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    claimLeaseSeconds: wholeNumber(env, 'CLAIM_LEASE_SECONDS', DEFAULT_CLAIM_LEASE_SECONDS, {
      min: 1,
      max: 3600,
    }),
    eventBusName: optional(env, 'EVENT_BUS_NAME'),
    policy,
    certCentral: readCertCentralEnvironment(env, budget, { per5s: 20, per3min: 200 }),
  };
}

export function readScanEnvironment(env: Env): ScanRuntimeEnvironment {
  return {
    ...readEnvironment(env, SCAN_REQUEST_BUDGET),
    queueUrl: required(env, 'WORK_QUEUE_URL'),
    ...readReportEnvironment(env),
  };
}

export interface DigestRuntimeEnvironment {
  digestTableName: string;
  topicArn: string;
  /** The alert work queue: a digest goes out once it has drained. */
  queueUrl: string;
  /** How long after it was opened a digest may go out at the earliest (SQS's queue counts lag a minute). */
  settleSeconds: number;
  /** One digest per route, of the alerts its filters match; null: one digest of every alert. */
  routes: RouteFilter[] | null;
}

export function readDigestEnvironment(env: Env): DigestRuntimeEnvironment {
  return {
    digestTableName: required(env, 'DIGEST_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    queueUrl: required(env, 'WORK_QUEUE_URL'),
    settleSeconds: wholeNumber(env, 'DIGEST_SETTLE_SECONDS', 120, { min: 0, max: 86_400 }),
    routes: routeFiltersOf(env),
  };
}

export interface TestAlertRuntimeEnvironment {
  topicArn: string;
  eventBusName: string | null;
  /** The console the sample links to. */
  consoleUrl: string;
  /** Each route gets a sample addressed to it; null: one sample for subscribers without a filter. */
  routes: RouteFilter[] | null;
}

export function readTestAlertEnvironment(env: Env): TestAlertRuntimeEnvironment {
  const certCentral = readSettings(CERTCENTRAL_SETTINGS, fromLambdaEnvironment(env));
  return {
    topicArn: required(env, 'TOPIC_ARN'),
    eventBusName: optional(env, 'EVENT_BUS_NAME'),
    consoleUrl: consoleUrlFor(certCentral.baseUrl, certCentral.consoleBaseUrl),
    routes: routeFiltersOf(env),
  };
}

export function readSlackEnvironment(env: Env): { webhookSecretArn: string } {
  return { webhookSecretArn: required(env, 'SLACK_WEBHOOK_SECRET_ARN') };
}
