/** Sends candidates to the SQS work queue, ten to a batch, retrying the entries SQS did not take. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CandidateMessage } from '../core/announce.ts';

const BATCH = 10;
const ATTEMPTS = 3;

export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
}

export class SqsCandidateQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly CandidateMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH) {
      await this.sendBatch(messages.slice(start, start + BATCH));
    }
  }

  private async sendBatch(batch: readonly CandidateMessage[]): Promise<void> {
    let pending = batch.map((message, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(message),
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
      );
      const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
      pending = pending.filter((entry) => failed.has(entry.Id));
      if (pending.length > 0 && attempt >= ATTEMPTS) {
        const codes = [...new Set((result.Failed ?? []).map((entry) => entry.Code))].join(', ');
        throw new QueueSendError(
          `SQS refused ${pending.length} candidate message(s) after ${ATTEMPTS} attempts (${codes})`,
        );
      }
    }
  }
}
