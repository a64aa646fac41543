import { describe, expect, it } from 'vitest';
import { ALERT_WORKER_CONCURRENCY_RANGE } from '../../infra/config.ts';
import { CERTCENTRAL_LIMITS, MAX_ALERT_WORKERS, rateBudget } from '../../infra/rate-budget.ts';

describe('rateBudget', () => {
  it('gives the scan 18/180 and the weekly summary 5/50, and splits the rest of 90% between the workers', () => {
    expect(rateBudget(2)).toEqual({
      scan: { per5s: 18, per3min: 180 },
      summary: { per5s: 5, per3min: 50 },
      alertWorker: { per5s: 33, per3min: 335 },
    });
    expect(rateBudget(4).alertWorker).toEqual({ per5s: 16, per3min: 167 });
    expect(rateBudget(7).alertWorker).toEqual({ per5s: 9, per3min: 95 });
  });

  it('keeps the scan, the summary and every worker together within 90% of DigiCert limits, each worker with at least one request', () => {
    const { min, max } = ALERT_WORKER_CONCURRENCY_RANGE;
    expect(max).toBe(MAX_ALERT_WORKERS);
    for (let workers = min; workers <= max; workers++) {
      const { scan, summary, alertWorker } = rateBudget(workers);
      expect(scan.per5s + summary.per5s + workers * alertWorker.per5s).toBeLessThanOrEqual(
        0.9 * CERTCENTRAL_LIMITS.per5s,
      );
      expect(scan.per3min + summary.per3min + workers * alertWorker.per3min).toBeLessThanOrEqual(
        0.9 * CERTCENTRAL_LIMITS.per3min,
      );
      expect(alertWorker.per5s).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a worker count that is not a whole number it can share out', () => {
    expect(() => rateBudget(0)).toThrow(RangeError);
    expect(() => rateBudget(2.5)).toThrow(RangeError);
    expect(() => rateBudget(MAX_ALERT_WORKERS + 1)).toThrow(/from 1 to 67, got 68/);
  });
});
