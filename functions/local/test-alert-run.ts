/** Sends `test-alert`'s sample through the channel its flags name (see `test-alert-command.ts`). */
import { SNSClient } from '@aws-sdk/client-sns';
import { readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError } from '../core/config.ts';
import { consoleUrlFor } from '../core/console-links.ts';
import { sampleEvent } from '../core/sample-event.ts';
import { alertSubject, alertText } from '../notify/alert-text.ts';
import { SlackNotifier, SlackWebhookSender } from '../notify/slack-webhook.ts';
import { SnsNotifier } from '../notify/sns-notifier.ts';
import { refuseTwoChannels } from './channel-choice.ts';
import { fromFlags } from './cli-settings.ts';
import { parseSlackWebhook } from './scan-options.ts';
import { TEST_ALERT_SETTINGS, type TestAlertFlags, type TestAlertIo } from './test-alert-command.ts';

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export async function runTestAlert(flags: TestAlertFlags, io: TestAlertIo): Promise<void> {
  const source = fromFlags(flags, io.env);
  const options = readSettings(TEST_ALERT_SETTINGS, source);
  const { baseUrl, consoleBaseUrl } = readSettings(CERTCENTRAL_SETTINGS, source);
  refuseTwoChannels(options);
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
