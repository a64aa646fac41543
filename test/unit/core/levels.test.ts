import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import {
  alertLevel,
  daysRemaining,
  epochDay,
  isTighter,
  severityFor,
} from '../../../functions/core/levels.ts';
import { dayPlus, scanAt } from '../../support/factories.ts';

const policy = { thresholds: [90, 60, 30, 14, 7, 3, 1], expiredLookbackDays: 30 };

describe('daysRemaining', () => {
  it('counts UTC calendar days between the scan date and valid_till, whatever the hour', () => {
    expect(daysRemaining('2026-11-30', new Date('2026-11-23T00:00:00Z'))).toBe(7);
    expect(daysRemaining('2026-11-30', new Date('2026-11-23T23:59:59Z'))).toBe(7);
    expect(daysRemaining('2026-11-23', new Date('2026-11-23T18:00:00Z'))).toBe(0);
    expect(daysRemaining('2026-11-22', new Date('2026-11-23T00:00:01Z'))).toBe(-1);
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(daysRemaining('2027-01-01', new Date('2026-12-31T12:00:00Z'))).toBe(1);
    expect(daysRemaining('2028-03-01', new Date('2028-02-28T12:00:00Z'))).toBe(2);
  });

  it('refuses a date that does not exist', () => {
    expect(() => daysRemaining('2026-02-30', scanAt())).toThrow(/valid_till: "2026-02-30"/);
    expect(epochDay('2026-13-01')).toBeNull();
    expect(epochDay('26-11-01')).toBeNull();
  });
});

describe('alertLevel', () => {
  it.each(policy.thresholds)('is %i at d = t and the next wider threshold at d = t + 1', (t) => {
    expect(alertLevel(t, policy)).toBe(t);
    const wider = policy.thresholds.filter((x) => x > t).at(-1) ?? null;
    expect(alertLevel(t + 1, policy)).toBe(wider);
  });

  it('takes the tightest threshold reached: a certificate first seen at 5 days is at 7', () => {
    expect(alertLevel(5, policy)).toBe(7);
    expect(alertLevel(2, policy)).toBe(3);
  });

  it('is 1 on the day it expires (d = 0) and expired the day after (d = -1)', () => {
    expect(alertLevel(0, policy)).toBe(1);
    expect(alertLevel(-1, policy)).toBe('expired');
  });

  it('stays expired for the look-back L and is nothing after it', () => {
    expect(alertLevel(-30, policy)).toBe('expired');
    expect(alertLevel(-31, policy)).toBeNull();
    expect(alertLevel(-5, { ...policy, expiredLookbackDays: 4 })).toBeNull();
  });

  it('is nothing beyond the widest threshold, and honours custom thresholds in any order', () => {
    expect(alertLevel(91, policy)).toBeNull();
    expect(alertLevel(10, { thresholds: [3, 30], expiredLookbackDays: 30 })).toBe(30);
    expect(alertLevel(0, { thresholds: [0, 30], expiredLookbackDays: 30 })).toBe(0);
  });

  it('agrees with daysRemaining for real dates', () => {
    expect(alertLevel(daysRemaining(dayPlus(14), scanAt()), DEFAULT_POLICY)).toBe(14);
  });
});

describe('isTighter and severity', () => {
  it('orders levels from wide to tight with expired the tightest', () => {
    expect(isTighter(7, 14)).toBe(true);
    expect(isTighter(14, 7)).toBe(false);
    expect(isTighter(7, 7)).toBe(false);
    expect(isTighter('expired', 1)).toBe(true);
    expect(isTighter(1, 'expired')).toBe(false);
    expect(isTighter(90, null)).toBe(true);
  });

  it('is info above 14 days, warning from 14, critical from 3 and when expired', () => {
    expect([15, 14, 4, 3, 0, -1].map(severityFor)).toEqual([
      'info',
      'warning',
      'warning',
      'critical',
      'critical',
      'critical',
    ]);
  });
});
