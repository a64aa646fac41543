import { describe, expect, it } from 'vitest';
import { ALERT_WORKER_CONCURRENCY_RANGE } from '../../infra/config.ts';
import { CERTCENTRAL_LIMITS, rateBudget } from '../../infra/rate-budget.ts';

describe('rateBudget', () => {
  it('gives the scan 20 per 5 s and 200 per 3 min and splits the rest between the workers', () => {
    expect(rateBudget(2)).toEqual({
      scan: { per5s: 20, per3min: 200 },
      alertWorker: { per5s: 40, per3min: 400 },
    });
    expect(rateBudget(3).alertWorker).toEqual({ per5s: 26, per3min: 266 });
  });

  it('keeps the scan and every worker together inside DigiCert limits, each worker with at least one request', () => {
    const { min, max } = ALERT_WORKER_CONCURRENCY_RANGE;
    for (let workers = min; workers <= max; workers++) {
      const { scan, alertWorker } = rateBudget(workers);
      expect(scan.per5s + workers * alertWorker.per5s).toBeLessThanOrEqual(CERTCENTRAL_LIMITS.per5s);
      expect(scan.per3min + workers * alertWorker.per3min).toBeLessThanOrEqual(CERTCENTRAL_LIMITS.per3min);
      expect(alertWorker.per5s).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a worker count that is not a whole positive number', () => {
    expect(() => rateBudget(0)).toThrow(RangeError);
    expect(() => rateBudget(2.5)).toThrow(RangeError);
  });
});
