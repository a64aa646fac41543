/** The events Lambda hands the functions: an SQS batch for the alert function, an SNS delivery for Slack's. */
import type { SNSEvent, SQSEvent } from 'aws-lambda';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

export function sqsEvent(records: readonly { messageId: string; body: string }[]): SQSEvent {
  return {
    Records: records.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: `receipt-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795413600000',
        SenderId: 'AROAEXAMPLE:expiry-alerts-scan',
        ApproximateFirstReceiveTimestamp: '1795413600100',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:expiry-alerts-WorkQueue`,
      awsRegion: REGION,
    })),
  };
}

/** One SNS delivery to a Lambda subscriber: `message` is the `default` body of the publish. */
export function snsEvent(message: string, messageId = '95df01b4-ee98-5cb9-9903-4c221d41eb5e'): SNSEvent {
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:expiry-alerts-AlertTopic`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: 'example.com expires in 5 days (order 123456)',
          Message: message,
          Timestamp: '2026-11-23T06:00:05.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem',
          UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}`,
          MessageAttributes: {},
        },
      },
    ],
  };
}
