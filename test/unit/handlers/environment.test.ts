import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import {
  readAlertEnvironment,
  readDigestEnvironment,
  readScanEnvironment,
  readSlackEnvironment,
  requestBudgetEnvironment,
  requestBudgetFor,
} from '../../../functions/runtime/environment.ts';
import { refusal } from '../../support/refusal.ts';

const SCAN_ENV = {
  STATE_TABLE_NAME: 'expiry-alerts-StateTable-1ABC',
  DIGEST_TABLE_NAME: 'expiry-alerts-Digests-2DEF',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic',
  DIGICERT_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:digicert-Ab12Cd',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/expiry-alerts-WorkQueue',
};

describe('readScanEnvironment', () => {
  it('fills in the defaults around the names and ARNs the stack sets', () => {
    expect(readScanEnvironment(SCAN_ENV)).toEqual({
      tableName: SCAN_ENV.STATE_TABLE_NAME,
      stateRetentionDays: 60,
      digestTableName: SCAN_ENV.DIGEST_TABLE_NAME,
      topicArn: SCAN_ENV.TOPIC_ARN,
      eventBusName: null,
      queueUrl: SCAN_ENV.WORK_QUEUE_URL,
      pageSize: 1000,
      maxReportRows: 10_000_000,
      claimLeaseSeconds: 120,
      policy: DEFAULT_POLICY,
      certCentral: {
        apiKeySecretArn: SCAN_ENV.DIGICERT_API_KEY_SECRET_ARN,
        baseUrl: 'https://www.digicert.com/services/v2',
        consoleUrl: 'https://www.digicert.com/secure',
        requestsPer5s: 20,
        requestsPer3min: 200,
        attemptTimeoutMs: 30_000,
        retryBudgetMs: 240_000,
      },
    });
  });

  it('reads the tuning the stack passes', () => {
    const env = readScanEnvironment({
      ...SCAN_ENV,
      THRESHOLDS: '30,7,1',
      EXPIRED_LOOKBACK_DAYS: '10',
      DIGEST_THRESHOLD: '50',
      DIGICERT_BASE_URL: 'https://certcentral.example.test/services/v2/',
      CERTCENTRAL_REQUESTS_PER_5S: '5',
      CERTCENTRAL_REQUESTS_PER_3MIN: '60',
      REPORT_PAGE_SIZE: '500',
      EVENT_BUS_NAME: 'certificates',
    });

    expect(env).toMatchObject({
      pageSize: 500,
      eventBusName: 'certificates',
      policy: { ...DEFAULT_POLICY, thresholds: [30, 7, 1], expiredLookbackDays: 10, digestThreshold: 50 },
      certCentral: {
        baseUrl: 'https://certcentral.example.test/services/v2',
        consoleUrl: 'https://www.digicert.com/secure',
        requestsPer5s: 5,
        requestsPer3min: 60,
      },
    });
  });

  it.each([
    ['STATE_TABLE_NAME', undefined],
    ['DIGEST_TABLE_NAME', ''],
    ['TOPIC_ARN', ''],
    ['DIGICERT_API_KEY_SECRET_ARN', '  '],
    ['WORK_QUEUE_URL', undefined],
  ])('names %s when it is missing or blank', (name, value) => {
    const error = refusal(() => readScanEnvironment({ ...SCAN_ENV, [name]: value }));

    expect(error.setting).toBe(name);
    expect(error.message).toContain(`${name}: `);
    expect(error.message).toContain('is not set');
  });

  it.each([
    ['THRESHOLDS', '30,abc'],
    ['EXPIRED_LOOKBACK_DAYS', '-1'],
    ['DIGEST_THRESHOLD', 'many'],
    ['DIGICERT_BASE_URL', 'ftp://www.digicert.com/services/v2'],
    ['CERTCENTRAL_REQUESTS_PER_5S', '0'],
    ['CERTCENTRAL_REQUESTS_PER_3MIN', '1001'],
    ['REPORT_PAGE_SIZE', '1.5'],
    ['CERTCENTRAL_CONSOLE_URL', 'http://www.digicert.com/secure'],
    ['DIGICERT_BASE_URL', 'http://certcentral.example.com/services/v2'],
    ['CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS', '0'],
    ['CERTCENTRAL_RETRY_BUDGET_SECONDS', '5'],
    ['MAX_REPORT_ROWS', '0'],
  ])('names %s and its value when the value is wrong', (name, value) => {
    const error = refusal(() => readScanEnvironment({ ...SCAN_ENV, [name]: value }));

    expect(error.setting).toBe(name);
    expect(error.message).toContain(`${name}: ${JSON.stringify(value)}`);
  });
});

