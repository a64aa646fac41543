import { describe, expect, it } from 'vitest';
import { type Candidate, CandidateCollector } from '../../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { CertState, OrderFacts, ReportOrder } from '../../../functions/core/model.ts';
import { announced, dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

function collect(
  orders: ReportOrder[],
  state: CertState[] = [],
  facts: OrderFacts[] = [],
  policy = DEFAULT_POLICY,
): { candidates: Candidate[]; collector: CandidateCollector } {
  const collector = new CandidateCollector(policy, scanAt(), {
    certificates: new Map(state.map((s) => [s.certKey, s])),
    orders: new Map(facts.map((f) => [f.orderId, f])),
  });
  for (const order of orders) collector.add(order);
  return { candidates: collector.finish(), collector };
}

const decide = (
  orders: ReportOrder[],
  state: CertState[] = [],
  facts: OrderFacts[] = [],
  policy = DEFAULT_POLICY,
) => collect(orders, state, facts, policy).candidates;

const summary = (candidates: Candidate[]) =>
  candidates.map((c) => {
    if (c.kind === 'alert') return `alert ${c.due.map((due) => `${due.certKey} @${due.level}`).join(', ')}`;
    return c.kind === 'renewed' ? `renewed ${c.certKey}` : `list ${c.order.orderId} (${c.reason})`;
  });

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
    expect(summary(decide(orders))).toEqual([
      'alert order#5 @expired',
      'alert order#3 @7',
      'alert order#2 @90',
    ]);
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
    expect(summary(decide([order], [announced('order#1', 1, dayPlus(20), null)]))).toEqual([
      'alert order#1 @30',
    ]);
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
    expect(candidate).toMatchObject({
      kind: 'alert',
      due: [{ certKey: 'order#1', level: 14 }],
      renewal: { orderId: 2, status: 'pending' },
    });
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
        severity: 'warning',
      },
    ]);
  });

  it("gives a renewed notice the stored severity of the last alert, or for an older item its level's", () => {
    const reissued = (orderId: number) => reportOrder({ orderId, validTill: dayPlus(365) });
    const stored = { ...announced('order#1', 1, dayPlus(2), 3), announcedSeverity: 'critical' as const };
    const candidates = decide(
      [reissued(1), reissued(2), reissued(3), reissued(4)],
      [
        stored,
        announced('order#2', 2, dayPlus(2), 'expired'),
        announced('order#3', 3, dayPlus(2), 7),
        announced('order#4', 4, dayPlus(2), 30),
      ],
    );
    expect(
      candidates.map((candidate) => [
        candidate.order.orderId,
        candidate.kind === 'renewed' && candidate.severity,
      ]),
    ).toEqual([
      [1, 'critical'],
      [2, 'critical'],
      [3, 'warning'],
      [4, 'info'],
    ]);
  });

  it('treats a valid_till that moved later as a renewal of the announced certificate', () => {
    const reissued = reportOrder({ orderId: 1, validTill: dayPlus(365) });
    const candidates = decide([reissued], [announced('order#1', 1, dayPlus(6), 7)]);
    expect(summary(candidates)).toEqual(['renewed order#1']);
  });

  it("tells a renewal by the report's date moving later than both dates it had when announced", () => {
    // Announced from the detail (2 days left) while the report said 60: the report still saying 60 is no renewal.
    const detailFirst = { ...announced('order#1', 1, dayPlus(2), 3), reportValidTill: dayPlus(60) };
    const lagging = reportOrder({ orderId: 1, validTill: dayPlus(60) });
    expect(summary(decide([lagging], [detailFirst]))).toEqual(['alert order#1 @60']);
    // Announced from a reissue (80 days) while the report still said 20: the report catching up is no renewal.
    const reissued = { ...announced('order#1', 1, dayPlus(80), 90), reportValidTill: dayPlus(20) };
    expect(decide([reportOrder({ orderId: 1, validTill: dayPlus(80) })], [reissued])).toEqual([]);
    // Later than both: renewed, once per announcement.
    expect(summary(decide([reportOrder({ orderId: 1, validTill: dayPlus(61) })], [detailFirst]))).toEqual([
      'renewed order#1',
    ]);
    expect(summary(decide([reportOrder({ orderId: 1, validTill: dayPlus(81) })], [reissued]))).toEqual([
      'renewed order#1',
    ]);
  });

  it('renews announced duplicates too, one notice per certificate', () => {
    const old = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const renewal = reportOrder({ orderId: 2, validTill: dayPlus(370), renewedOrderId: 1 });
    const state = [announced('order#1', 1, dayPlus(5), 7), announced('dup#77', 1, dayPlus(5), 7)];
    expect(summary(decide([old, renewal], state)).sort()).toEqual(['renewed dup#77', 'renewed order#1']);
  });

  it('ignores state of orders that are no longer in the window and not renewed', () => {
    const revoked = reportOrder({ orderId: 1, validTill: dayPlus(5), status: 'revoked' });
    expect(decide([revoked], [announced('order#1', 1, dayPlus(5), 7)])).toEqual([]);
  });
});

