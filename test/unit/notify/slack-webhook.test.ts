import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config.ts';
import type { SlackPayload } from '../../../functions/notify/slack-message.ts';
import {
  SlackDeliveryError,
  SlackNotifier,
  SlackRejectedError,
  SlackWebhookSender,
} from '../../../functions/notify/slack-webhook.ts';
import { digestOf, loadEvent } from '../../fixtures/events/load.ts';

const SECRET_PATH = '/services/T0001/B0001/s3cr3tWebhookToken';
const payload = (text: string): SlackPayload => ({ text, blocks: [], attachments: [] });

type Reply = (response: ServerResponse) => void;

/** A stand-in for hooks.slack.com: answers each POST with the next queued reply, then `ok`. */
class FakeSlack {
  readonly received: Array<{ path: string; body: unknown; contentType: string | undefined }> = [];
  private readonly replies: Reply[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        this.received.push({
          path: request.url ?? '',
          body: JSON.parse(body),
          contentType: request.headers['content-type'],
        });
        const reply = this.replies.shift() ?? ((ok) => ok.writeHead(200).end('ok'));
        reply(response);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${SECRET_PATH}`;
  }

  reply(status: number, body: string, headers: Record<string, string> = {}): void {
    this.replies.push((response) => response.writeHead(status, headers).end(body));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A clock that only moves when the sender sleeps; every requested sleep is recorded. */
function fakeTime(start = Date.parse('2026-11-22T06:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SlackWebhookSender against a local webhook', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = new FakeSlack();
    await slack.start();
  });
  afterEach(() => slack.stop());

  it('posts the payload as JSON to the webhook', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });

    await sender.post(payload('hello'));

    expect(slack.received).toEqual([
      { path: SECRET_PATH, body: payload('hello'), contentType: 'application/json' },
    ]);
    expect(time.sleeps).toEqual([]);
  });

  it('paces itself to one message per second, waiting only the remainder', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });

    await sender.post(payload('1'));
    await sender.post(payload('2'));
    time.advance(400);
    await sender.post(payload('3'));
    time.advance(5000);
    await sender.post(payload('4'));

    expect(time.sleeps).toEqual([1000, 600]);
    expect(slack.received.map((request) => request.body)).toEqual(['1', '2', '3', '4'].map(payload));
  });

  it('sends concurrent posts one after the other, still paced', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });

    await Promise.all(['a', 'b', 'c'].map((text) => sender.post(payload(text))));

    expect(time.sleeps).toEqual([1000, 1000]);
    expect(slack.received.map((request) => request.body)).toEqual(['a', 'b', 'c'].map(payload));
  });

  it('on 429 waits as long as Retry-After says, then succeeds', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });
    slack.reply(429, 'rate_limited', { 'Retry-After': '7' });

    await sender.post(payload('after the limit'));

    expect(time.sleeps).toEqual([7000]);
    expect(slack.received).toHaveLength(2);
  });

  it('on 429 without Retry-After waits one second', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });
    slack.reply(429, 'rate_limited');

    await sender.post(payload('x'));

    expect(time.sleeps).toEqual([1000]);
    expect(slack.received).toHaveLength(2);
  });

  it('retries 5xx with growing waits and gives up after maxAttempts', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({
      webhookUrl: slack.url,
      now: time.now,
      sleep: time.sleep,
      maxAttempts: 3,
    });
    for (let attempt = 0; attempt < 3; attempt += 1) slack.reply(503, 'service unavailable');

    const failure = sender.post(payload('x'));

    await expect(failure).rejects.toThrow(SlackDeliveryError);
    await expect(failure).rejects.toMatchObject({ status: 503, attempts: 3 });
    expect(time.sleeps).toEqual([1000, 2000]);
    expect(slack.received).toHaveLength(3);
  });

  it('does not retry a 400 and throws SlackRejectedError with Slack’s error but not the URL', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });
    slack.reply(400, 'invalid_blocks');

    const error = await sender.post(payload('x')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SlackRejectedError);
    expect(error).toMatchObject({ status: 400, slackError: 'invalid_blocks' });
    expect((error as Error).message).toContain('invalid_blocks');
    expect(JSON.stringify(error)).not.toContain('s3cr3tWebhookToken');
    expect(String((error as Error).stack)).not.toContain('s3cr3tWebhookToken');
    expect(slack.received).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
  });

  it('does not retry a 403 or 404 either', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });
    slack.reply(403, 'action_prohibited');
    slack.reply(404, 'no_service');

    await expect(sender.post(payload('x'))).rejects.toMatchObject({
      status: 403,
      slackError: 'action_prohibited',
    });
    await expect(sender.post(payload('y'))).rejects.toMatchObject({ status: 404, slackError: 'no_service' });
    expect(slack.received).toHaveLength(2);
  });

  it('keeps going after a refused post: the next one is still sent', async () => {
    const time = fakeTime();
    const sender = new SlackWebhookSender({ webhookUrl: slack.url, now: time.now, sleep: time.sleep });
    slack.reply(400, 'invalid_payload');

    await expect(sender.post(payload('bad'))).rejects.toThrow(SlackRejectedError);
    await sender.post(payload('good'));

    expect(slack.received.map((request) => request.body)).toEqual([payload('bad'), payload('good')]);
  });
});

describe('SlackWebhookSender without a server', () => {
  it('retries network errors and reports them without the URL', async () => {
    const time = fakeTime();
    let calls = 0;
    const unreachable: typeof fetch = async (input) => {
      calls += 1;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error(`connect ECONNREFUSED for ${String(input)}`), {
          code: 'ECONNREFUSED',
        }),
      });
    };
    const webhookUrl = `https://hooks.slack.com${SECRET_PATH}`;
    const sender = new SlackWebhookSender({
      webhookUrl,
      fetch: unreachable,
      now: time.now,
      sleep: time.sleep,
    });

    const error = await sender.post(payload('x')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as Error).message).toBe('Slack webhook failed after 5 attempts: TypeError (ECONNREFUSED)');
    expect(JSON.stringify(error)).not.toContain('s3cr3tWebhookToken');
    expect(calls).toBe(5);
    expect(time.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('refuses a webhook URL that is not one without echoing it', () => {
    const create = () => new SlackWebhookSender({ webhookUrl: 'hooks.slack.com/services/T0001/s3cr3t' });

    expect(create).toThrow(ConfigError);
    expect(create).not.toThrow(/s3cr3t/);
  });
});

describe('SlackNotifier', () => {
  it('posts individual alerts and digests, but not digested alerts', async () => {
    const posted: SlackPayload[] = [];
    const notifier = new SlackNotifier({ post: async (message) => void posted.push(message) });
    const digest = digestOf([loadEvent('expired'), loadEvent('expiring-warning')]);

    await notifier.send(loadEvent('expired'), 'individual');
    await notifier.send(loadEvent('expiring-warning'), 'digested');
    await notifier.sendDigest(digest);

    expect(posted.map((message) => message.text)).toEqual([
      ':rotating_light: legacy.example.org expired 3 days ago (order 98765)',
      ':rotating_light: Certificate expiry digest: 2 alerts (1 critical, 1 warning, 0 info)',
    ]);
  });
});
