import { describe, expect, it } from 'vitest';
import { CandidateCollector } from '../../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { OrderFacts, ReportOrder } from '../../../functions/core/model.ts';
import { dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

function censusOf(orders: ReportOrder[], facts: OrderFacts[] = [], policy = DEFAULT_POLICY) {
  const collector = new CandidateCollector(policy, scanAt(), {
    certificates: new Map(),
    orders: new Map(facts.map((f) => [f.orderId, f])),
  });
  for (const order of orders) collector.add(order);
  collector.finish();
  return collector.censusOf();
}

describe('the census of watched certificates', () => {
  it('counts each band cumulatively, expired only within the look-back', () => {
    const days = [-31, -30, -1, 0, 7, 8, 30, 31, 90, 91, 400];
    const orders = days.map((left, index) => reportOrder({ orderId: index + 1, validTill: dayPlus(left) }));
    expect(censusOf(orders).bands).toEqual({ expired: 2, within7: 2, within30: 4, within90: 6 });
  });

  it('counts duplicates with their own dates, and leaves out unwatched orders and issued renewals', () => {
    const withDuplicates = reportOrder({ orderId: 1, validTill: dayPlus(200), hasDuplicates: true });
    const facts: OrderFacts = {
      orderId: 1,
      detail: null,
      duplicates: {
        fingerprint: withDuplicates.fingerprint,
        listedAt: scanAt().toISOString(),
        certificates: [
          { id: 11, status: 'issued', commonName: 'a', validFrom: null, validTill: dayPlus(3) },
          { id: 12, status: 'pending', commonName: 'b', validFrom: null, validTill: dayPlus(3) },
        ],
      },
    };
    const orders = [
      withDuplicates,
      reportOrder({ orderId: 2, validTill: dayPlus(5), disableRenewalNotifications: true }),
      reportOrder({ orderId: 3, validTill: dayPlus(5), isRenewed: true }),
      reportOrder({ orderId: 4, validTill: dayPlus(390), renewedOrderId: 3 }),
      reportOrder({ orderId: 5, validTill: dayPlus(5), status: 'revoked' }),
    ];
    expect(censusOf(orders, [facts]).bands).toEqual({ expired: 0, within7: 1, within30: 1, within90: 1 });
  });
});
