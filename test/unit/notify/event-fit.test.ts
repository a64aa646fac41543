import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertDigest, NotificationEvent } from '../../../functions/core/model.ts';
import { type DeliveredEvent, fitEvent, TEXT_CUT_LENGTH } from '../../../functions/notify/event-fit.ts';
import { parseSnsAlertMessage } from '../../../functions/notify/event-schema.ts';
import { slackMessage } from '../../../functions/notify/slack-message.ts';
import { SnsNotifier } from '../../../functions/notify/sns-notifier.ts';
import { digestOf, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:expiry-alerts-AlertTopic';
/** SNS: message, subject and message attributes together at most 256 KB. */
const SNS_LIMIT_BYTES = 256 * 1024;

const sns = mockClient(SNSClient);

/** The bytes of a publish as SNS counts them: message, subject, and each attribute's name, type and value. */
function publishBytes(input: PublishCommandInput): number {
  const attributes = Object.entries(input.MessageAttributes ?? {}).map(
    ([name, value]) => name + (value.DataType ?? '') + (value.StringValue ?? ''),
  );
  return Buffer.byteLength((input.Message ?? '') + (input.Subject ?? '') + attributes.join(''));
}

async function publish(
  event: NotificationEvent,
): Promise<{ input: PublishCommandInput; sent: DeliveredEvent; email: string }> {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  await new SnsNotifier(new SNSClient({}), TOPIC_ARN).send(event, 'individual');
  const calls = sns.commandCalls(PublishCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input as PublishCommandInput;
  const bodies = JSON.parse(input.Message ?? '') as { default: string; email: string };
  return { input, sent: JSON.parse(bodies.default) as DeliveredEvent, email: bodies.email };
}

const sans = (
  count: number,
  name = (index: number) => `san-${index}.a-rather-long-subdomain.of-a-department.example.com`,
) => Array.from({ length: count }, (_, index) => name(index));

describe('fitting one event into an SNS publish', () => {
  beforeEach(() => sns.reset());

  it('sends an event that fits as it is, with no truncated field', async () => {
    const event = loadEvent('expiring-warning');

    const { input, sent } = await publish(event);

    expect(sent).toEqual(event);
    expect(sent).not.toHaveProperty('truncated');
    expect(publishBytes(input)).toBeLessThan(SNS_LIMIT_BYTES);
  });

  it('cuts 5,000 SANs to the first ones that fit, says so in the event, and keeps everything else', async () => {
    const event = { ...loadEvent('expiring-warning'), dnsNames: sans(5000) };
    expect(Buffer.byteLength(JSON.stringify(event))).toBeGreaterThan(SNS_LIMIT_BYTES);

    const { input, sent, email } = await publish(event);

    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(publishBytes(input)).toBeGreaterThan(SNS_LIMIT_BYTES - 1024);
    expect(sent.truncated).toEqual({ dnsNames: { originalCount: 5000 } });
    expect(sent.dnsNames.length).toBeGreaterThan(1000);
    expect(sent.dnsNames).toEqual(event.dnsNames.slice(0, sent.dnsNames.length));
    const { dnsNames: _cut, truncated: _note, ...rest } = sent;
    const { dnsNames: _all, ...expectedRest } = event;
    expect(rest).toEqual(expectedRest);
    expect(email).toContain(`… and ${5000 - sent.dnsNames.length} more`);
    expect(email).toContain("This message was cut to fit the channel's size limit: dnsNames (5000 in all).");
    expect(input.MessageAttributes?.severity?.StringValue).toBe('warning');
  });

  it('counts bytes, not characters: 5,000 SANs of Japanese names fit too', async () => {
    const event = { ...loadEvent('expired'), dnsNames: sans(5000, (index) => `証明書-${index}.例え.日本`) };

    const { input, sent } = await publish(event);

    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(sent.truncated?.dnsNames).toEqual({ originalCount: 5000 });
  });

  it('cuts a huge organization field to 1,024 characters when dropping SANs is not enough, and keeps the SANs', async () => {
    const event = { ...loadEvent('expiring-warning'), organization: 'Ö'.repeat(300_000) };

    const { input, sent, email } = await publish(event);

    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(sent.truncated).toEqual({ organization: { originalLength: 300_000 } });
    expect(sent.organization).toHaveLength(TEXT_CUT_LENGTH);
    expect(sent.organization).toBe(`${'Ö'.repeat(TEXT_CUT_LENGTH - 1)}…`);
    expect(sent.dnsNames).toEqual(event.dnsNames);
    expect(email).toContain('organization (300000 characters)');
  });

  it('cuts every huge text and then the SANs that still do not fit', async () => {
    const huge = 'x'.repeat(200_000);
    const event: NotificationEvent = {
      ...loadEvent('expiring-tomorrow-subaccount'),
      commonName: `${huge}.example.com`,
      organization: huge,
      container: huge,
      product: { nameId: 'ssl_plus', name: huge, type: 'ssl_certificate' },
      dnsNames: sans(20_000),
    };

    const { input, sent } = await publish(event);

    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(sent.truncated).toMatchObject({
      commonName: { originalLength: 200_012 },
      organization: { originalLength: 200_000 },
      container: { originalLength: 200_000 },
      'product.name': { originalLength: 200_000 },
      dnsNames: { originalCount: 20_000 },
    });
    expect(sent.dnsNames.length).toBeGreaterThan(0);
    expect(input.Subject?.length).toBeLessThan(100);
  });

  it('cuts the contacts last, when nothing else is left to cut', async () => {
    const contacts = Array.from({ length: 3000 }, (_, index) => ({
      role: 'technical' as const,
      name: `Contact ${index} ${'n'.repeat(60)}`,
      email: `contact-${index}@example.com`,
    }));
    const event = { ...loadEvent('expiring-warning'), contacts, dnsNames: sans(100) };

    const { input, sent, email } = await publish(event);

    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    expect(sent.truncated?.contacts).toEqual({ originalCount: 3000 });
    expect(sent.contacts).toEqual(contacts.slice(0, sent.contacts.length));
    expect(sent.contacts.length).toBeGreaterThan(100);
    expect(email).toContain(`… and ${3000 - sent.contacts.length} more`);
  });
});

describe('fitEvent', () => {
  it('never calls an event that fits cut, and returns the same object', () => {
    const event = loadEvent('renewed');

    expect(fitEvent(event, () => true)).toBe(event);
  });

  it('gives the smallest event it can when nothing fits', () => {
    const event = { ...loadEvent('expiring-warning'), dnsNames: sans(10), organization: 'o'.repeat(5000) };

    const cut = fitEvent(event, () => false);

    expect(cut.dnsNames).toEqual([]);
    expect(cut.contacts).toEqual([]);
    expect(cut.truncated).toEqual({
      dnsNames: { originalCount: 10 },
      contacts: { originalCount: 2 },
      organization: { originalLength: 5000 },
    });
  });
});

describe('a cut event downstream', () => {
  it('is accepted by the Slack edge with its truncated field, and Slack says how many more there are', async () => {
    const event = {
      ...loadEvent('expiring-warning'),
      dnsNames: sans(5000),
      organization: 'O'.repeat(300_000),
    };
    const { input } = await publish(event);
    const bodies = JSON.parse(input.Message ?? '') as { default: string };

    const parsed = parseSnsAlertMessage(bodies.default);

    expect(parsed.kind).toBe('event');
    const received = (parsed as { event: DeliveredEvent }).event;
    expect(received.truncated).toEqual({
      dnsNames: { originalCount: 5000 },
      organization: { originalLength: 300_000 },
    });
    const sections = slackMessage(received).attachments.flatMap((attachment) => attachment.blocks);
    const names = sections
      .map((block) => ('text' in block ? block.text.text : ''))
      .find((text) => text.startsWith('*DNS names*')) as string;
    const listed = (names.match(/`/g) ?? []).length / 2;
    expect(listed).toBeGreaterThan(10);
    expect(names).toMatch(new RegExp(`… and ${5000 - listed} more$`));
  });

  it('keeps a huge alert in a digest, cut, instead of dropping every alert', async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const huge = { ...loadEvent('expired'), dnsNames: sans(8000), organization: 'O'.repeat(300_000) };
    const digest = digestOf([huge, ...manyAlerts(30)]);

    await new SnsNotifier(new SNSClient({}), TOPIC_ARN).sendDigest(digest);

    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input as PublishCommandInput;
    expect(publishBytes(input)).toBeLessThanOrEqual(SNS_LIMIT_BYTES);
    const sent = JSON.parse((JSON.parse(input.Message ?? '') as { default: string }).default) as AlertDigest;
    expect(sent.alerts).toHaveLength(31);
    const cut = sent.alerts.find((alert) => alert.orderId === huge.orderId) as DeliveredEvent;
    expect(cut.truncated?.dnsNames?.originalCount).toBe(8000);
    expect(cut.truncated?.organization?.originalLength).toBe(300_000);
  });
});
