import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler, sendTestAlerts } from '../../../functions/handlers/test-alert-handler.ts';
import { EventBridgeNotifier } from '../../../functions/notify/eventbridge-notifier.ts';
import { SnsNotifier } from '../../../functions/notify/sns-notifier.ts';
import { readTestAlertEnvironment } from '../../../functions/runtime/environment.ts';
import { lambdaContext } from '../../integration/handlers/support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-test-alert';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic';
const sns = mockClient(SNSClient);
const bus = mockClient(EventBridgeClient);
const now = () => new Date('2026-11-23T09:30:00Z');

beforeEach(() => {
  sns.reset();
  bus.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
});

const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

function deps(variables: Record<string, string>, withBus = false) {
  const env = readTestAlertEnvironment({ TOPIC_ARN, ...variables });
  return {
    env,
    sns: new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN),
    bus: withBus
      ? new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates')
      : null,
    clock: now,
  };
}

describe("the stack's test function", () => {
  it('sends every route one marked sample addressed to it, shaped like its alerts, and one to the bus', async () => {
    const routes = JSON.stringify([
      { name: 'web', containers: ['Web Team'] },
      { name: 'oncall', severities: ['critical'] },
    ]);

    const result = await makeHandler(deps({ ROUTES: routes, EVENT_BUS_NAME: 'certificates' }, true))(
      {},
      lambdaContext('expiry-alerts-test-alert'),
    );

    expect(result).toEqual({
      routes: ['web', 'oncall'],
      eventBus: true,
      subject: '[test] test-alert.example.com',
    });
    const [web, oncall] = published();
    expect(web?.MessageAttributes?.route?.StringValue).toBe('web');
    expect(web?.MessageAttributes?.container?.StringValue).toBe('Web Team');
    expect(web?.Subject).toBe('[test] test-alert.example.com expires in 7 days (order 123456)');
    expect(oncall?.MessageAttributes?.route?.StringValue).toBe('oncall');
    expect(oncall?.MessageAttributes?.severity?.StringValue).toBe('critical');
    const [put] = bus.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.[0]);
    expect(JSON.parse(put?.Detail ?? '{}')).toMatchObject({ test: true, scannedAt: '2026-11-23T09:30:00Z' });
  });

  it('sends one sample for unfiltered subscribers when the stack has no route', async () => {
    const result = await sendTestAlerts(deps({}));

    expect(result.routes).toEqual(['*']);
    expect(published().map((input) => input.MessageAttributes?.route?.StringValue)).toEqual(['*']);
    expect(bus.commandCalls(PutEventsCommand)).toEqual([]);
  });
});
