import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CandidateMessage } from '../../../functions/core/announce.ts';
import { parseCandidateMessage } from '../../../functions/runtime/candidate-message-schema.ts';
import { QueueSendError, SqsCandidateQueue } from '../../../functions/runtime/sqs-candidate-queue.ts';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/expiry-alerts-WorkQueue';

const sqs = mockClient(SQSClient);
const queue = () => new SqsCandidateQueue(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL);

function candidate(orderId: number): CandidateMessage {
  return {
    candidate: {
      kind: 'alert',
      order: {
        orderId,
        status: 'issued',
        commonName: `order-${orderId}.example.com`,
        dnsNames: [`order-${orderId}.example.com`],
        validTill: '2026-11-30',
        validFrom: '2025-11-30',
        fingerprint: 'issued|2026-11-30|||0',
        disableRenewalNotifications: false,
        autoRenew: 0,
        containerId: 12,
        containerName: 'History Department',
        organizationName: 'Real Organization',
        product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
        isRenewed: false,
        renewedOrderId: null,
        hasDuplicates: false,
        technicalContact: null,
      },
      due: [{ certKey: `order#${orderId}`, level: 7, daysRemaining: 7 }],
      renewal: null,
      rememberedPlan: null,
      announced: [],
    },
    scannedAt: '2026-11-23T06:00:00Z',
    delivery: 'individual',
  };
}

const candidates = (count: number) => Array.from({ length: count }, (_, index) => candidate(100_001 + index));

const requests = () =>
  sqs
    .commandCalls(SendMessageBatchCommand)
    .map((call) => call.args[0].input as { QueueUrl: string; Entries: SendMessageBatchRequestEntry[] });

/** SQS answering: the entries whose ids are listed are refused, the rest taken. */
function answerRefusing(...perCall: string[][]) {
  let call = 0;
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
    const refused = new Set(perCall[call] ?? []);
    call += 1;
    return {
      Successful: input.Entries.filter((entry) => !refused.has(entry.Id ?? '')).map((entry) => ({
        Id: entry.Id,
        MessageId: `m-${call}-${entry.Id}`,
        MD5OfMessageBody: '',
      })),
      Failed: [...refused].map((id) => ({ Id: id, SenderFault: false, Code: 'ServiceUnavailable' })),
    };
  });
}

beforeEach(() => {
  sqs.reset();
});

describe('SqsCandidateQueue', () => {
  it('sends the candidates ten to a batch, in order, each body a candidate message', async () => {
    answerRefusing();
    const messages = candidates(23);

    await queue().send(messages);

    const sent = requests();
    expect(sent.map((request) => request.Entries.length)).toEqual([10, 10, 3]);
    expect(sent.every((request) => request.QueueUrl === QUEUE_URL)).toBe(true);
    const bodies = sent.flatMap((request) => request.Entries.map((entry) => entry.MessageBody ?? ''));
    expect(bodies.map(parseCandidateMessage)).toEqual(messages);
    for (const request of sent) {
      expect(new Set(request.Entries.map((entry) => entry.Id)).size).toBe(request.Entries.length);
    }
  });

  it('sends nothing for no candidates', async () => {
    await queue().send([]);

    expect(requests()).toEqual([]);
  });

  it('sends again only the entries SQS refused', async () => {
    answerRefusing(['1', '4'], ['4']);
    const messages = candidates(6);

    await queue().send(messages);

    const [first, second, third] = requests().map((request) => request.Entries);
    expect(first).toHaveLength(6);
    expect(second?.map((entry) => entry.MessageBody)).toEqual([1, 4].map((n) => JSON.stringify(messages[n])));
    expect(third?.map((entry) => entry.MessageBody)).toEqual([JSON.stringify(messages[4])]);
  });

  it('gives up with QueueSendError after three attempts, before the next batch', async () => {
    answerRefusing(['3'], ['3'], ['3']);

    const failure = queue().send(candidates(15));

    await expect(failure).rejects.toThrow(QueueSendError);
    await expect(failure).rejects.toThrow(
      'SQS refused 1 candidate message(s) after 3 attempts (ServiceUnavailable)',
    );
    expect(requests().map((request) => request.Entries.length)).toEqual([10, 1, 1]);
  });
});

describe('a renewed candidate message', () => {
  const renewed = (severity?: string) => {
    const { order } = candidate(7).candidate;
    const body = {
      candidate: {
        kind: 'renewed',
        order,
        certKey: 'order#7',
        announcedValidTill: '2026-11-30',
        renewal: { orderId: 8, status: 'issued' },
        ...(severity === undefined ? {} : { severity }),
      },
      scannedAt: '2026-11-23T06:00:00Z',
      delivery: 'individual',
    };
    return parseCandidateMessage(JSON.stringify(body)).candidate;
  };

  it("carries the last alert's severity, and one queued before it did reads as info, as it was sent", () => {
    expect(renewed('critical')).toMatchObject({ kind: 'renewed', severity: 'critical' });
    expect(renewed()).toMatchObject({ kind: 'renewed', severity: 'info' });
    expect(() => renewed('urgent')).toThrow('candidate.severity');
  });
});
