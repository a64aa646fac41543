import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/config.ts';
import { parseStackConfig } from '../../infra/config.ts';
import { BAND_METRICS, SENT_METRICS } from '../../infra/dashboard.ts';
import { removeSynthOutputs, type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize({
    Defaults: {},
    Off: { summarySchedule: 'off' },
    Custom: {
      summarySchedule: 'cron(30 8 ? * FRI *)',
      summaryWithinDays: '45',
      slackWebhookSecretName: 'team/slack',
    },
  });
}, 300_000);
afterAll(removeSynthOutputs);

const template = (id: string): Template => {
  const found = synthesized.templates[id];
  if (!found) throw new Error(`no ${id} template`);
  return found;
};

const resources = (stack: Template, type: string): [string, Resource][] =>
  Object.entries(stack.findResources(type)) as [string, Resource][];

const summaryFunctions = (stack: Template) =>
  resources(stack, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('SummarySenderFunction'));

function summaryEnvironment(stack: Template): Record<string, unknown> {
  const [entry] = summaryFunctions(stack);
  if (!entry) throw new Error('no summary function');
  return (entry[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

function summaryRule(stack: Template): Resource | undefined {
  return resources(stack, 'AWS::Events::Rule').find(([id]) => id.startsWith('SummarySchedule'))?.[1];
}

/** Every action the summary role's policies allow, with the resource each one is on. */
function summaryGrants(stack: Template): string[] {
  return resources(stack, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith('SummarySenderRole')),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => {
      const on = JSON.stringify(statement.Resource);
      const target = /State[0-9A-F]{8}/.test(on)
        ? 'state'
        : /TopicsAlerts/.test(on)
          ? 'alert topic'
          : /TopicsKey/.test(on)
            ? 'topic key'
            : /ApiKey/.test(on)
              ? 'api key'
              : /SummarySenderLogs/.test(on)
                ? 'own logs'
                : on === '"*"'
                  ? '*'
                  : on;
      return [statement.Action].flat().map((action) => `${action} on ${target}`);
    })
    .sort();
}

describe('the weekly summary', () => {
  it('runs on Mondays at 07:00 UTC by default, one at a time, with a dead-letter queue for missed runs', () => {
    const stack = template('Defaults');
    expect(summaryRule(stack)?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 7 ? * MON *)',
      State: 'ENABLED',
    });
    const [[, fn] = []] = summaryFunctions(stack);
    expect(fn?.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 900 });
    expect(summaryEnvironment(stack)).toMatchObject({
      SUMMARY_WITHIN_DAYS: '30',
      CERTCENTRAL_REQUESTS_PER_5S: '5',
      CERTCENTRAL_REQUESTS_PER_3MIN: '50',
      // Its request budget fits its 15 minutes, and it stops at the report row cap, as the scan does.
      CERTCENTRAL_ATTEMPT_TIMEOUT_SECONDS: '30',
      CERTCENTRAL_RETRY_BUDGET_SECONDS: '240',
      MAX_REPORT_ROWS: '10000000',
      // The routes' filters, so that each route gets its own summary.
      ROUTES: expect.any(String),
      THRESHOLDS: '90,60,30,14,7,3,1',
      EXPIRED_LOOKBACK_DAYS: '30',
    });
    expect(JSON.stringify(stack.toJSON().Outputs)).toContain('SummaryFunctionName');
    expect(
      resources(stack, 'AWS::CloudWatch::Alarm').some(([id]) =>
        id.startsWith('OperationsSummaryScheduleDeadLetters'),
      ),
    ).toBe(true);
  });

  it('reads the state and the API key and publishes to the alert topic: nothing else', () => {
    expect(summaryGrants(template('Defaults'))).toEqual([
      'dynamodb:BatchGetItem on state',
      'dynamodb:ConditionCheckItem on state',
      'dynamodb:DescribeTable on state',
      'dynamodb:GetItem on state',
      'dynamodb:GetRecords on state',
      'dynamodb:GetShardIterator on state',
      'dynamodb:Query on state',
      'dynamodb:Scan on state',
      'kms:Decrypt on topic key',
      'kms:GenerateDataKey* on topic key',
      'logs:CreateLogStream on own logs',
      'logs:PutLogEvents on own logs',
      'secretsmanager:DescribeSecret on api key',
      'secretsmanager:GetSecretValue on api key',
      'sns:Publish on alert topic',
      'xray:PutTelemetryRecords on *',
      'xray:PutTraceSegments on *',
    ]);
  });

  it('follows summarySchedule and summaryWithinDays, and is not built with summarySchedule=off', () => {
    expect(summaryRule(template('Custom'))?.Properties.ScheduleExpression).toBe('cron(30 8 ? * FRI *)');
    expect(summaryEnvironment(template('Custom')).SUMMARY_WITHIN_DAYS).toBe('45');
    expect(summaryFunctions(template('Off'))).toEqual([]);
    expect(summaryRule(template('Off'))).toBeUndefined();
  });

  it.each([
    [{ summarySchedule: 'weekly' }, 'summarySchedule: "weekly" is not an EventBridge schedule'],
    [
      { summarySchedule: 'cron(0 7 * * MON *)' },
      'summarySchedule: "cron(0 7 * * MON *)" must have ? in exactly one',
    ],
    [{ summaryWithinDays: '0' }, 'summaryWithinDays: "0" is not a whole number from 1 to 365'],
    [{ summaryWithinDays: 'a month' }, 'summaryWithinDays: "a month" is not a whole number from 1 to 365'],
  ])('refuses %j naming the key and the value', (context, message) => {
    const parse = () => parseStackConfig((key) => (context as Record<string, unknown>)[key]);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(synthesized.nagFindings).toEqual([]);
  });
});