/** The order's last duplicates listing, taken today for its current report row. */
function listing(
  order: ReportOrder,
  duplicates: { id: number; validTill: string | null; status?: string; lifetime?: number }[],
  listedDaysAgo = 0,
): OrderFacts {
  return {
    orderId: order.orderId,
    detail: null,
    duplicates: {
      fingerprint: order.fingerprint,
      listedAt: `${dayPlus(-listedDaysAgo)}T06:00:00Z`,
      certificates: duplicates.map(({ id, validTill, status = 'issued', lifetime = 199 }) => ({
        id,
        status,
        commonName: `dup${id}.example.com`,
        validFrom: validTill === null ? null : dayPlus(-lifetime, validTill),
        validTill,
      })),
    },
  };
}

describe('duplicates with their own dates', () => {
  const order = reportOrder({ orderId: 1, validTill: dayPlus(100), hasDuplicates: true });

  it('announces a duplicate that expires before its order, from the remembered listing, with no alert for the order', () => {
    const facts = [
      listing(order, [
        { id: 77, validTill: dayPlus(6) },
        { id: 78, validTill: dayPlus(100) },
      ]),
    ];

    expect(summary(decide([order], [], facts))).toEqual(['alert dup#77 @7']);
  });

  it('stays quiet for an announced duplicate level and speaks at its next threshold', () => {
    const facts = [listing(order, [{ id: 77, validTill: dayPlus(6) }])];
    expect(decide([order], [announced('dup#77', 1, dayPlus(6), 7)], facts)).toEqual([]);
    expect(summary(decide([order], [announced('dup#77', 1, dayPlus(6), 14)], facts))).toEqual([
      'alert dup#77 @7',
    ]);
  });

  it('gives a duplicate the thresholds of its own lifetime', () => {
    const short = [listing(order, [{ id: 77, validTill: dayPlus(45), lifetime: 100 }])];
    const long = [listing(order, [{ id: 77, validTill: dayPlus(45), lifetime: 397 }])];
    expect(decide([order], [], short)).toEqual([]);
    expect(summary(decide([order], [], long))).toEqual(['alert dup#77 @60']);
  });

  it('leaves out duplicates that are not issued, and all of them when the report says the order has none', () => {
    const facts = [listing(order, [{ id: 77, validTill: dayPlus(6), status: 'revoked' }])];
    expect(decide([order], [], facts)).toEqual([]);
    const noLonger = reportOrder({ orderId: 1, validTill: dayPlus(100), hasDuplicates: false });
    expect(decide([noLonger], [], [listing(noLonger, [{ id: 78, validTill: dayPlus(2) }])])).toEqual([]);
  });

  it('sends a renewed notice for an announced duplicate whose valid_till moved later', () => {
    const facts = [listing(order, [{ id: 77, validTill: dayPlus(90) }])];
    expect(summary(decide([order], [announced('dup#77', 1, dayPlus(6), 7)], facts))).toEqual([
      'renewed dup#77',
    ]);
  });

  it('hands the alert stage what was announced, so it claims only what is still due', () => {
    const own = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const facts = [listing(own, [{ id: 77, validTill: dayPlus(5) }])];
    const state = [announced('order#1', 1, dayPlus(5), 14), announced('dup#77', 1, dayPlus(5), 7)];
    const [candidate] = decide([own], state, facts);
    expect(candidate).toMatchObject({
      kind: 'alert',
      due: [{ certKey: 'order#1', level: 7 }],
      announced: state,
    });
  });
});

describe('duplicates listings', () => {
  const order = reportOrder({ orderId: 1, validTill: dayPlus(200), hasDuplicates: true });

  it('lists an order first seen with duplicates, and again when its report row changes', () => {
    expect(summary(decide([order]))).toEqual(['list 1 (first)']);
    const changed = [listing(reportOrder({ orderId: 1, validTill: dayPlus(10), hasDuplicates: true }), [])];
    expect(summary(decide([order], [], changed))).toEqual(['list 1 (changed)']);
    expect(decide([order], [], [listing(order, [])])).toEqual([]);
  });

  it('does not list an alert candidate separately (the alert stage lists it), nor one whose renewal is issued', () => {
    const due = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    expect(summary(decide([due]))).toEqual(['alert order#1 @7']);
    const renewal = reportOrder({ orderId: 2, validTill: dayPlus(370), renewedOrderId: 1 });
    expect(decide([order, renewal])).toEqual([]);
  });

  it('never lists an order whose certificate expired beyond the look-back', () => {
    expect(decide([reportOrder({ orderId: 1, validTill: dayPlus(-31), hasDuplicates: true })])).toEqual([]);
  });

  it("refreshes each day only that day's share of the orders with duplicates", () => {
    const orders = Array.from({ length: 20 }, (_, index) =>
      reportOrder({ orderId: 10 + index, validTill: dayPlus(200), hasDuplicates: true }),
    );
    const facts = orders.map((each) => listing(each, [], 1));
    const listed = decide(orders, [], facts).map((candidate) => candidate.order.orderId);
    expect(listed.length).toBeLessThanOrEqual(Math.ceil(20 / 7));
    expect(listed.length).toBeGreaterThan(0);
  });
});

