import { describe, expect, it } from 'vitest';
import {
  actionFor,
  applicableThresholds,
  certificateLevel,
  isAutomated,
  lifetimeDays,
} from '../../../functions/core/certificate-rules.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import { NO_PLAN } from '../../../functions/core/model.ts';
import { dayPlus, scanAt } from '../../support/factories.ts';

/** A certificate of `lifetime` days with `left` days remaining on the scan day. */
const terms = (lifetime: number | null, left: number, automated = false) => ({
  validFrom: lifetime === null ? null : dayPlus(left - lifetime),
  validTill: dayPlus(left),
  automated,
});

describe('the thresholds that apply to a certificate', () => {
  it.each([
    [397, [90, 60, 30, 14, 7, 3, 1]],
    [199, [90, 60, 30, 14, 7, 3, 1]],
    [180, [90, 60, 30, 14, 7, 3, 1]],
    [179, [60, 30, 14, 7, 3, 1]],
    [100, [30, 14, 7, 3, 1]],
    [59, [14, 7, 3, 1]],
    [46, [14, 7, 3, 1]],
    [27, [7, 3, 1]],
    [5, [1]],
  ])('a %i-day certificate gets %j with the default fraction 0.5', (lifetime, expected) => {
    expect(applicableThresholds(DEFAULT_POLICY, terms(lifetime, 0))).toEqual(expected);
  });

  it('gives every threshold to a certificate whose valid_from is unknown or not before its valid_till', () => {
    expect(applicableThresholds(DEFAULT_POLICY, terms(null, 10))).toEqual(DEFAULT_POLICY.thresholds);
    expect(
      applicableThresholds(DEFAULT_POLICY, {
        validFrom: dayPlus(20),
        validTill: dayPlus(10),
        automated: false,
      }),
    ).toEqual(DEFAULT_POLICY.thresholds);
  });

  it('with a fraction of 1 keeps every threshold up to the whole lifetime', () => {
    const policy = { ...DEFAULT_POLICY, thresholdLifetimeFraction: 1 };
    expect(applicableThresholds(policy, terms(60, 0))).toEqual([60, 30, 14, 7, 3, 1]);
  });

  it('for an automated certificate drops every threshold at or above automationLeadDays', () => {
    expect(applicableThresholds(DEFAULT_POLICY, terms(397, 0, true))).toEqual([14, 7, 3, 1]);
    const lead15 = { ...DEFAULT_POLICY, automationLeadDays: 15 };
    expect(applicableThresholds(lead15, terms(397, 0, true))).toEqual([14, 7, 3, 1]);
    const lead14 = { ...DEFAULT_POLICY, automationLeadDays: 14 };
    expect(applicableThresholds(lead14, terms(397, 0, true))).toEqual([7, 3, 1]);
  });

  it('always keeps the smallest threshold', () => {
    const lead0 = { ...DEFAULT_POLICY, automationLeadDays: 0 };
    expect(applicableThresholds(lead0, terms(2, 0, true))).toEqual([1]);
  });

  it('counts the lifetime in whole UTC days', () => {
    expect(lifetimeDays({ validFrom: '2026-02-24', validTill: '2026-09-11' })).toBe(199);
    expect(lifetimeDays({ validFrom: 'nonsense', validTill: '2026-09-11' })).toBeNull();
  });
});

describe('a certificate level', () => {
  it('is the tightest applicable threshold reached, so a short certificate skips the wide ones', () => {
    expect(certificateLevel(DEFAULT_POLICY, terms(100, 45), scanAt()).level).toBeNull();
    expect(certificateLevel(DEFAULT_POLICY, terms(100, 30), scanAt()).level).toBe(30);
    expect(certificateLevel(DEFAULT_POLICY, terms(397, 45), scanAt()).level).toBe(60);
  });

  it('is expired within the look-back whatever the lifetime, and nothing after it', () => {
    expect(certificateLevel(DEFAULT_POLICY, terms(46, -1), scanAt())).toEqual({
      daysRemaining: -1,
      level: 'expired',
    });
    expect(certificateLevel(DEFAULT_POLICY, terms(46, -31), scanAt()).level).toBeNull();
  });
});

describe('automation and the action', () => {
  const plan = { multiYear: true, orderValidTill: dayPlus(700), autoRenew: 0, autoReissue: true };

  it('is reissue while the plan covers past the certificate, renew at the plan end or without a plan', () => {
    expect(actionFor(plan, dayPlus(100))).toBe('reissue');
    expect(actionFor(plan, dayPlus(700))).toBe('renew');
    expect(actionFor(NO_PLAN, dayPlus(100))).toBe('renew');
    expect(actionFor({ ...plan, multiYear: false }, dayPlus(100))).toBe('renew');
  });

  it('counts auto-renew, and auto-reissue only while the plan covers past the certificate', () => {
    expect(isAutomated({ ...NO_PLAN, autoRenew: 1 }, dayPlus(10))).toBe(true);
    expect(isAutomated(plan, dayPlus(10))).toBe(true);
    expect(isAutomated(plan, dayPlus(700))).toBe(false);
    expect(isAutomated({ ...plan, autoReissue: false }, dayPlus(10))).toBe(false);
    expect(isAutomated(NO_PLAN, dayPlus(10))).toBe(false);
  });
});
