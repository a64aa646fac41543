import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { OrderFacts } from '../../../functions/core/model.ts';
import { NO_PLAN } from '../../../functions/core/model.ts';
import { knownNotIssued, listingReason, refreshTurns } from '../../../functions/core/order-facts.ts';
import { dayPlus, reportOrder, scanAt } from '../../support/factories.ts';

const order = reportOrder({ orderId: 7, hasDuplicates: true });
const listedOn = (day: string, fingerprint = order.fingerprint): OrderFacts => ({
  orderId: 7,
  detail: null,
  duplicates: { fingerprint, listedAt: `${day}T06:00:00Z`, certificates: [] },
});

describe('the rolling refresh of duplicates listings', () => {
  it('gives each day at most ceil(D / days) orders, and every order one turn per period', () => {
    const ids = Array.from({ length: 23 }, (_, index) => 1000 + index * 37);
    const turns = Array.from({ length: 7 }, (_, day) => refreshTurns(ids, 7, scanAt(dayPlus(day))));

    expect(Math.max(...turns.map((turn) => turn.size))).toBe(Math.ceil(23 / 7));
    expect(turns.flatMap((turn) => [...turn]).sort()).toEqual([...ids].sort());
    expect(refreshTurns(ids, 7, scanAt(dayPlus(7)))).toEqual(turns[0]);
  });

  it('lists an order first seen, listed for another report row, or on its turn', () => {
    const today = scanAt();
    expect(listingReason(order, undefined, false, DEFAULT_POLICY, today)).toBe('first');
    expect(listingReason(order, listedOn(dayPlus(-1), 'older'), false, DEFAULT_POLICY, today)).toBe(
      'changed',
    );
    expect(listingReason(order, listedOn(dayPlus(-1)), true, DEFAULT_POLICY, today)).toBe('refresh');
    expect(listingReason(order, listedOn(dayPlus(-1)), false, DEFAULT_POLICY, today)).toBeNull();
  });

  it('does not list twice in a day, and lists a listing older than two periods regardless of turns', () => {
    const today = scanAt();
    expect(listingReason(order, listedOn(dayPlus(0)), true, DEFAULT_POLICY, today)).toBeNull();
    expect(listingReason(order, listedOn(dayPlus(-13)), false, DEFAULT_POLICY, today)).toBeNull();
    expect(listingReason(order, listedOn(dayPlus(-14)), false, DEFAULT_POLICY, today)).toBe('refresh');
  });
});

describe('a remembered order detail', () => {
  const answer = (status: string, checkedDaysAgo: number, fingerprint = order.fingerprint): OrderFacts => ({
    orderId: 7,
    detail: { fingerprint, status, checkedAt: `${dayPlus(-checkedDaysAgo)}T06:00:00Z`, plan: NO_PLAN },
    duplicates: null,
  });

  it('keeps a revoked order quiet until its report row changes', () => {
    expect(knownNotIssued(order, answer('revoked', 400), DEFAULT_POLICY, scanAt())).toBe(true);
    expect(knownNotIssued(order, answer('revoked', 0, 'other row'), DEFAULT_POLICY, scanAt())).toBe(false);
    expect(knownNotIssued(order, answer('issued', 0), DEFAULT_POLICY, scanAt())).toBe(false);
  });

  it('asks again about an order neither endpoint found once duplicatesRefreshDays have passed', () => {
    expect(knownNotIssued(order, answer('not-found', 6), DEFAULT_POLICY, scanAt())).toBe(true);
    expect(knownNotIssued(order, answer('not-found', 7), DEFAULT_POLICY, scanAt())).toBe(false);
  });
});
