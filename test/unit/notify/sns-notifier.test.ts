import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config.ts';
import type { AlertDigest } from '../../../functions/core/model.ts';
import { alertText } from '../../../functions/notify/alert-text.ts';
import { SnsNotifier } from '../../../functions/notify/sns-notifier.ts';
import { digestOf, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic';
const SNS_LIMIT_BYTES = 262_144;

const sns = mockClient(SNSClient);

function published(): PublishCommandInput[] {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function onlyPublished(): PublishCommandInput {
  const inputs = published();
  expect(inputs).toHaveLength(1);
  return inputs[0] as PublishCommandInput;
}

function bodies(input: PublishCommandInput): Record<string, string> {
  expect(input.MessageStructure).toBe('json');
  return JSON.parse(input.Message ?? '') as Record<string, string>;
}

describe('SnsNotifier', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('sends machines the exact event and email a readable text', async () => {
    const event = loadEvent('expiring-warning');

    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).send(event, 'individual');

    const input = onlyPublished();
    const message = bodies(input);
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(JSON.parse(message.default ?? '')).toEqual(event);
    expect(message.email).toBe(alertText(event));
    expect(Object.keys(message).sort()).toEqual(['default', 'email']);
    expect(input.Subject).toBe('example.com expires in 5 days (order 123456)');
  });

  it('gives SNS an ASCII subject for a Unicode name, while the email body and the JSON keep the real name', async () => {
    const notifier = new SnsNotifier(new SNSClient({}), TOPIC_ARN);
    const event = { ...loadEvent('expiring-warning'), commonName: 'bücher.example.de' };

    await notifier.send(event, 'individual');
    await notifier.sendDigest(digestOf([{ ...event, commonName: '証明書.例え.jp' }]));

    const [alert, digest] = published();
    expect(alert?.Subject).toBe('bucher.example.de expires in 5 days (order 123456)');
    const message = bodies(alert as PublishCommandInput);
    expect(message.email).toContain('bücher.example.de expires in 5 days');
    expect(JSON.parse(message.default ?? '')).toEqual(event);
    expect(digest?.Subject).toMatch(/^[ -~]{1,99}$/);
    expect(bodies(digest as PublishCommandInput).email).toContain('証明書.例え.jp');
  });

  it('carries the attributes subscriptions filter on, with their types', async () => {
    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).send(loadEvent('expiring-warning'), 'individual');

    const attributes = onlyPublished().MessageAttributes ?? {};
    expect(attributes).toEqual({
      type: { DataType: 'String', StringValue: 'certificate.expiring' },
      severity: { DataType: 'String', StringValue: 'warning' },
      container: { DataType: 'String', StringValue: 'History Department' },
      organization: { DataType: 'String', StringValue: 'Real Organization' },
      product: { DataType: 'String', StringValue: 'ssl_plus' },
      productType: { DataType: 'String', StringValue: 'ssl_certificate' },
      products: { DataType: 'String.Array', StringValue: '["ssl_plus","ssl_certificate"]' },
      threshold: { DataType: 'Number', StringValue: '7' },
      delivery: { DataType: 'String', StringValue: 'individual' },
      route: { DataType: 'String', StringValue: '*' },
    });
    // SQS subscriptions with raw message delivery drop messages of more than 10 attributes.
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10);
  });

  it('addresses a digested event to no route, and a test alert to the route it is for', async () => {
    const notifier = new SnsNotifier(new SNSClient({}), TOPIC_ARN);

    await notifier.send(loadEvent('expiring-warning'), 'digested');
    await notifier.sendToRoute({ ...loadEvent('expiring-warning'), test: true }, 'web');

    const [digested, test] = published();
    expect(digested?.MessageAttributes?.route).toBeUndefined();
    expect(test?.MessageAttributes?.route).toEqual({ DataType: 'String', StringValue: 'web' });
    expect(test?.MessageAttributes?.delivery).toEqual({ DataType: 'String', StringValue: 'individual' });
    expect(test?.Subject).toBe('[test] example.com expires in 5 days (order 123456)');
  });

  it('omits the threshold when there is none and never sends an empty attribute', async () => {
    const notifier = new SnsNotifier(new SNSClient({}), TOPIC_ARN);

    await notifier.send(loadEvent('expired'), 'digested');
    await notifier.send(loadEvent('expiring-tomorrow-subaccount'), 'individual');

    const [expired, subaccount] = published();
    expect(expired?.MessageAttributes?.threshold).toBeUndefined();
    expect(expired?.MessageAttributes?.delivery).toEqual({ DataType: 'String', StringValue: 'digested' });
    expect(subaccount?.MessageAttributes?.container).toEqual({ DataType: 'String', StringValue: '(none)' });
  });

  it('publishes a digest as one message, attributed as a digest with its worst severity', async () => {
    const digest = digestOf([loadEvent('expiring-warning'), loadEvent('expired'), loadEvent('renewed')]);

    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).sendDigest(digest);

    const input = onlyPublished();
    const message = bodies(input);
    expect(input.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'digest' },
      severity: { DataType: 'String', StringValue: 'critical' },
      delivery: { DataType: 'String', StringValue: 'digest' },
    });
    expect(input.MessageAttributes?.route).toBeUndefined();
    expect(input.Subject).toBe('Certificate expiry digest: 3 alerts (1 critical, 1 warning, 1 info)');
    const sent = JSON.parse(message.default ?? '') as AlertDigest;
    expect(sent.total).toBe(3);
    expect(sent.alerts.map((alert) => alert.orderId).sort((a, b) => a - b)).toEqual([1, 98765, 123456]);
    expect(message.email).toContain('- legacy.example.org: expired 3 days ago');
  });

  it("addresses a route's digest to the route, and says whose it is", async () => {
    const digest = { ...digestOf([loadEvent('expiring-warning')]), route: 'web-team' };

    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).sendDigest(digest);

    const input = onlyPublished();
    expect(input.MessageAttributes?.route).toEqual({ DataType: 'String', StringValue: 'web-team' });
    expect(input.Subject).toBe(
      'Certificate expiry digest for web-team: 1 alerts (0 critical, 1 warning, 0 info)',
    );
    expect(bodies(input).email).toContain('1 certificate alerts for the route web-team from the scan at');
  });

  it('keeps a digest over 256 KB within the limit and says how many more there are', async () => {
    const alerts = manyAlerts(1500);
    const digest = digestOf(alerts);
    expect(Buffer.byteLength(JSON.stringify(digest))).toBeGreaterThan(SNS_LIMIT_BYTES);

    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).sendDigest(digest);

    const input = onlyPublished();
    expect(
      Buffer.byteLength(input.Message ?? '') + Buffer.byteLength(input.Subject ?? ''),
    ).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    const message = bodies(input);
    const sent = JSON.parse(message.default ?? '') as AlertDigest;
    const listed = sent.alerts.length;
    expect(listed).toBeGreaterThan(50);
    expect(listed).toBeLessThan(1500);
    expect(sent.total).toBe(1500);
    expect(message.email).toContain(`… and ${1500 - listed} more`);
    expect(message.email?.match(/^- host-/gm)).toHaveLength(listed);
    const sentIds = new Set(sent.alerts.map((alert) => alert.orderId));
    const left = alerts.filter((alert) => !sentIds.has(alert.orderId));
    expect(Math.max(...sent.alerts.map((alert) => alert.daysRemaining))).toBeLessThanOrEqual(
      Math.min(...left.map((alert) => alert.daysRemaining)),
    );
  });

  it('refuses a topic ARN that is not one, naming the setting', () => {
    expect(() => new SnsNotifier(new SNSClient({}), 'expiry-alerts-topic')).toThrow(ConfigError);
    expect(() => new SnsNotifier(new SNSClient({}), 'expiry-alerts-topic')).toThrow(/snsTopicArn/);
  });
});
