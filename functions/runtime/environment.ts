/**
 * The Lambda functions' settings, read from the environment once per cold start. The environment holds names,
 * ARNs and tuning only; secrets are read from Secrets Manager. A missing or wrong value names the variable.
 */
import {
  type AlertPolicy,
  ConfigError,
  DEFAULT_BASE_URL,
  DEFAULT_POLICY,
  parseBaseUrl,
  parseThresholds,
  parseWholeNumber,
} from '../core/config.ts';
import { stateRetentionDays } from '../state/state-retention.ts';

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, env[name] ?? '', 'is not set');
  return value;
}

function wholeNumber(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const value = env[name];
  return value === undefined || value === '' ? fallback : parseWholeNumber(value, name, range);
}

export interface CertCentralEnvironment {
  apiKeySecretArn: string;
  baseUrl: string;
  requestsPer5s: number;
  requestsPer3min: number;
}

export interface AlertRuntimeEnvironment {
  tableName: string;
  /** Days a state item is kept after its certificate's `valid_till`: at least the expired look-back + 30. */
  stateRetentionDays: number;
  /** The digest ledger's table: the events of a flood, gathered for its one digest. */
  digestTableName: string;
  topicArn: string;
  policy: AlertPolicy;
  certCentral: CertCentralEnvironment;
}

export interface ScanRuntimeEnvironment extends AlertRuntimeEnvironment {
  queueUrl: string;
  pageSize: number;
}

export function readAlertEnvironment(env: Env): AlertRuntimeEnvironment {
  const expiredLookbackDays = wholeNumber(env, 'EXPIRED_LOOKBACK_DAYS', DEFAULT_POLICY.expiredLookbackDays, {
    min: 0,
    max: 3650,
  });
  const shortestRetention = stateRetentionDays(expiredLookbackDays);
  return {
    tableName: required(env, 'STATE_TABLE_NAME'),
    // Shorter, and a long look-back would find an expired certificate's state deleted and announce it again.
    stateRetentionDays: wholeNumber(env, 'STATE_RETENTION_DAYS', shortestRetention, {
      min: shortestRetention,
      max: 100_000,
    }),
    digestTableName: required(env, 'DIGEST_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    policy: {
      thresholds: env.THRESHOLDS ? parseThresholds(env.THRESHOLDS, 'THRESHOLDS') : DEFAULT_POLICY.thresholds,
      expiredLookbackDays,
      digestThreshold: wholeNumber(env, 'DIGEST_THRESHOLD', DEFAULT_POLICY.digestThreshold, {
        min: 0,
        max: 1_000_000,
      }),
    },
    certCentral: {
      apiKeySecretArn: required(env, 'DIGICERT_API_KEY_SECRET_ARN'),
      baseUrl: parseBaseUrl(env.DIGICERT_BASE_URL || DEFAULT_BASE_URL, 'DIGICERT_BASE_URL'),
      requestsPer5s: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_5S', 20, { min: 1, max: 100 }),
      requestsPer3min: wholeNumber(env, 'CERTCENTRAL_REQUESTS_PER_3MIN', 200, { min: 1, max: 1000 }),
    },
  };
}

export function readScanEnvironment(env: Env): ScanRuntimeEnvironment {
  return {
    ...readAlertEnvironment(env),
    queueUrl: required(env, 'WORK_QUEUE_URL'),
    pageSize: wholeNumber(env, 'REPORT_PAGE_SIZE', 1000, { min: 1, max: 100_000 }),
  };
}

export interface DigestRuntimeEnvironment {
  digestTableName: string;
  topicArn: string;
  /** The alert work queue: a digest goes out once it has drained. */
  queueUrl: string;
  /** How long after it was opened a digest may go out at the earliest (SQS's queue counts lag a minute). */
  settleSeconds: number;
}

export function readDigestEnvironment(env: Env): DigestRuntimeEnvironment {
  return {
    digestTableName: required(env, 'DIGEST_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    queueUrl: required(env, 'WORK_QUEUE_URL'),
    settleSeconds: wholeNumber(env, 'DIGEST_SETTLE_SECONDS', 120, { min: 0, max: 86_400 }),
  };
}

export function readSlackEnvironment(env: Env): { webhookSecretArn: string } {
  return { webhookSecretArn: required(env, 'SLACK_WEBHOOK_SECRET_ARN') };
}
