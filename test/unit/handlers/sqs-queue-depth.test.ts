import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsQueueDepth } from '../../../functions/runtime/sqs-queue-depth.ts';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/expiry-alerts-WorkQueue';

const sqs = mockClient(SQSClient);
const depth = () => new SqsQueueDepth(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL);

beforeEach(() => sqs.reset());

describe('the work queue depth', () => {
  it('counts messages waiting, in flight with a worker and delayed', async () => {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUE_URL }).resolves({
      Attributes: {
        ApproximateNumberOfMessages: '3',
        ApproximateNumberOfMessagesNotVisible: '10',
        ApproximateNumberOfMessagesDelayed: '1',
      },
    });

    expect(await depth().messages()).toBe(14);
  });

  it('is zero only when all three counts are zero', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: {
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
      },
    });

    expect(await depth().messages()).toBe(0);
  });
});
