import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { OrderFacts } from '../../../functions/core/model.ts';
import { overviewOf } from '../../../functions/core/overview.ts';
import { buildSummary } from '../../../functions/core/summary.ts';
import { announced, dayPlus, reportOrder, scanAt, snapshotOf } from '../../support/factories.ts';

const multiYear = reportOrder({ orderId: 6, validTill: dayPlus(20) });
const withDuplicates = reportOrder({ orderId: 1, validTill: dayPlus(200), hasDuplicates: true });
const orders = [
  withDuplicates,
  reportOrder({ orderId: 2, validTill: dayPlus(10), commonName: 'b.example.com' }),
  reportOrder({ orderId: 3, validTill: dayPlus(-4), commonName: 'gone.example.com' }),
  reportOrder({ orderId: 4, validTill: dayPlus(-31) }),
  reportOrder({ orderId: 5, validTill: dayPlus(31) }),
  multiYear,
  reportOrder({
    orderId: 7,
    validTill: dayPlus(3),
    product: { nameId: 'c', name: 'C', type: 'client_certificate' },
  }),
  reportOrder({ orderId: 8, validTill: dayPlus(2), isRenewed: true }),
  reportOrder({ orderId: 9, validTill: dayPlus(390), renewedOrderId: 8 }),
  reportOrder({ orderId: 10, validTill: dayPlus(10), commonName: 'a.example.com', isRenewed: true }),
  reportOrder({ orderId: 11, validTill: null, status: 'pending', renewedOrderId: 10 }),
];
const facts: OrderFacts[] = [
  {
    orderId: 1,
    detail: null,
    duplicates: {
      fingerprint: withDuplicates.fingerprint,
      listedAt: scanAt().toISOString(),
      certificates: [
        { id: 101, status: 'issued', commonName: 'dup.example.com', validFrom: null, validTill: dayPlus(1) },
        { id: 102, status: 'rejected', commonName: 'no.example.com', validFrom: null, validTill: dayPlus(1) },
      ],
    },
    subaccount: { accountId: 55, organizationName: 'Branch' },
  },
  {
    orderId: 6,
    detail: {
      fingerprint: multiYear.fingerprint,
      status: 'issued',
      checkedAt: scanAt().toISOString(),
      plan: { multiYear: true, orderValidTill: dayPlus(700), autoRenew: 0, autoReissue: false },
    },
    duplicates: null,
  },
];

const overview = () =>
  overviewOf(orders, {
    policy: { ...DEFAULT_POLICY, excludeProducts: ['client_certificate'] },
    scannedAt: scanAt(),
    withinDays: 30,
    state: {
      certificates: new Map([
        ['order#2', announced('order#2', 2, dayPlus(10), 14)],
        ['dup#101', announced('dup#101', 1, dayPlus(30), 30)],
      ]),
      orders: new Map(facts.map((f) => [f.orderId, f])),
      mutes: [
        {
          orderId: 3,
          certificateId: null,
          until: dayPlus(9),
          reason: 'retired',
          by: 'ana',
          createdAt: scanAt().toISOString(),
          endedAt: null,
          endedBy: null,
        },
      ],
    },
  });

describe('the overview', () => {
  it('lists watched certificates within the window or expired within the look-back, most urgent first', async () => {
    const rows = await overview();
    expect(rows.map((row) => [row.orderId, row.certificateId, row.daysRemaining])).toEqual([
      [3, null, -4],
      [1, 101, 1],
      [10, null, 10],
      [2, null, 10],
      [6, null, 20],
    ]);
  });

  it('says what the state and the report know of each certificate', async () => {
    const [gone, duplicate, pending, announcedOne, plan] = await overview();
    expect(gone).toMatchObject({
      severity: 'critical',
      mute: { until: dayPlus(9), reason: 'retired', by: 'ana' },
    });
    expect(duplicate).toMatchObject({
      duplicate: true,
      commonName: 'dup.example.com',
      lastAnnounced: null,
      subaccount: { accountId: 55, organizationName: 'Branch' },
    });
    expect(pending).toMatchObject({ renewal: { orderId: 11, status: 'pending' }, lastAnnounced: null });
    expect(announcedOne).toMatchObject({
      lastAnnounced: 14,
      severity: 'warning',
      action: 'renew',
      mute: null,
    });
    expect(plan).toMatchObject({ action: 'reissue', severity: 'info' });
  });

  it('lists an order whose reissue is pending (its certificate is still in use), not a revoked one', async () => {
    const rows = await overviewOf(
      [
        reportOrder({ orderId: 21, validTill: dayPlus(12), status: 'reissue_pending' }),
        reportOrder({ orderId: 22, validTill: dayPlus(12), status: 'revoked' }),
      ],
      { policy: DEFAULT_POLICY, scannedAt: scanAt(), withinDays: 30, state: snapshotOf() },
    );
    expect(rows.map((row) => [row.orderId, row.daysRemaining])).toEqual([[21, 12]]);
  });

  it('makes the summary: counted by severity, muted ones counted', async () => {
    const summary = buildSummary(await overview(), {
      route: null,
      scannedAt: '2026-11-23T07:00:00Z',
      withinDays: 30,
    });
    expect(summary).toMatchObject({ total: 5, muted: 1, bySeverity: { critical: 2, warning: 2, info: 1 } });
  });
});
