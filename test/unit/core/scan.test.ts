import { describe, expect, it } from 'vitest';
import type { CandidateMessage } from '../../../functions/core/announce.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { ReportRecord } from '../../../functions/core/model.ts';
import { runScan } from '../../../functions/core/scan.ts';
import { MemoryDigestLedger } from '../../../functions/state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../../../functions/state/memory-state-store.ts';
import { dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A report of `count` orders, each 5 days from expiry. */
const report = (count: number) => ({
  async *records(): AsyncIterable<ReportRecord> {
    for (let index = 1; index <= count; index += 1) {
      yield { kind: 'order', order: reportOrder({ orderId: index, validTill: dayPlus(5) }) };
    }
  },
});

describe('runScan', () => {
  it('opens a flood digest before handing over the candidates, so a scan that fails part-way still leaves it', async () => {
    const digests = new MemoryDigestLedger();
    const handedOver: CandidateMessage[] = [];
    const failingQueue = async (messages: CandidateMessage[]) => {
      handedOver.push(...messages.slice(0, 10));
      throw new Error('the queue refused a batch');
    };

    await expect(
      runScan({
        report: report(30),
        state: new MemoryStateStore(),
        digests,
        dispatch: failingQueue,
        policy: DEFAULT_POLICY,
        clock: () => scanAt(),
        log: quiet,
      }),
    ).rejects.toThrow('the queue refused a batch');

    expect(handedOver.every((message) => message.delivery === 'digested')).toBe(true);
    expect((await digests.openDigests()).map((open) => open.scannedAt)).toEqual([
      scanAt().toISOString().replace('.000', ''),
    ]);
  });

  it('opens no digest when the alerts are not a flood', async () => {
    const digests = new MemoryDigestLedger();

    await runScan({
      report: report(3),
      state: new MemoryStateStore(),
      digests,
      dispatch: async () => {},
      policy: DEFAULT_POLICY,
      clock: () => scanAt(),
      log: quiet,
    });

    expect(await digests.openDigests()).toEqual([]);
  });
});
