/** Whether the alert work queue has drained: no message waiting, in flight or delayed. */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

const COUNTS = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;

export class SqsQueueDepth {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** The queue's messages: waiting, in flight (a worker has them) and delayed. SQS's counts lag up to a minute. */
  async messages(): Promise<number> {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: [...COUNTS] }),
    );
    return COUNTS.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
  }
}
