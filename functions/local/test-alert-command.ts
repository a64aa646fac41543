/**
 * `expiry-alerts test-alert`: one clearly marked sample alert (`"test": true`, subject `[test] …`) through the
 * channel a scan would use, to see what people get and to check that a subscription or a webhook works before a
 * certificate needs it. Without a channel flag, the email it would be (subject and text) goes to stdout.
 */
import type { Command } from 'commander';
import { textSetting } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError } from '../core/config.ts';
import { addSettingOptions, SCAN_RUN_SETTINGS } from './cli-settings.ts';

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

export type TestAlertFlags = Record<string, string | boolean | undefined>;

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
    .action(async (flags: TestAlertFlags) => {
      // Loaded when the command runs: the other commands start without the SNS and Slack senders.
      const { runTestAlert } = await import('./test-alert-run.ts');
      await runTestAlert(flags, io);
    });
}