describe('the console alerts link to', () => {
  it.each([
    [{}, 'https://www.digicert.com/secure'],
    [
      { DIGICERT_BASE_URL: 'https://certcentral.digicert.eu/services/v2' },
      'https://certcentral.digicert.eu/secure',
    ],
    [
      {
        DIGICERT_BASE_URL: 'https://certcentral.digicert.eu/services/v2',
        CERTCENTRAL_CONSOLE_URL: 'https://www.digicert.com/secure/orders/{orderId}/details',
      },
      'https://www.digicert.com/secure/orders/{orderId}/details',
    ],
  ])("is the base URL region's, unless one is set (%j)", (variables, consoleUrl) => {
    expect(readAlertEnvironment({ ...SCAN_ENV, ...variables }).certCentral.consoleUrl).toBe(consoleUrl);
  });
});

describe('the CertCentral request budget', () => {
  it('reads the budget and the report row cap the stack passes', () => {
    const env = readScanEnvironment({
      ...SCAN_ENV,
      CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: '20',
      CERTCENTRAL_RETRY_BUDGET_SECONDS: '100',
      MAX_REPORT_ROWS: '500000',
    });

    expect(env.certCentral).toMatchObject({ attemptTimeoutMs: 20_000, retryBudgetMs: 100_000 });
    expect(env.maxReportRows).toBe(500_000);
  });

  it('defaults the alert function to 10 s per attempt and 40 s per request, within its 60 s timeout', () => {
    const { WORK_QUEUE_URL: _, ...alertEnv } = SCAN_ENV;

    expect(readAlertEnvironment(alertEnv).certCentral).toMatchObject({
      attemptTimeoutMs: 10_000,
      retryBudgetMs: 40_000,
    });
  });

  it('refuses a retry budget shorter than one attempt', () => {
    const error = refusal(() =>
      readScanEnvironment({
        ...SCAN_ENV,
        CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: '30',
        CERTCENTRAL_RETRY_BUDGET_SECONDS: '20',
      }),
    );

    expect(error.message).toBe('CERTCENTRAL_RETRY_BUDGET_SECONDS: "20" is not a whole number from 30 to 900');
  });

  it.each([
    [60, { attemptTimeoutSeconds: 10, retryBudgetSeconds: 40 }],
    [900, { attemptTimeoutSeconds: 30, retryBudgetSeconds: 240 }],
    [30, { attemptTimeoutSeconds: 5, retryBudgetSeconds: 20 }],
  ])('gives a function of %i s a budget that ends well before its timeout', (timeout, budget) => {
    expect(requestBudgetFor(timeout)).toEqual(budget);
    expect(requestBudgetEnvironment(budget)).toEqual({
      CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: String(budget.attemptTimeoutSeconds),
      CERTCENTRAL_RETRY_BUDGET_SECONDS: String(budget.retryBudgetSeconds),
    });
  });
});

