/**
 * A local run sends through one channel: the terminal (text, or `--json`), an SNS topic or a Slack webhook.
 * Two of them together would leave one silently unused, so they are refused, naming both.
 */
import { ConfigError } from '../core/config.ts';

export interface ChannelFlags {
  json: boolean;
  snsTopicArn: string | null;
  slack: boolean;
}

export function refuseTwoChannels(flags: ChannelFlags): void {
  const given = [
    flags.json && '--json',
    flags.snsTopicArn !== null && '--sns-topic-arn',
    flags.slack && '--slack',
  ].filter((channel): channel is string => typeof channel === 'string');
  const [first, second] = given;
  if (first !== undefined && second !== undefined) {
    throw new ConfigError(second, first, 'was given too: choose one channel');
  }
}
