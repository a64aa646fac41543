import { describe, expect, it } from 'vitest';
import type { CandidateMessage } from '../../../functions/core/announce.ts';
import { parseCandidateMessage } from '../../../functions/runtime/candidate-message-schema.ts';
import { dayPlus, reportOrder } from '../../support/factories.ts';

const message = (muted: unknown): unknown => ({
  candidate: {
    kind: 'alert',
    order: reportOrder({ orderId: 1, validTill: dayPlus(5) }),
    due: [{ certKey: 'dup#11', level: 7, daysRemaining: 5 }],
    renewal: null,
    rememberedPlan: null,
    announced: [],
    ...(muted === undefined ? {} : { muted }),
  },
  scannedAt: '2026-11-23T06:00:00Z',
  delivery: 'individual',
});

describe('a candidate message with a muted scope', () => {
  it('carries the muted scope to the alert function, and is read without one', () => {
    const scope = { wholeOrder: false, certificateIds: [12] };
    const parsed = parseCandidateMessage(JSON.stringify(message(scope))) as CandidateMessage;
    expect(parsed.candidate.kind === 'alert' && parsed.candidate.muted).toEqual(scope);
    const without = parseCandidateMessage(JSON.stringify(message(undefined)));
    expect(without.candidate.kind === 'alert' && without.candidate.muted).toBeUndefined();
  });

  it('refuses a muted scope that is not one', () => {
    expect(() =>
      parseCandidateMessage(JSON.stringify(message({ wholeOrder: 'yes', certificateIds: [] }))),
    ).toThrow('message field candidate.muted.wholeOrder');
  });
});
