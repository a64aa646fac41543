/**
 * `expiry-alerts test-alert`, run as a shell would: the sample on the terminal (the email it would be) or as
 * JSON, published to SNS (the client mocked at the SDK boundary: no SNS runs here) and posted to Slack (a real
 * HTTP server on loopback standing in for the incoming webhook).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../functions/core/model.ts';
import type { SlackPayload } from '../../functions/notify/slack-message.ts';
import { runCommand } from '../support/scan-command.ts';

const NOW = '2026-11-23T06:00:00Z';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ExpiryAlerts-TopicsAlerts-AbC123';

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

/** An incoming webhook on loopback: keeps what it was posted and answers as scripted. */
interface Webhook {
  url: string;
  posted: SlackPayload[];
  answer: { status: number; body: string };
  close(): Promise<void>;
}

let webhook: Webhook | null = null;
afterEach(async () => {
  await webhook?.close();
  webhook = null;
});

async function startWebhook(): Promise<Webhook> {
  const posted: SlackPayload[] = [];
  const hook: Partial<Webhook> = { posted, answer: { status: 200, body: 'ok' } };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      posted.push(JSON.parse(body) as SlackPayload);
      response.writeHead(hook.answer?.status ?? 200, { 'content-type': 'text/plain' }).end(hook.answer?.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hook.url = `http://127.0.0.1:${port}/services/T0001/B0002/s3cr3tW3bh00kT0k3n`;
  hook.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  webhook = hook as Webhook;
  return webhook;
}

describe('expiry-alerts test-alert', () => {
  it('prints the email a marked sample alert would be, with its link, and sends nothing', async () => {
    const run = await runCommand(['test-alert', '--now', NOW], { env: {} });

    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      'Subject: [test] test-alert.example.com expires in 7 days (order 123456)',
    );
    expect(run.stdout).toContain('This is a test alert from expiry-alerts: no certificate needs anything.');
    expect(run.stdout).toContain('Open CertCentral: https://www.digicert.com/secure/orders');
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });

  it('prints the sample as the JSON event, marked test, linking to the console of the account region', async () => {
    const run = await runCommand(
      ['test-alert', '--json', '--now', NOW, '--base-url', 'https://certcentral.digicert.eu/services/v2'],
      { env: {} },
    );

    expect(run.exitCode).toBe(0);
    const event = JSON.parse(run.stdout) as NotificationEvent;
    expect(event).toMatchObject({
      type: 'certificate.expiring',
      test: true,
      severity: 'warning',
      scannedAt: NOW,
      orderUrl: 'https://certcentral.digicert.eu/secure/orders',
    });
  });

  it('publishes the sample to an SNS topic in its region, for the routes whose filters match, or for one route', async () => {
    const plain = await runCommand(['test-alert', '--sns-topic-arn', TOPIC_ARN, '--now', NOW], { env: {} });
    const routed = await runCommand(['test-alert', '--sns-topic-arn', TOPIC_ARN, '--route', 'web-team'], {
      env: {},
    });

    expect([plain.exitCode, routed.exitCode]).toEqual([0, 0]);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(2);
    const [first, second] = calls.map((call) => call.args[0].input);
    expect(first?.TopicArn).toBe(TOPIC_ARN);
    expect(first?.Subject).toBe('[test] test-alert.example.com expires in 7 days (order 123456)');
    expect(first?.MessageAttributes?.route?.StringValue).toBe('*');
    expect(second?.MessageAttributes?.route?.StringValue).toBe('web-team');
    expect(JSON.parse(JSON.parse(first?.Message ?? '{}').default)).toMatchObject({ test: true });
    expect(await calls[0]?.thisValue.config.region()).toBe('eu-west-1');
    expect(routed.stderr).toContain(`test alert published to ${TOPIC_ARN}, for the route web-team`);
  });

  it('posts the sample to the Slack webhook in SLACK_WEBHOOK_URL, marked as a test, with its button', async () => {
    const hook = await startWebhook();

    const run = await runCommand(['test-alert', '--slack', '--now', NOW], {
      env: { SLACK_WEBHOOK_URL: hook.url },
    });

    expect(run.exitCode).toBe(0);
    expect(hook.posted).toHaveLength(1);
    const [payload] = hook.posted as [SlackPayload];
    expect(payload.text).toBe(':warning: [test] test-alert.example.com expires in 7 days (order 123456)');
    const blocks = payload.attachments[0]?.blocks ?? [];
    expect(JSON.stringify(blocks[0])).toContain('This is a test alert from expiry-alerts');
    expect(blocks).toContainEqual({
      type: 'actions',
      elements: [expect.objectContaining({ type: 'button', url: 'https://www.digicert.com/secure/orders' })],
    });
    expect(run.stderr).toContain('test alert posted to Slack');
    expect(run.stderr).not.toContain(hook.url);
  });

  it('fails with exit 1 when Slack refuses it, without showing the webhook URL', async () => {
    const hook = await startWebhook();
    hook.answer = { status: 404, body: 'no_service' };

    const run = await runCommand(['test-alert', '--slack'], { env: { SLACK_WEBHOOK_URL: hook.url } });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('HTTP 404 no_service');
    expect(run.stderr).not.toContain('s3cr3tW3bh00kT0k3n');
  });

  it.each([
    [['--json', '--slack'], '--slack: "--json" was given too: choose one channel'],
    [['--route', 'web'], '--route: "web" needs --sns-topic-arn'],
    [['--slack'], 'SLACK_WEBHOOK_URL: "" is not set'],
    [
      ['--sns-topic-arn', 'arn:aws:sqs:eu-west-1:123456789012:q'],
      '--sns-topic-arn: "arn:aws:sqs:eu-west-1:123456789012:q"',
    ],
    [
      ['--console-base-url', 'http://www.digicert.com/secure'],
      '--console-base-url: "http://www.digicert.com/secure" must be an https URL',
    ],
  ])('refuses %j with exit 2, naming the flag', async (flags, message) => {
    const run = await runCommand(['test-alert', ...flags], { env: {} });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(sns.commandCalls(PublishCommand)).toEqual([]);
  });
});
