import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/handlers/slack-handler.ts';
import { slackDigestMessage, slackMessage } from '../../../functions/notify/slack-message.ts';
import { SlackRejectedError, SlackWebhookSender } from '../../../functions/notify/slack-webhook.ts';
import { metrics } from '../../../functions/runtime/observability.ts';
import { digestOf, loadEvent, manyAlerts } from '../../fixtures/events/load.ts';
import { snsEvent } from './support/lambda-events.ts';
import { captureLambdaOutput, type LambdaOutput, lambdaContext } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-slack';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const WEBHOOK_TOKEN = 'Xq7s3cr3tW3bh00kT0k3n9';
const WEBHOOK_PATH = `/services/T0A1B2C3D/B4E5F6G7H/${WEBHOOK_TOKEN}`;
const context = lambdaContext('expiry-alerts-slack');
const alert = loadEvent('expiring-warning');

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A local stand-in for hooks.slack.com: answers each POST with the next queued reply, then 200 `ok`. */
async function startWebhook(): Promise<{
  url: string;
  bodies: unknown[];
  reply(r: Reply): void;
  close(): Promise<void>;
}> {
  const bodies: unknown[] = [];
  const replies: Reply[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      bodies.push(request.url === WEBHOOK_PATH ? JSON.parse(body) : `wrong path ${request.url}`);
      const { status, body: answer, headers } = replies.shift() ?? { status: 200, body: 'ok' };
      response.writeHead(status, headers).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    bodies,
    reply: (reply) => replies.push(reply),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock that moves only when the sender sleeps on it. */
function virtualTime() {
  let now = Date.parse('2026-11-23T06:00:05Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

let webhook: Awaited<ReturnType<typeof startWebhook>>;
let time: ReturnType<typeof virtualTime>;
let output: LambdaOutput;
let handler: ReturnType<typeof makeHandler>;

beforeEach(async () => {
  webhook = await startWebhook();
  time = virtualTime();
  metrics.clearMetrics();
  output = captureLambdaOutput();
  const sender = new SlackWebhookSender({ webhookUrl: webhook.url, now: time.now, sleep: time.sleep });
  handler = makeHandler({ sender: async () => sender });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await webhook.close();
});

describe('the Slack notifier function against a webhook', () => {
  it('posts the alert as Block Kit and the digest as a digest, one message a second', async () => {
    const digest = digestOf(manyAlerts(30));

    await handler(snsEvent(JSON.stringify(alert)), context);
    await handler(snsEvent(JSON.stringify(digest)), context);

    expect(webhook.bodies).toEqual([slackMessage(alert), slackDigestMessage(digest)]);
    expect(time.sleeps).toEqual([1000]);
    expect(output.metrics()).toMatchObject({ SlackMessagesPosted: 2 });
  });

  it('waits out a 429 for as long as Retry-After says, then delivers', async () => {
    webhook.reply({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '7' } });

    await handler(snsEvent(JSON.stringify(alert)), context);

    expect(time.sleeps).toEqual([7000]);
    expect(webhook.bodies).toEqual([slackMessage(alert), slackMessage(alert)]);
  });

  it('throws a 400 to the failure destination without retrying it or showing the webhook URL', async () => {
    webhook.reply({ status: 400, body: 'invalid_blocks' });

    const failure = await handler(snsEvent(JSON.stringify(alert)), context).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SlackRejectedError);
    expect(failure).toMatchObject({ status: 400, slackError: 'invalid_blocks' });
    expect(webhook.bodies).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(output.metrics()).toMatchObject({ SlackRejected: 1 });
    expect(output.logs()).toContainEqual(expect.objectContaining({ message: 'slack post failed' }));
    for (const text of [String(failure), (failure as Error).stack ?? '', output.text()]) {
      expect(text).not.toContain(WEBHOOK_TOKEN);
    }
  });
});
