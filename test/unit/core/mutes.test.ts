import { describe, expect, it } from 'vitest';
import { CandidateCollector } from '../../../functions/core/candidates.ts';
import { ConfigError, DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { CertState, OrderFacts, ReportOrder } from '../../../functions/core/model.ts';
import { ActiveMutes, isMutedIn, type Mute, muteStatus, newMute } from '../../../functions/core/mutes.ts';
import { announced, dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

const mute = (fields: Partial<Mute> & { orderId: number }): Mute => ({
  certificateId: null,
  until: dayPlus(10),
  reason: 'decommissioned',
  by: 'ana',
  createdAt: scanAt().toISOString(),
  endedAt: null,
  endedBy: null,
  ...fields,
});

const listing = (orderId: number, ids: { id: number; validTill: string }[]): OrderFacts => ({
  orderId,
  detail: null,
  duplicates: {
    fingerprint: reportOrder({ orderId, hasDuplicates: true, validTill: dayPlus(5) }).fingerprint,
    listedAt: scanAt().toISOString(),
    certificates: ids.map(({ id, validTill }) => ({
      id,
      status: 'issued',
      commonName: `dup${id}.example.com`,
      validFrom: null,
      validTill,
    })),
  },
});

function collect(orders: ReportOrder[], mutes: Mute[], facts: OrderFacts[] = [], state: CertState[] = []) {
  const collector = new CandidateCollector(DEFAULT_POLICY, scanAt(), {
    certificates: new Map(state.map((s) => [s.certKey, s])),
    orders: new Map(facts.map((f) => [f.orderId, f])),
    mutes,
  });
  for (const order of orders) collector.add(order);
  return { candidates: collector.finish(), census: collector.censusOf() };
}

describe('newMute', () => {
  it('records a mute until a later date, with its reason and who set it', () => {
    expect(
      newMute(
        { orderId: 7, certificateId: null, until: dayPlus(30), reason: ' retired ', by: 'ana' },
        scanAt(),
      ),
    ).toEqual(mute({ orderId: 7, until: dayPlus(30), reason: 'retired' }));
  });

  it.each([
    [dayPlus(0), '--until', 'is not after today'],
    [dayPlus(-3), '--until', 'is not after today'],
    [dayPlus(366), '--until', `is more than 365 days ahead (at most ${dayPlus(365)})`],
    ['2026-02-30', '--until', 'is not a yyyy-MM-dd date'],
    ['next week', '--until', 'is not a yyyy-MM-dd date'],
  ])('refuses --until %s naming the flag and the value', (until, flag, reason) => {
    const attempt = () =>
      newMute({ orderId: 7, certificateId: null, until, reason: 'x', by: 'ana' }, scanAt());
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`${flag}: ${JSON.stringify(until)} ${reason}`);
  });

  it('accepts a mute exactly 365 days ahead, and refuses an empty reason or name', () => {
    expect(
      newMute({ orderId: 7, certificateId: null, until: dayPlus(365), reason: 'x', by: 'ana' }, scanAt())
        .until,
    ).toBe(dayPlus(365));
    expect(() =>
      newMute({ orderId: 7, certificateId: null, until: dayPlus(5), reason: '  ', by: 'ana' }, scanAt()),
    ).toThrow('--reason: "  " must say why');
    expect(() =>
      newMute({ orderId: 7, certificateId: null, until: dayPlus(5), reason: 'x', by: '' }, scanAt()),
    ).toThrow('--by: "" must name who mutes');
  });
});

describe('muteStatus', () => {
  it('is active before its until date, expired from that date, unmuted once ended', () => {
    const held = mute({ orderId: 1, until: dayPlus(3) });
    expect(muteStatus(held, scanAt(dayPlus(2)))).toBe('active');
    expect(muteStatus(held, scanAt(dayPlus(3)))).toBe('expired');
    expect(muteStatus({ ...held, endedAt: scanAt().toISOString(), endedBy: 'bo' }, scanAt())).toBe('unmuted');
  });
});

describe('ActiveMutes', () => {
  it('covers every certificate of a muted order, and only the named duplicate otherwise', () => {
    const mutes = new ActiveMutes(
      [
        mute({ orderId: 1 }),
        mute({ orderId: 2, certificateId: 22 }),
        mute({ orderId: 3, until: dayPlus(0) }),
      ],
      scanAt(),
    );
    expect(mutes.muteOf(1, 'order#1')?.orderId).toBe(1);
    expect(mutes.muteOf(1, 'dup#11')?.orderId).toBe(1);
    expect(mutes.muteOf(2, 'dup#22')?.certificateId).toBe(22);
    expect(mutes.muteOf(2, 'order#2')).toBeNull();
    expect(mutes.muteOf(2, 'dup#23')).toBeNull();
    expect(mutes.muteOf(3, 'order#3')).toBeNull();
    expect(isMutedIn(mutes.scopeOf(1), 'dup#999')).toBe(true);
    expect(isMutedIn(mutes.scopeOf(2), 'dup#22')).toBe(true);
    expect(isMutedIn(mutes.scopeOf(2), 'order#2')).toBe(false);
    expect(mutes.scopeOf(3)).toBeNull();
  });
});

describe('the scan with mutes', () => {
  it('decides nothing for a muted order, its duplicates included, and counts them as muted', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const facts = listing(1, [{ id: 11, validTill: dayPlus(2) }]);
    const { candidates, census } = collect([order], [mute({ orderId: 1 })], [facts]);
    expect(candidates.filter((candidate) => candidate.kind === 'alert')).toEqual([]);
    expect(census.muted).toBe(2);
  });

  it('still announces the certificates a mute of one duplicate leaves out, and tells the alert stage', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    const facts = listing(1, [
      { id: 11, validTill: dayPlus(2) },
      { id: 12, validTill: dayPlus(6) },
    ]);
    const { candidates, census } = collect([order], [mute({ orderId: 1, certificateId: 11 })], [facts]);
    const [alert] = candidates;
    expect(alert?.kind).toBe('alert');
    if (alert?.kind !== 'alert') return;
    expect(alert.due.map((due) => due.certKey)).toEqual(['order#1', 'dup#12']);
    expect(alert.muted).toEqual({ wholeOrder: false, certificateIds: [11] });
    expect(census.muted).toBe(1);
  });

  it('withholds a renewed notice while muted', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(300) });
    const state = [announced('order#1', 1, dayPlus(5), 7)];
    expect(collect([order], [mute({ orderId: 1 })], [], state).candidates).toEqual([]);
    expect(collect([order], [], [], state).candidates.map((c) => c.kind)).toEqual(['renewed']);
  });

  it('decides as usual once the mute has ended: the tightest level, once', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(2) });
    const ended = mute({ orderId: 1, until: dayPlus(0) });
    const { candidates } = collect([order], [ended], [], [announced('order#1', 1, dayPlus(2), 30)]);
    expect(candidates.flatMap((c) => (c.kind === 'alert' ? c.due.map((d) => d.level) : []))).toEqual([3]);
  });
});
