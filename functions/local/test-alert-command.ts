/**
 * `expiry-alerts test-alert`: one clearly marked sample alert (`"test": true`, subject `[test] …`) through the
 * channel a scan would use, to see what people get and to check that a subscription or a webhook works before a
 * certificate needs it. Without a channel flag, the email it would be (subject and text) goes to stdout.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import type { Command } from 'commander';
import { readSettings, textSetting } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError } from '../core/config.ts';
import { consoleUrlFor } from '../core/console-links.ts';
import { sampleEvent } from '../core/sample-event.ts';
import { alertSubject, alertText } from '../notify/alert-text.ts';
import { SlackNotifier, SlackWebhookSender } from '../notify/slack-webhook.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { addSettingOptions, fromFlags, SCAN_RUN_SETTINGS } from './cli-settings.ts';
import { parseSlackWebhook } from './scan-options.ts';

const ROUTE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The flags of `test-alert`, declared like the scan's. */
export const TEST_ALERT_SETTINGS = {
  json: SCAN_RUN_SETTINGS.json,
  snsTopicArn: SCAN_RUN_SETTINGS.snsTopicArn,
  slack: SCAN_RUN_SETTINGS.slack,
  route: textSetting<string | null>({
    meaning:
      'With `--sns-topic-arn`: address the sample to this route of the deployed stack, whatever its filters (its subscribers get it). Without it, the sample reaches the routes whose filters match it, like an alert.',
    default: null,
    shownDefault: 'none',
    flag: { name: '--route', value: 'name' },
    parseText: (text, source) => {
      if (!ROUTE_NAME.test(text)) throw new ConfigError(source, text, 'is not a route name (web-team)');
      return text;
    },
  }),
  now: SCAN_RUN_SETTINGS.now,
};

export const TEST_ALERT_SETTING_GROUPS = [TEST_ALERT_SETTINGS, CERTCENTRAL_SETTINGS] as const;

export interface TestAlertIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

type Flags = Record<string, string | boolean | undefined>;

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export async function runTestAlert(flags: Flags, io: TestAlertIo): Promise<void> {
  const source = fromFlags(flags, io.env);
  const options = readSettings(TEST_ALERT_SETTINGS, source);
  const { baseUrl, consoleBaseUrl } = readSettings(CERTCENTRAL_SETTINGS, source);
  const channels = [
    options.json && '--json',
    options.snsTopicArn && '--sns-topic-arn',
    options.slack && '--slack',
  ].filter((channel): channel is string => typeof channel === 'string');
  if (channels.length > 1) {
    throw new ConfigError(channels[1] ?? '', channels[0], 'was given too: choose one channel');
  }
  if (options.route !== null && options.snsTopicArn === null) {
    throw new ConfigError(
      '--route',
      options.route,
      'needs --sns-topic-arn: routes are subscriptions of a topic',
    );
  }
  const event = sampleEvent({
    now: options.now ?? new Date(),
    consoleUrl: consoleUrlFor(baseUrl, consoleBaseUrl),
    route: null,
  });

  if (options.snsTopicArn) {
    const region = options.snsTopicArn.split(':')[3];
    const sns = new SnsNotifier(new SNSClient({ region }), options.snsTopicArn);
    if (options.route) await sns.sendToRoute(event, options.route);
    else await sns.send(event, 'individual');
    const to = options.route ? `the route ${options.route}` : 'the routes whose filters match it';
    await write(
      io.stderr,
      `test alert published to ${options.snsTopicArn}, for ${to}: "${alertSubject(event)}"\n`,
    );
    return;
  }
  if (options.slack) {
    const webhookUrl = parseSlackWebhook(io.env.SLACK_WEBHOOK_URL);
    await new SlackNotifier(new SlackWebhookSender({ webhookUrl })).send(event, 'individual');
    await write(io.stderr, `test alert posted to Slack: "${alertSubject(event)}"\n`);
    return;
  }
  if (options.json) {
    await write(io.stdout, `${JSON.stringify(event)}\n`);
    return;
  }
  await write(io.stdout, `Subject: ${alertSubject(event)}\n\n${alertText(event)}`);
}

/** Adds `test-alert` to the program. */
export function addTestAlertCommand(program: Command, io: TestAlertIo): Command {
  const command = program
    .command('test-alert')
    .description(
      'Send one clearly marked sample alert ("test": true, subject "[test] ...") through a channel, to see what people get and check that it works.',
    );
  addSettingOptions(command, ...TEST_ALERT_SETTING_GROUPS);
  return command
    .addHelpText(
      'after',
      `
Without --json, --sns-topic-arn or --slack, the email it would be is printed.
Environment:
  SLACK_WEBHOOK_URL   Slack incoming webhook, with --slack

For a deployed stack, invoke its test function (every route gets one): see docs/deploy.md.
Exit codes: 0 sent, 1 the channel failed, 2 bad usage or configuration.`,
    )
    .action((flags: Flags) => runTestAlert(flags, io));
}
