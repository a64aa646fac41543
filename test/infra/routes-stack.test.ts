/**
 * Routes in the synthesized stack: each route's subscriptions carry its filter policy, each Slack route has its
 * own notifier reading only its own secret, and the policies SNS would apply let through exactly what the real
 * publisher sends each route: its alerts, its digest, its test alert, and the renewed notice of a certificate it
 * was warned about.
 */
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import type { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announce, type CandidateMessage } from '../../functions/core/announce.ts';
import { CandidateCollector } from '../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../functions/core/config.ts';
import { US_CONSOLE_URL } from '../../functions/core/console-links.ts';
import type { NotificationEvent } from '../../functions/core/model.ts';
import { sampleEvent } from '../../functions/core/sample-event.ts';
import { SnsNotifier } from '../../functions/notify/sns-notifier.ts';
import { MemoryDigestLedger } from '../../functions/state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../../functions/state/memory-state-store.ts';
import { digestOf, loadEvent } from '../fixtures/events/load.ts';
import { dayPlus, orderDetail, reportOrder, scanAt } from '../support/factories.ts';
import { FakeDetails } from '../support/fakes.ts';
import { filterPolicyAccepts } from '../support/sns-filter-policy.ts';
import { removeSynthOutputs, type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic';

const ROUTES = [
  {
    name: 'web',
    emails: ['web@example.com', 'web-lead@example.com'],
    slackWebhookSecretName: 'expiry-alerts/slack-web',
    containers: ['Web Team'],
    products: ['ssl_plus', 'wildcard_certificate'],
    severities: ['warning', 'critical'],
  },
  {
    name: 'payments',
    emails: ['payments@example.com'],
    containers: ['Payments'],
    severities: ['critical'],
  },
  { name: 'audit', slackWebhookSecretName: 'expiry-alerts/slack-audit', organizations: ['Acme Ltd'] },
];

let routed: Synthesized;
let template: Template;

beforeAll(() => {
  routed = synthesize({
    ExpiryAlerts: {
      routes: JSON.stringify(ROUTES),
      notifyEmails: 'ops@example.com',
      eventBusName: 'certificates',
    },
  });
  const synthesized = routed.templates.ExpiryAlerts;
  if (!synthesized) throw new Error('no ExpiryAlerts template');
  template = synthesized;
});
afterAll(removeSynthOutputs);

function resources(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

function emailPolicy(address: string): unknown {
  const found = resources('AWS::SNS::Subscription').filter(
    ([, subscription]) =>
      subscription.Properties.Endpoint === address &&
      JSON.stringify(subscription.Properties.TopicArn).includes('"TopicsAlerts'),
  );
  expect(found, address).toHaveLength(1);
  return found[0]?.[1].Properties.FilterPolicy;
}

/** The filter policy of the Slack notifier subscription whose function's id starts with `functionPrefix`. */
function slackPolicy(functionPrefix: string): unknown {
  const found = resources('AWS::SNS::Subscription').filter(
    ([, subscription]) =>
      subscription.Properties.Protocol === 'lambda' &&
      JSON.stringify(subscription.Properties.Endpoint).includes(`"${functionPrefix}`),
  );
  expect(found, functionPrefix).toHaveLength(1);
  return found[0]?.[1].Properties.FilterPolicy;
}

function environmentOf(functionPrefix: string): Record<string, unknown> {
  const [fn] = resources('AWS::Lambda::Function').filter(([id]) => id.startsWith(functionPrefix));
  if (!fn) throw new Error(`no function ${functionPrefix}`);
  return (fn[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function statementsOf(rolePrefix: string): Statement[] {
  return resources('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)),
    )
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
});
const published = (): PublishCommandInput[] =>
  sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
const notifier = () => new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN);

/** The attributes the real publisher gives this event (individual, digested) or digest. */
async function attributesOf(send: (sns: SnsNotifier) => Promise<void>) {
  const before = published().length;
  await send(notifier());
  const input = published()[before];
  if (!input) throw new Error('nothing published');
  return input.MessageAttributes;
}

const event = (overrides: Partial<NotificationEvent>): NotificationEvent => ({
  ...loadEvent('expiring-warning'),
  ...overrides,
});

describe('routes in the stack', () => {
  it('leave no cdk-nag finding unacknowledged', () => {
    expect(routed.nagFindings).toEqual([]);
  });

  it('give two routes with different containers and severities each its own filter policy, on each of its subscriptions', () => {
    const web = {
      $or: [
        {
          route: ['*'],
          container: ['Web Team'],
          products: ['ssl_plus', 'wildcard_certificate'],
          severity: ['warning', 'critical'],
        },
        { route: ['web'] },
      ],
    };
    expect(emailPolicy('web@example.com')).toEqual(web);
    expect(emailPolicy('web-lead@example.com')).toEqual(web);
    expect(slackPolicy('SlackWebNotifier')).toEqual(web);
    expect(emailPolicy('payments@example.com')).toEqual({
      $or: [{ route: ['*'], container: ['Payments'], severity: ['critical'] }, { route: ['payments'] }],
    });
    expect(slackPolicy('SlackAuditNotifier')).toEqual({
      $or: [{ route: ['*'], organization: ['Acme Ltd'] }, { route: ['audit'] }],
    });
    expect(emailPolicy('ops@example.com')).toEqual({ route: ['*', 'default'] });
  });

  it('route alerts by container, severity, organization and product (name id or type), as SNS would', async () => {
    const webWarning = await attributesOf((n) => n.send(event({ container: 'Web Team' }), 'individual'));
    const webInfo = await attributesOf((n) =>
      n.send(event({ container: 'Web Team', severity: 'info' }), 'individual'),
    );
    const webWildcard = await attributesOf((n) =>
      n.send(
        event({
          container: 'Web Team',
          product: { nameId: 'ssl_wildcard', name: 'Wildcard SSL', type: 'wildcard_certificate' },
        }),
        'individual',
      ),
    );
    const paymentsCritical = await attributesOf((n) =>
      n.send(event({ container: 'Payments', severity: 'critical', organization: 'Acme Ltd' }), 'individual'),
    );
    const digested = await attributesOf((n) => n.send(event({ container: 'Web Team' }), 'digested'));

    const web = emailPolicy('web@example.com');
    const payments = emailPolicy('payments@example.com');
    const audit = slackPolicy('SlackAuditNotifier');
    const everything = emailPolicy('ops@example.com');
    expect(
      [webWarning, webInfo, webWildcard, paymentsCritical, digested].map((a) => filterPolicyAccepts(web, a)),
    ).toEqual([true, false, true, false, false]);
    expect([webWarning, paymentsCritical].map((a) => filterPolicyAccepts(payments, a))).toEqual([
      false,
      true,
    ]);
    expect([webWarning, paymentsCritical].map((a) => filterPolicyAccepts(audit, a))).toEqual([false, true]);
    expect([webWarning, digested].map((a) => filterPolicyAccepts(everything, a))).toEqual([true, false]);
  });

  it("let each route's digest and test alert through to that route only", async () => {
    const webDigest = await attributesOf((n) => n.sendDigest({ ...digestOf([event({})]), route: 'web' }));
    const paymentsTest = await attributesOf((n) =>
      n.sendToRoute(sampleEvent({ now: scanAt(), consoleUrl: US_CONSOLE_URL, route: null }), 'payments'),
    );

    const policies = {
      web: emailPolicy('web@example.com'),
      payments: emailPolicy('payments@example.com'),
      audit: slackPolicy('SlackAuditNotifier'),
      default: emailPolicy('ops@example.com'),
    };
    const receivers = (attributes: typeof webDigest) =>
      Object.entries(policies)
        .filter(([, policy]) => filterPolicyAccepts(policy, attributes))
        .map(([name]) => name);
    expect(receivers(webDigest)).toEqual(['web']);
    expect(receivers(paymentsTest)).toEqual(['payments']);
  });

  it('let the renewed notice of a certificate whose last alert was critical through a critical-only route', async () => {
    const state = new MemoryStateStore();
    const details = new FakeDetails();
    const deps = {
      details,
      state,
      notifier: notifier(),
      clock: () => scanAt(),
      policy: DEFAULT_POLICY,
      digests: new MemoryDigestLedger(),
      consoleUrl: US_CONSOLE_URL,
    };
    const expiring = reportOrder({ orderId: 7, validTill: dayPlus(2), containerName: 'Payments' });
    details.orders.set(7, orderDetail(expiring));
    const alert: CandidateMessage = {
      candidate: {
        kind: 'alert',
        order: expiring,
        due: [{ certKey: 'order#7', level: 3, daysRemaining: 2 }],
        renewal: null,
        rememberedPlan: null,
        announced: [],
      },
      scannedAt: scanAt().toISOString(),
      delivery: 'individual',
    };
    await announce(alert, deps);
    // The next day the order's certificate was reissued with a later valid_till: the scan decides a renewed notice.
    const nextDay = scanAt(dayPlus(1));
    const collector = new CandidateCollector(DEFAULT_POLICY, nextDay, await state.loadAll());
    collector.add(reportOrder({ orderId: 7, validTill: dayPlus(365), containerName: 'Payments' }));
    const [renewed] = collector.finish();
    if (renewed?.kind !== 'renewed') throw new Error(`expected a renewed candidate, got ${renewed?.kind}`);
    await announce({ candidate: renewed, scannedAt: nextDay.toISOString(), delivery: 'individual' }, deps);

    const [critical, notice] = published();
    expect(notice?.Subject).toBe('site7.example.com was renewed (order 7)');
    const payments = emailPolicy('payments@example.com');
    expect(filterPolicyAccepts(payments, critical?.MessageAttributes)).toBe(true);
    expect(filterPolicyAccepts(payments, notice?.MessageAttributes)).toBe(true);
    // As an info notice (its severity before routes) it would never have reached the route.
    const asInfo = { ...notice?.MessageAttributes, severity: { DataType: 'String', StringValue: 'info' } };
    expect(filterPolicyAccepts(payments, asInfo)).toBe(false);
  });

  it('give each Slack route a notifier that reads only its own webhook secret', () => {
    const reads = (rolePrefix: string) =>
      statementsOf(rolePrefix)
        .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue'))
        .map((statement) => JSON.stringify(statement.Resource));
    const web = reads('SlackWebNotifierRole');
    const audit = reads('SlackAuditNotifierRole');
    expect(web).toHaveLength(1);
    expect(web[0]).toContain(':secret:expiry-alerts/slack-web-');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toContain(':secret:expiry-alerts/slack-audit-');
    expect(JSON.stringify(environmentOf('SlackWebNotifier').SLACK_WEBHOOK_SECRET_ARN)).toContain(
      ':secret:expiry-alerts/slack-web',
    );
    expect(resources('AWS::Lambda::Function').filter(([id]) => id.startsWith('Slack'))).toHaveLength(2);
  });

  it("hand the digest and test functions every route's name and filters, and no address or secret", () => {
    for (const fn of ['DigestSender', 'TestAlertSender']) {
      const routes = JSON.parse(environmentOf(fn).ROUTES as string) as unknown[];
      expect(routes, fn).toEqual([
        { name: 'default' },
        {
          name: 'web',
          containers: ['Web Team'],
          products: ['ssl_plus', 'wildcard_certificate'],
          severities: ['warning', 'critical'],
        },
        { name: 'payments', containers: ['Payments'], severities: ['critical'] },
        { name: 'audit', organizations: ['Acme Ltd'] },
      ]);
      expect(environmentOf(fn).ROUTES).not.toMatch(/@|slack/);
    }
  });

  it('put every alert on the EventBridge bus from the alert and test functions, and let nothing else put there', () => {
    for (const fn of ['AlertsWorker', 'TestAlertSender']) {
      expect(environmentOf(fn).EVENT_BUS_NAME, fn).toBe('certificates');
      const puts = statementsOf(`${fn}Role`).filter((statement) => statement.Action === 'events:PutEvents');
      expect(puts, fn).toHaveLength(1);
      expect(JSON.stringify(puts[0]?.Resource)).toContain(':event-bus/certificates');
    }
    for (const role of ['ScanScannerRole', 'DigestSenderRole']) {
      expect(JSON.stringify(statementsOf(role))).not.toContain('events:PutEvents');
    }
  });

  it('alarm when the bus refuses alerts that reached people', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties.MetricName === 'EventBusPutsFailed',
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.[1].Properties).toMatchObject({
      Namespace: 'ExpiryAlerts',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});
