import { describe, expect, it } from 'vitest';
import { ALERT_WORKER_CONCURRENCY_RANGE } from '../../infra/config.ts';
import { CERTCENTRAL_LIMITS, MAX_ALERT_WORKERS, rateBudget } from '../../infra/rate-budget.ts';

describe('rateBudget', () => {
  it('gives the scan 18 per 5 s and 180 per 3 min and splits the rest of 90% between the workers', () => {
    expect(rateBudget(2)).toEqual({
      scan: { per5s: 18, per3min: 180 },
      alertWorker: { per5s: 36, per3min: 360 },
    });
    expect(rateBudget(4).alertWorker).toEqual({ per5s: 18, per3min: 180 });
    expect(rateBudget(3).alertWorker).toEqual({ per5s: 24, per3min: 240 });
    expect(rateBudget(7).alertWorker).toEqual({ per5s: 10, per3min: 102 });
  });

  it('keeps the scan and every worker together within 90% of DigiCert limits, each worker with at least one request', () => {
    const { min, max } = ALERT_WORKER_CONCURRENCY_RANGE;
    expect(max).toBe(MAX_ALERT_WORKERS);
    for (let workers = min; workers <= max; workers++) {
      const { scan, alertWorker } = rateBudget(workers);
      expect(scan.per5s + workers * alertWorker.per5s).toBeLessThanOrEqual(0.9 * CERTCENTRAL_LIMITS.per5s);
      expect(scan.per3min + workers * alertWorker.per3min).toBeLessThanOrEqual(
        0.9 * CERTCENTRAL_LIMITS.per3min,
      );
      expect(alertWorker.per5s).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a worker count that is not a whole number it can share out', () => {
    expect(() => rateBudget(0)).toThrow(RangeError);
    expect(() => rateBudget(2.5)).toThrow(RangeError);
    expect(() => rateBudget(MAX_ALERT_WORKERS + 1)).toThrow(/from 1 to 72, got 73/);
  });
});