describe('readAlertEnvironment', () => {
  it('keeps state at least the expired look-back plus 30 days after expiry', () => {
    expect(readAlertEnvironment(SCAN_ENV).stateRetentionDays).toBe(60);
    expect(readAlertEnvironment({ ...SCAN_ENV, EXPIRED_LOOKBACK_DAYS: '3650' }).stateRetentionDays).toBe(
      3680,
    );
    expect(
      readAlertEnvironment({ ...SCAN_ENV, EXPIRED_LOOKBACK_DAYS: '10', STATE_RETENTION_DAYS: '400' })
        .stateRetentionDays,
    ).toBe(400);
  });

  it('refuses a retention shorter than the look-back plus 30 days, naming both numbers', () => {
    const error = refusal(() =>
      readAlertEnvironment({ ...SCAN_ENV, EXPIRED_LOOKBACK_DAYS: '365', STATE_RETENTION_DAYS: '60' }),
    );

    expect(error.setting).toBe('STATE_RETENTION_DAYS');
    expect(error.message).toContain('STATE_RETENTION_DAYS: "60"');
    expect(error.message).toContain('395');
  });

  it('does not need the work queue', () => {
    const { WORK_QUEUE_URL: _, ...alertEnv } = SCAN_ENV;

    expect(readAlertEnvironment(alertEnv).tableName).toBe(SCAN_ENV.STATE_TABLE_NAME);
  });

  it('names a missing state table', () => {
    expect(refusal(() => readAlertEnvironment({ ...SCAN_ENV, STATE_TABLE_NAME: undefined })).setting).toBe(
      'STATE_TABLE_NAME',
    );
  });
});

describe('readDigestEnvironment', () => {
  const DIGEST_ENV = {
    DIGEST_TABLE_NAME: SCAN_ENV.DIGEST_TABLE_NAME,
    TOPIC_ARN: SCAN_ENV.TOPIC_ARN,
    WORK_QUEUE_URL: SCAN_ENV.WORK_QUEUE_URL,
  };

  it('needs the digest table, the topic and the work queue, and lets digests settle 2 minutes by default', () => {
    expect(readDigestEnvironment(DIGEST_ENV)).toEqual({
      digestTableName: DIGEST_ENV.DIGEST_TABLE_NAME,
      topicArn: DIGEST_ENV.TOPIC_ARN,
      queueUrl: DIGEST_ENV.WORK_QUEUE_URL,
      settleSeconds: 120,
      routes: null,
    });
  });

  it("reads the routes' filters, and names ROUTES when it is not what the stack writes", () => {
    const routes = '[{"name":"web","containers":["Web Team"]},{"name":"oncall","severities":["critical"]}]';

    expect(readDigestEnvironment({ ...DIGEST_ENV, ROUTES: routes }).routes).toEqual([
      { name: 'web', containers: ['Web Team'], organizations: null, products: null, severities: null },
      { name: 'oncall', containers: null, organizations: null, products: null, severities: ['critical'] },
    ]);
    expect(readDigestEnvironment({ ...DIGEST_ENV, ROUTES: '[]' }).routes).toBeNull();
    const error = refusal(() =>
      readDigestEnvironment({ ...DIGEST_ENV, ROUTES: '[{"name":"web","emails":["a@b.c"]}]' }),
    );
    expect(error.setting).toBe('ROUTES');
  });

  it.each(['DIGEST_TABLE_NAME', 'TOPIC_ARN', 'WORK_QUEUE_URL'])('names %s when it is missing', (name) => {
    expect(refusal(() => readDigestEnvironment({ ...DIGEST_ENV, [name]: undefined })).setting).toBe(name);
  });

  it('names DIGEST_SETTLE_SECONDS and its value when the value is wrong', () => {
    const error = refusal(() => readDigestEnvironment({ ...DIGEST_ENV, DIGEST_SETTLE_SECONDS: '-5' }));

    expect(error.message).toContain('DIGEST_SETTLE_SECONDS: "-5"');
  });
});

describe('readSlackEnvironment', () => {
  it('names the missing webhook secret', () => {
    expect(refusal(() => readSlackEnvironment({})).message).toContain('SLACK_WEBHOOK_SECRET_ARN');
  });
});