describe('what is watched', () => {
  it('leaves out excluded products by product_type or product_name_id, and counts them', () => {
    const policy = { ...DEFAULT_POLICY, excludeProducts: ['client_certificate', 'code_signing'] };
    const orders = [
      reportOrder({
        orderId: 1,
        validTill: dayPlus(5),
        product: { nameId: 'client_premium', name: 'Client', type: 'client_certificate' },
      }),
      reportOrder({
        orderId: 2,
        validTill: dayPlus(5),
        product: { nameId: 'code_signing', name: 'Code', type: 'code_signing_certificate' },
      }),
      reportOrder({ orderId: 3, validTill: dayPlus(5) }),
    ];
    const { candidates, collector } = collect(orders, [], [], policy);
    expect(summary(candidates)).toEqual(['alert order#3 @7']);
    expect(collector.unwatched.excluded).toBe(2);
  });

  it("follows CertCentral's renewal-notification switch unless told not to", () => {
    const off = reportOrder({ orderId: 1, validTill: dayPlus(5), disableRenewalNotifications: true });
    const followed = collect([off]);
    expect(followed.candidates).toEqual([]);
    expect(followed.collector.unwatched.notificationsOff).toBe(1);
    const ignoring = { ...DEFAULT_POLICY, followCertCentralNotificationSetting: false };
    expect(summary(decide([off], [], [], ignoring))).toEqual(['alert order#1 @7']);
  });

  it('watches a reissue_pending order: its certificate stays in use until the reissue is issued', () => {
    const pending = reportOrder({ orderId: 1, validTill: dayPlus(5), status: 'reissue_pending' });
    const { candidates, collector } = collect([pending]);
    expect(summary(candidates)).toEqual(['alert order#1 @7']);
    expect(collector.censusOf().bands.within7).toBe(1);
  });

  it('keeps watching an order the detail said is reissue_pending', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    const facts: OrderFacts = {
      orderId: 1,
      detail: {
        fingerprint: order.fingerprint,
        status: 'reissue_pending',
        checkedAt: `${dayPlus(-1)}T06:00:00Z`,
        plan: { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false },
      },
      duplicates: null,
    };
    const { candidates, collector } = collect([order], [], [facts]);
    expect(summary(candidates)).toEqual(['alert order#1 @7']);
    expect(collector.unwatched.knownNotIssued).toBe(0);
  });

  it('skips an order the detail said is revoked until its report row changes', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    const revoked = (fingerprint: string): OrderFacts => ({
      orderId: 1,
      detail: {
        fingerprint,
        status: 'revoked',
        checkedAt: `${dayPlus(-1)}T06:00:00Z`,
        plan: { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false },
      },
      duplicates: null,
    });
    const remembered = collect([order], [], [revoked(order.fingerprint)]);
    expect(remembered.candidates).toEqual([]);
    expect(remembered.collector.unwatched.knownNotIssued).toBe(1);
    expect(summary(decide([order], [], [revoked('an older row')]))).toEqual(['alert order#1 @7']);
  });
});

describe('short lifetimes and automation', () => {
  it('gives a 100-day certificate no 90- or 60-day alert', () => {
    const order = (left: number) =>
      reportOrder({ orderId: 1, validTill: dayPlus(left), validFrom: dayPlus(left - 100) });
    expect(decide([order(90)])).toEqual([]);
    expect(decide([order(31)])).toEqual([]);
    expect(summary(decide([order(30)]))).toEqual(['alert order#1 @30']);
  });

  it('for an auto-renewing order drops the 90, 60 and 30 thresholds', () => {
    const order = (left: number) => reportOrder({ orderId: 1, validTill: dayPlus(left), autoRenew: 1 });
    expect(decide([order(30)])).toEqual([]);
    expect(decide([order(15)])).toEqual([]);
    expect(summary(decide([order(14)]))).toEqual(['alert order#1 @14']);
  });

  it('applies a remembered Multi-year Plan auto-reissue while the plan covers past the certificate', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(25) });
    const plan = { multiYear: true, orderValidTill: dayPlus(700), autoRenew: 0, autoReissue: true };
    const facts: OrderFacts[] = [
      {
        orderId: 1,
        detail: {
          fingerprint: order.fingerprint,
          status: 'issued',
          checkedAt: `${dayPlus(-5)}T06:00:00Z`,
          plan,
        },
        duplicates: null,
      },
    ];
    expect(decide([order], [], facts)).toEqual([]);
    const lastCertificate = [
      {
        ...facts[0],
        detail: { ...facts[0]?.detail, plan: { ...plan, orderValidTill: dayPlus(25) } },
      } as OrderFacts,
    ];
    expect(summary(decide([order], [], lastCertificate))).toEqual(['alert order#1 @30']);
  });
});
