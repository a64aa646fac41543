import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, parseRetryAfter, RetryPolicy } from '../../../functions/certcentral/backoff.ts';

const NOW = Date.UTC(2026, 10, 23, 6, 0, 0);
const JUST_UNDER_ONE = 1 - Number.EPSILON;

describe('RetryPolicy.delayMs', () => {
  it('draws the wait uniformly between 0 and an exponentially growing ceiling (full jitter)', () => {
    const lowest = new RetryPolicy(DEFAULT_RETRY, () => 0);
    const middle = new RetryPolicy(DEFAULT_RETRY, () => 0.5);
    const highest = new RetryPolicy(DEFAULT_RETRY, () => JUST_UNDER_ONE);

    expect([0, 1, 2, 3].map((retry) => lowest.delayMs(retry, null, NOW))).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((retry) => middle.delayMs(retry, null, NOW))).toEqual([500, 1_000, 2_000, 4_000]);
    for (const retry of [0, 1, 2, 3]) {
      const ceiling = 1_000 * 2 ** retry;
      expect(highest.delayMs(retry, null, NOW)).toBeLessThan(ceiling);
      expect(highest.delayMs(retry, null, NOW)).toBeGreaterThan(ceiling * 0.999);
    }
  });

  it('caps the ceiling at maxDelayMs', () => {
    const policy = new RetryPolicy(DEFAULT_RETRY, () => 0.5);

    expect(policy.delayMs(5, null, NOW)).toBe(15_000);
    expect(policy.delayMs(6, null, NOW)).toBe(15_000);
    expect(policy.delayMs(40, null, NOW)).toBe(15_000);
  });

  it('waits as long as a Retry-After in seconds asks, capped at maxDelayMs', () => {
    const policy = new RetryPolicy(DEFAULT_RETRY, () => 0.5);

    expect(policy.delayMs(0, '7', NOW)).toBe(7_000);
    expect(policy.delayMs(0, '0', NOW)).toBe(0);
    expect(policy.delayMs(0, '120', NOW)).toBe(30_000);
  });

  it('waits until a Retry-After HTTP date, capped, and not at all for a past date', () => {
    const policy = new RetryPolicy(DEFAULT_RETRY, () => 0.5);

    expect(policy.delayMs(0, new Date(NOW + 12_000).toUTCString(), NOW)).toBe(12_000);
    expect(policy.delayMs(0, new Date(NOW + 600_000).toUTCString(), NOW)).toBe(30_000);
    expect(policy.delayMs(0, new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
  });

  it('falls back to jitter when Retry-After cannot be read', () => {
    const policy = new RetryPolicy(DEFAULT_RETRY, () => 0.5);

    expect(policy.delayMs(1, 'soon', NOW)).toBe(1_000);
    expect(policy.delayMs(1, '1.5', NOW)).toBe(1_000);
    expect(policy.delayMs(1, '', NOW)).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and IMF-fixdate, and nothing else', () => {
    expect(parseRetryAfter(' 3 ', NOW)).toBe(3_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 06:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('2026-11-23T06:01:00Z', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('RetryPolicy.allows', () => {
  const policy = new RetryPolicy({ ...DEFAULT_RETRY, maxAttempts: 3, maxElapsedMs: 10_000 }, Math.random);

  it('stops once maxAttempts attempts were made', () => {
    expect(policy.allows(1, 0, 0)).toBe(true);
    expect(policy.allows(2, 0, 0)).toBe(true);
    expect(policy.allows(3, 0, 0)).toBe(false);
  });

  it('does not start a wait that would end past maxElapsedMs', () => {
    expect(policy.allows(1, 6_000, 4_000)).toBe(true);
    expect(policy.allows(1, 6_000, 4_001)).toBe(false);
  });
});
