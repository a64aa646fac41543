/**
 * Publishes a weekly summary to an SNS topic: readable text for email, the summary's JSON for every other
 * subscriber (the Slack notifier builds its message from it). Within SNS's 256 KB: when every certificate does
 * not fit, the most urgent ones that do are kept, and the counts still count them all ("... and N more").
 */
import {
  type MessageAttributeValue,
  PublishCommand,
  type PublishCommandInput,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { ROUTE_ATTRIBUTE } from '../core/routes.ts';
import type { WeeklySummary } from '../core/summary.ts';
import { publishSize, SNS_MESSAGE_LIMIT_BYTES } from './sns-size.ts';
import { summarySubject, summaryText, summaryWorstSeverity } from './summary-text.ts';

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

export function summaryInput(topicArn: string, summary: WeeklySummary): PublishCommandInput {
  return {
    TopicArn: topicArn,
    MessageStructure: 'json',
    Subject: summarySubject(summary),
    Message: JSON.stringify({ default: JSON.stringify(summary), email: summaryText(summary) }),
    MessageAttributes: {
      type: text('summary'),
      delivery: text('summary'),
      severity: text(summaryWorstSeverity(summary)),
      // Addressed to its route's subscriptions (their filter policies accept messages for their route).
      ...(summary.route === null ? {} : { [ROUTE_ATTRIBUTE]: text(summary.route) }),
    },
  };
}

/** The summary with as many of its (most urgent first) certificates as fit in one publish. */
export function fittedSummaryInput(topicArn: string, summary: WeeklySummary): PublishCommandInput {
  const withFirst = (count: number) =>
    summaryInput(topicArn, { ...summary, certificates: summary.certificates.slice(0, count) });
  const fits = (input: PublishCommandInput) => publishSize(input) <= SNS_MESSAGE_LIMIT_BYTES;
  const complete = withFirst(summary.certificates.length);
  if (fits(complete)) return complete;
  let fitting = 0;
  let tooMany = summary.certificates.length;
  while (tooMany - fitting > 1) {
    const middle = Math.floor((fitting + tooMany) / 2);
    if (fits(withFirst(middle))) fitting = middle;
    else tooMany = middle;
  }
  return withFirst(fitting);
}

export class SnsSummarySender {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(summary: WeeklySummary): Promise<void> {
    await this.sns.send(new PublishCommand(fittedSummaryInput(this.topicArn, summary)));
  }
}
