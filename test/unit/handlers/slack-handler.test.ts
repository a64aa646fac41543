import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { makeSlackProcessor, slackPayloadFor } from '../../../functions/handlers/slack-handler.ts';
import { InvalidSnsMessageError, parseSnsAlertMessage } from '../../../functions/notify/event-schema.ts';
import {
  type SlackPayload,
  slackDigestMessage,
  slackMessage,
} from '../../../functions/notify/slack-message.ts';
import { digestOf, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';
import { snsEvent } from '../../integration/handlers/support/lambda-events.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-slack';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const alert = loadEvent('expiring-warning');

function recordingSender() {
  const posted: SlackPayload[] = [];
  return {
    posted,
    processor: makeSlackProcessor({
      sender: async () => ({
        post: async (payload: SlackPayload) => {
          posted.push(payload);
        },
      }),
    }),
  };
}

const without = (event: NotificationEvent, field: keyof NotificationEvent): string =>
  JSON.stringify(Object.fromEntries(Object.entries(event).filter(([key]) => key !== field)));

const changed = (fields: Record<string, unknown>): string => JSON.stringify({ ...alert, ...fields });

function refusal(message: string): InvalidSnsMessageError {
  try {
    parseSnsAlertMessage(message);
  } catch (error) {
    if (error instanceof InvalidSnsMessageError) return error;
    throw error;
  }
  throw new Error('the message was accepted');
}

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the Slack handler', () => {
  it('posts one Block Kit message for an alert', async () => {
    const { posted, processor } = recordingSender();

    await processor(snsEvent(JSON.stringify(alert)));

    expect(posted).toEqual([slackMessage(alert)]);
    expect(posted[0]?.text).toContain('example.com');
  });

  it('posts one digest message for a digest', async () => {
    const { posted, processor } = recordingSender();
    const digest = digestOf(manyAlerts(25));

    await processor(snsEvent(JSON.stringify(digest)));

    expect(posted).toEqual([slackDigestMessage(digest)]);
  });

  it('posts nothing and throws a named error for a message that is not an alert', async () => {
    const { posted, processor } = recordingSender();

    await expect(processor(snsEvent('{"type":"order.created"}'))).rejects.toThrow(InvalidSnsMessageError);

    expect(posted).toEqual([]);
  });
});

describe('slackPayloadFor', () => {
  it('accepts fields added to the contract after this version', () => {
    expect(slackPayloadFor(changed({ keyUsage: ['serverAuth'] }))).toEqual(slackMessage(alert));
  });
});

describe('parseSnsAlertMessage', () => {
  it('reads an alert and a digest as they were published', () => {
    const digest = digestOf([loadEvent('expired'), loadEvent('renewed')]);

    expect(parseSnsAlertMessage(JSON.stringify(alert))).toEqual({ kind: 'event', event: alert });
    expect(parseSnsAlertMessage(JSON.stringify(digest))).toEqual({ kind: 'digest', digest });
  });

  it.each([
    [
      'not JSON',
      'example.com expires in 5 days',
      '',
      'SNS message "example.com expires in 5 days": not JSON',
    ],
    ['an unknown type', '{"type":"order.created"}', 'type', 'field type "order.created"'],
    ['no type', '{"orderId":1}', 'type', 'field type missing'],
    [
      'an impossible date',
      changed({ validTill: '2026-02-30' }),
      'validTill',
      '"2026-02-30": not a yyyy-MM-dd date',
    ],
    ['a missing field', without(alert, 'commonName'), 'commonName', 'field commonName missing'],
    ['an unknown severity', changed({ severity: 'urgent' }), 'severity', 'field severity "urgent"'],
    [
      'a contact without email',
      changed({ contacts: [{ role: 'technical', name: 'Gia' }] }),
      'contacts.0.email',
      'missing',
    ],
  ])('refuses %s, naming the field and the value', (_case, message, field, text) => {
    const error = refusal(message);

    expect(error.field).toBe(field);
    expect(error.message).toContain(text);
  });

  it('reads messages published before links, test alerts and routes: no link, not a test, every alert', () => {
    const { orderUrl: _link, test: _test, ...older } = alert;
    const { route: _route, ...olderDigest } = digestOf([older as NotificationEvent]);

    expect(parseSnsAlertMessage(JSON.stringify(older))).toEqual({
      kind: 'event',
      event: { ...alert, orderUrl: null, test: false },
    });
    const parsed = parseSnsAlertMessage(JSON.stringify(olderDigest));
    expect(parsed.kind === 'digest' && parsed.digest.route).toBeNull();
  });

  it('refuses a link that is not a web address', () => {
    expect(refusal(changed({ orderUrl: 'javascript:alert(1)' })).field).toBe('orderUrl');
  });

  it('names the alert of a digest that does not fit', () => {
    const alerts = [alert, { ...alert, daysRemaining: '5' }] as NotificationEvent[];

    const error = refusal(JSON.stringify(digestOf(alerts)));

    expect(error.field).toBe('alerts.1.daysRemaining');
    expect(error.message).toContain('"5"');
  });

  it('refuses a digest that counts fewer alerts than it lists', () => {
    const error = refusal(JSON.stringify({ ...digestOf([alert, alert]), total: 1 }));

    expect(error.field).toBe('total');
    expect(error.message).toContain('field total 1: fewer than the alerts listed');
  });

  it('shows a long value cut short', () => {
    const error = refusal(changed({ severity: 'x'.repeat(500) }));

    expect(error.message).toContain(`field severity "${'x'.repeat(79)}…`);
    expect(error.message.length).toBeLessThan(200);
  });
});