describe('the dashboard', () => {
  function widgets(stack: Template): { title: string; body: string }[] {
    const [[, dashboard] = []] = resources(stack, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    // The body is a Fn::Join of JSON pieces and references: split per widget on their titles.
    return [...body.matchAll(/\\"title\\":\\"([^\\]+)\\"/g)].map((match, index, all) => ({
      title: match[1] ?? '',
      body: body.slice(match.index, all[index + 1]?.index ?? body.length),
    }));
  }

  it('pictures the certificates by band, what was sent, muted, the scan, CertCentral and the queues', () => {
    const shown = widgets(template('Custom'));
    expect(shown.map((widget) => widget.title)).toEqual([
      'Certificates by days left (each scan)',
      'Certificates at the last scan',
      'Sent by type (per day)',
      'Muted certificates',
      'Scan duration',
      'CertCentral calls and 429s',
      'Work queue: oldest candidate',
      'Dead letters',
    ]);
    const body = (title: string) => shown.find((widget) => widget.title === title)?.body ?? '';
    for (const metric of Object.keys(BAND_METRICS))
      expect(body('Certificates by days left (each scan)')).toContain(metric);
    for (const metric of Object.keys(SENT_METRICS)) expect(body('Sent by type (per day)')).toContain(metric);
    expect(body('Muted certificates')).toContain('CertificatesMuted');
    expect(body('Scan duration')).toContain('Duration');
    expect(body('Scan duration')).toContain('ScanScannerFunction');
    expect(body('CertCentral calls and 429s')).toMatch(/CertCentralCalls.*CertCentralThrottled/);
    expect(body('Work queue: oldest candidate')).toContain('ApproximateAgeOfOldestMessage');
    for (const queue of [
      'Work',
      'ScanSchedule',
      'DigestSchedule',
      'SummarySchedule',
      'SlackFailedDeliveries',
      'SlackUndelivered',
    ]) {
      expect(body('Dead letters')).toContain(`\\"label\\":\\"${queue}\\"`);
    }
  });

  it('is one per stack, with its name as an output', () => {
    for (const id of ['Defaults', 'Off', 'Custom']) {
      expect(resources(template(id), 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
      expect(JSON.stringify(template(id).toJSON().Outputs)).toContain('DashboardName');
    }
  });
});
