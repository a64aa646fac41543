import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_POLICY } from '../../functions/core/config.ts';
import { parseStackConfig, parseStackName } from '../../infra/config.ts';
import { refusal } from '../support/refusal.ts';

const parse = (context: Record<string, unknown>) => parseStackConfig((key) => context[key]);

const refused = (context: Record<string, unknown>): ConfigError =>
  refusal(() => parse(context), JSON.stringify(context));

describe('parseStackConfig', () => {
  it('gives the documented defaults when no context is set', () => {
    expect(parse({})).toEqual({
      policy: DEFAULT_POLICY,
      schedule: 'cron(0 6 * * ? *)',
      notifyEmails: [],
      slackWebhookSecretName: null,
      routes: [],
      eventBusName: null,
      digicertApiKeySecretName: 'expiry-alerts/digicert-api-key',
      digicertApiKeySecretExists: false,
      digicertBaseUrl: 'https://www.digicert.com/services/v2',
      consoleBaseUrl: null,
      maxReportRows: 10_000_000,
      opsTopicArn: null,
      alertWorkerConcurrency: 2,
      logRetentionDays: 90,
      summarySchedule: 'cron(0 7 ? * MON *)',
      summaryWithinDays: 30,
    });
  });

  it('reads every key from -c strings', () => {
    const config = parse({
      thresholds: '30, 7',
      schedule: 'rate(12 hours)',
      notifyEmails: 'ops@example.com:critical, team+certs@example.org:warning+critical,all@example.com',
      slackWebhookSecretName: 'expiry-alerts/slack-webhook',
      digicertApiKeySecretName: 'certs/digicert',
      digicertApiKeySecretExists: 'true',
      digicertBaseUrl: 'https://certcentral.digicert.eu/services/v2/',
      maxReportRows: '500000',
      expiredLookbackDays: '10',
      digestThreshold: '0',
      thresholdLifetimeFraction: '0.75',
      automationLeadDays: '20',
      followCertCentralNotificationSetting: 'false',
      excludeProducts: 'client_certificate, code_signing',
      duplicatesRefreshDays: '14',
      opsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms',
      alertWorkerConcurrency: '4',
      logRetentionDays: '30',
      routes: '[{"name":"web","emails":["web@example.com"],"containers":["Web Team"]}]',
      eventBusName: 'certificates',
      consoleBaseUrl: 'https://www.digicert.com/secure/orders/{orderId}',

      summarySchedule: 'OFF',
      summaryWithinDays: '45',
    });
    expect(config).toEqual({
      policy: {
        ...DEFAULT_POLICY,
        thresholds: [30, 7],
        expiredLookbackDays: 10,
        digestThreshold: 0,
        thresholdLifetimeFraction: 0.75,
        automationLeadDays: 20,
        followCertCentralNotificationSetting: false,
        excludeProducts: ['client_certificate', 'code_signing'],
        duplicatesRefreshDays: 14,
      },
      schedule: 'rate(12 hours)',
      notifyEmails: [
        { address: 'ops@example.com', severities: ['critical'] },
        { address: 'team+certs@example.org', severities: ['warning', 'critical'] },
        { address: 'all@example.com', severities: null },
      ],
      slackWebhookSecretName: 'expiry-alerts/slack-webhook',
      routes: [
        {
          name: 'default',
          emails: ['all@example.com'],
          slackWebhookSecretName: 'expiry-alerts/slack-webhook',
          containers: null,
          organizations: null,
          products: null,
          severities: null,
        },
        {
          name: 'default-critical',
          emails: ['ops@example.com'],
          slackWebhookSecretName: null,
          containers: null,
          organizations: null,
          products: null,
          severities: ['critical'],
        },
        {
          name: 'default-warning-critical',
          emails: ['team+certs@example.org'],
          slackWebhookSecretName: null,
          containers: null,
          organizations: null,
          products: null,
          severities: ['warning', 'critical'],
        },
        {
          name: 'web',
          emails: ['web@example.com'],
          slackWebhookSecretName: null,
          containers: ['Web Team'],
          organizations: null,
          products: null,
          severities: null,
        },
      ],
      eventBusName: 'certificates',
      digicertApiKeySecretName: 'certs/digicert',
      digicertApiKeySecretExists: true,
      digicertBaseUrl: 'https://certcentral.digicert.eu/services/v2',
      consoleBaseUrl: 'https://www.digicert.com/secure/orders/{orderId}',
      maxReportRows: 500_000,
      opsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms',
      alertWorkerConcurrency: 4,
      logRetentionDays: 30,
      summarySchedule: null,
      summaryWithinDays: 45,
    });
  });

  it('reads JSON values as cdk.json holds them', () => {
    const config = parse({
      thresholds: [7, 30],
      notifyEmails: ['ops@example.com:critical', 'all@example.com'],
      digicertApiKeySecretExists: true,
      expiredLookbackDays: 5,
      digestThreshold: 50,
      alertWorkerConcurrency: 8,
      logRetentionDays: 365,
    });
    expect(config).toMatchObject({
      policy: { thresholds: [30, 7], expiredLookbackDays: 5, digestThreshold: 50 },
      notifyEmails: [
        { address: 'ops@example.com', severities: ['critical'] },
        { address: 'all@example.com', severities: null },
      ],
      digicertApiKeySecretExists: true,
      alertWorkerConcurrency: 8,
      logRetentionDays: 365,
    });
  });

  it('treats an empty optional key as not set', () => {
    expect(parse({ notifyEmails: '', slackWebhookSecretName: ' ', opsTopicArn: '' })).toMatchObject({
      notifyEmails: [],
      slackWebhookSecretName: null,
      opsTopicArn: null,
    });
  });

  it.each([
    ['cron(0 6 * * ? *)'],
    ['cron(15 */6 ? * MON-FRI *)'],
    ['cron(0 6 ? * MON-FRI *)'],
    ['rate(1 day)'],
    ['rate(30 minutes)'],
  ])('accepts the schedule %s', (schedule) => {
    expect(parse({ schedule }).schedule).toBe(schedule);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a threshold that is not a number', { thresholds: '30,abc' }, 'thresholds: "30,abc"'],
    ['an empty threshold list', { thresholds: '' }, 'thresholds: ""'],
    ['a negative threshold', { thresholds: [30, -1] }, 'thresholds: "30,-1"'],
    ['a threshold twice', { thresholds: [7, 30, 7] }, 'thresholds: "7,30,7" has 7 more than once'],
    ['a 5-field cron', { schedule: 'cron(0 6 * * ?)' }, 'schedule: "cron(0 6 * * ?)"'],
    ['a cron without ?', { schedule: 'cron(0 6 * * * *)' }, 'schedule: "cron(0 6 * * * *)"'],
    ['a cron with two ?', { schedule: 'cron(0 6 ? * ? *)' }, 'schedule: "cron(0 6 ? * ? *)"'],
    ['a crontab line', { schedule: '0 6 * * *' }, 'schedule: "0 6 * * *"'],
    ['a rate of zero', { schedule: 'rate(0 days)' }, 'schedule: "rate(0 days)"'],
    ['a plural rate of one', { schedule: 'rate(1 hours)' }, 'schedule: "rate(1 hours)"'],
    ['a singular rate of two', { schedule: 'rate(2 day)' }, 'schedule: "rate(2 day)"'],
    ['a rate in weeks', { schedule: 'rate(1 week)' }, 'schedule: "rate(1 week)"'],
    ['a monthly scan', { schedule: 'cron(0 6 L * ? *)' }, 'schedule: "cron(0 6 L * ? *)" leaves up to'],
    ['an address without a domain', { notifyEmails: 'ops@' }, 'notifyEmails: "ops@"'],
    ['a bad address among good ones', { notifyEmails: 'a@example.com,not-an-email' }, 'not-an-email'],
    ['an unknown severity', { notifyEmails: 'ops@example.com:urgent' }, '"urgent"'],
    ['an empty severity filter', { notifyEmails: 'ops@example.com:' }, 'notifyEmails: "ops@example.com:"'],
    ['a severity twice', { notifyEmails: 'ops@example.com:critical+critical' }, '"critical+critical"'],
    ['an address twice', { notifyEmails: 'ops@example.com,OPS@example.com:critical' }, 'twice'],
    ['a trailing comma', { notifyEmails: 'ops@example.com,' }, 'notifyEmails: "ops@example.com,"'],
    [
      'a secret name with a space',
      { slackWebhookSecretName: 'my hook' },
      'slackWebhookSecretName: "my hook"',
    ],
    ['an empty API key secret name', { digicertApiKeySecretName: '' }, 'digicertApiKeySecretName: ""'],
    ['a yes for a boolean', { digicertApiKeySecretExists: 'yes' }, 'digicertApiKeySecretExists: "yes"'],
    ['a base URL that is not a URL', { digicertBaseUrl: 'digicert' }, 'digicertBaseUrl: "digicert"'],
    ['a fractional look-back', { expiredLookbackDays: 1.5 }, 'expiredLookbackDays: "1.5"'],
    ['a negative digest threshold', { digestThreshold: '-1' }, 'digestThreshold: "-1"'],
    ['a lifetime fraction of 0', { thresholdLifetimeFraction: 0 }, 'thresholdLifetimeFraction: "0"'],
    [
      'a lifetime fraction above 1',
      { thresholdLifetimeFraction: '1.01' },
      'thresholdLifetimeFraction: "1.01"',
    ],
    ['an automation lead in weeks', { automationLeadDays: '4w' }, 'automationLeadDays: "4w"'],
    ['a yes for following CertCentral', { followCertCentralNotificationSetting: 'yes' }, '"yes"'],
    ['a product twice', { excludeProducts: ['a', 'a'] }, 'excludeProducts: "a,a" has a more than once'],
    ['a refresh of 0 days', { duplicatesRefreshDays: 0 }, 'duplicatesRefreshDays: "0"'],
    ['a queue ARN for the ops topic', { opsTopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'opsTopicArn'],
    ['a FIFO ops topic', { opsTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops.fifo' }, 'ops.fifo'],
    ['one alert worker', { alertWorkerConcurrency: 1 }, 'alertWorkerConcurrency: "1"'],
    [
      'more workers than the rate limit allows',
      { alertWorkerConcurrency: '73' },
      'alertWorkerConcurrency: "73"',
    ],
    ['a retention CloudWatch does not offer', { logRetentionDays: 45 }, 'logRetentionDays: "45"'],
    ['an object for a list', { thresholds: { days: 30 } }, 'thresholds: {"days":30}'],
  ])('refuses %s, naming the key and the value', (_case, context, named) => {
    const error = refused(context);
    expect(error.setting).toBe(Object.keys(context)[0]);
    expect(error.message).toContain(named);
  });
});

describe('parseStackName', () => {
  it('defaults to ExpiryAlerts and takes another valid name', () => {
    expect(parseStackName(undefined)).toBe('ExpiryAlerts');
    expect(parseStackName('ExpiryAlerts-Staging')).toBe('ExpiryAlerts-Staging');
  });

  it('refuses a name CloudFormation would refuse', () => {
    expect(() => parseStackName('expiry_alerts')).toThrow('stackName: "expiry_alerts"');
    expect(() => parseStackName('1alerts')).toThrow(ConfigError);
  });
});
