import { describe, expect, it } from 'vitest';
import { type Candidate, CandidateCollector } from '../../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { CertState, ReportOrder } from '../../../functions/core/model.ts';
import { announced, dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

function decide(orders: ReportOrder[], state: CertState[] = []): Candidate[] {
  const collector = new CandidateCollector(
    DEFAULT_POLICY,
    scanAt(),
    new Map(state.map((s) => [s.certKey, s])),
  );
  for (const order of orders) collector.add(order);
  return collector.finish();
}

const summary = (candidates: Candidate[]) =>
  candidates.map((c) =>
    c.kind === 'alert' ? `alert ${c.order.orderId} @${c.level}` : `renewed ${c.certKey}`,
  );

describe('CandidateCollector', () => {
  it('picks issued orders inside the alert window only, most urgent first', () => {
    const orders = [
      reportOrder({ orderId: 1, validTill: dayPlus(91) }),
      reportOrder({ orderId: 2, validTill: dayPlus(90) }),
      reportOrder({ orderId: 3, validTill: dayPlus(5) }),
      reportOrder({ orderId: 4, validTill: dayPlus(-31) }),
      reportOrder({ orderId: 5, validTill: dayPlus(-30) }),
      reportOrder({ orderId: 6, validTill: dayPlus(3), status: 'revoked' }),
      reportOrder({ orderId: 7, validTill: null, status: 'pending' }),
    ];
    expect(summary(decide(orders))).toEqual(['alert 5 @expired', 'alert 3 @7', 'alert 2 @90']);
  });

  it('stays quiet for a level already announced for the same valid_till, and speaks at the next tighter one', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(7) });
    expect(decide([order], [announced('order#1', 1, dayPlus(7), 7)])).toEqual([]);
    expect(decide([order], [announced('order#1', 1, dayPlus(7), 14)])).toHaveLength(1);
    expect(decide([order], [announced('order#1', 1, dayPlus(7), 3)])).toEqual([]);
  });

  it('never speaks again once expired was announced', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(-3) });
    expect(decide([order], [announced('order#1', 1, dayPlus(-3), 'expired')])).toEqual([]);
  });

  it('retries a certificate whose earlier claim was released (state exists, nothing announced)', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(20) });
    expect(summary(decide([order], [announced('order#1', 1, dayPlus(20), null)]))).toEqual(['alert 1 @30']);
  });

  it('silences an order whose renewal is issued, even when the renewal row comes later in the report', () => {
    const old = reportOrder({ orderId: 1, validTill: dayPlus(10), isRenewed: true });
    const renewal = reportOrder({ orderId: 2, validTill: dayPlus(375), renewedOrderId: 1 });
    expect(decide([old, renewal])).toEqual([]);
  });

  it('keeps alerting while the renewal is pending, and says so', () => {
    const old = reportOrder({ orderId: 1, validTill: dayPlus(10), isRenewed: true });
    const renewal = reportOrder({ orderId: 2, validTill: null, status: 'pending', renewedOrderId: 1 });
    const [candidate] = decide([renewal, old]);
    expect(candidate).toMatchObject({ kind: 'alert', level: 14, renewal: { orderId: 2, status: 'pending' } });
  });

  it('sends one renewed notice for an announced certificate once its renewal is issued', () => {
    const old = reportOrder({ orderId: 1, validTill: dayPlus(10), isRenewed: true });
    const renewal = reportOrder({ orderId: 2, validTill: dayPlus(375), renewedOrderId: 1 });
    const candidates = decide([old, renewal], [announced('order#1', 1, dayPlus(10), 14)]);
    expect(candidates).toEqual([
      {
        kind: 'renewed',
        order: old,
        certKey: 'order#1',
        announcedValidTill: dayPlus(10),
        renewal: { orderId: 2, status: 'issued' },
      },
    ]);
  });

  it('treats a valid_till that moved later as a renewal of the announced certificate', () => {
    const reissued = reportOrder({ orderId: 1, validTill: dayPlus(365) });
    const candidates = decide([reissued], [announced('order#1', 1, dayPlus(6), 7)]);
    expect(summary(candidates)).toEqual(['renewed order#1']);
  });

  it('renews announced duplicates too, one notice per certificate', () => {
    const old = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const renewal = reportOrder({ orderId: 2, validTill: dayPlus(370), renewedOrderId: 1 });
    const state = [announced('order#1', 1, dayPlus(5), 7), announced('dup#77', 1, dayPlus(5), 7)];
    expect(summary(decide([old, renewal], state)).sort()).toEqual(['renewed dup#77', 'renewed order#1']);
  });

  it('makes an order a candidate when one of its duplicates is still due', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const state = [announced('order#1', 1, dayPlus(5), 7), announced('dup#77', 1, dayPlus(5), 14)];
    expect(summary(decide([order], state))).toEqual(['alert 1 @7']);
    const allDone = [announced('order#1', 1, dayPlus(5), 7), announced('dup#77', 1, dayPlus(5), 7)];
    expect(decide([order], allDone)).toEqual([]);
  });

  it('ignores state of orders that are no longer in the window and not renewed', () => {
    const revoked = reportOrder({ orderId: 1, validTill: dayPlus(5), status: 'revoked' });
    expect(decide([revoked], [announced('order#1', 1, dayPlus(5), 7)])).toEqual([]);
  });
});
