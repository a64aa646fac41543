/**
 * An SNS topic ARN the product can publish to, declared once for the CLI's flags and the SNS notifier. Only
 * standard topics: a FIFO topic (`….fifo`) needs a message group on every publish and takes no email
 * subscription.
 */
import { ConfigError } from '../core/config.ts';

const STANDARD_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export function isStandardTopicArn(value: string): boolean {
  return STANDARD_TOPIC_ARN.test(value);
}

/** The ARN, or a ConfigError naming `source` and the value. */
export function parseTopicArn(value: string, source: string): string {
  if (value.endsWith('.fifo') && isStandardTopicArn(value.slice(0, -'.fifo'.length))) {
    throw new ConfigError(
      source,
      value,
      'is a FIFO topic: alerts go to a standard topic (FIFO topics take no email subscriptions)',
    );
  }
  if (!isStandardTopicArn(value)) {
    throw new ConfigError(source, value, 'is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)');
  }
  return value;
}
