/**
 * The Slack notifier's handler: turns each SNS message (an alert event or a digest) into a Block Kit message
 * and posts it to the incoming webhook. The sender paces to 1 message/s and waits out 429s; a message Slack
 * rejects (400) is not retried and goes to the function's failure destination.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { parseSnsAlertMessage } from '../notify/event-schema.ts';
import { type SlackPayload, slackDigestMessage, slackMessage } from '../notify/slack-message.ts';
import { slackSummaryMessage } from '../notify/slack-summary.ts';
import { SlackRejectedError } from '../notify/slack-webhook.ts';
import { count, logger, Metric, metrics, tracer } from '../runtime/observability.ts';

export interface SlackDependencies {
  /** Built on first use: the webhook URL is read from Secrets Manager, never from the environment. */
  sender: () => Promise<{ post(payload: SlackPayload): Promise<void> }>;
}

/** The SNS message is a `NotificationEvent`, an `AlertDigest` or a `WeeklySummary`; anything else throws `InvalidSnsMessageError`. */
export function slackPayloadFor(message: string): SlackPayload {
  const parsed = parseSnsAlertMessage(message);
  if (parsed.kind === 'summary') return slackSummaryMessage(parsed.summary);
  return parsed.kind === 'digest' ? slackDigestMessage(parsed.digest) : slackMessage(parsed.event);
}

export function makeSlackProcessor(deps: SlackDependencies): (event: SNSEvent) => Promise<void> {
  return async (event) => {
    const sender = await deps.sender();
    for (const record of event.Records) {
      try {
        await sender.post(slackPayloadFor(record.Sns.Message));
        count(Metric.SlackMessagesPosted);
      } catch (error) {
        if (error instanceof SlackRejectedError) count(Metric.SlackRejected);
        logger.error('slack post failed', {
          messageId: record.Sns.MessageId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        throw error;
      }
    }
  };
}

export const makeHandler = (deps: SlackDependencies) =>
  middy(makeSlackProcessor(deps))
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
