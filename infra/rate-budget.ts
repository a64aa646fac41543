/**
 * DigiCert's per-key rate limits shared out between the functions: the scan and the weekly summary get fixed
 * slices and the alert workers split the rest evenly, so that all of them together stay inside the limits however
 * many run at once (a summary may overlap a large day's alert workers).
 * Together they plan on 90% of the limits, not all of them: each process keeps its own count, so latency,
 * clock differences and a loaded CPU can make DigiCert see a few more requests in a window than any one planned.
 */

export interface RequestBudget {
  per5s: number;
  per3min: number;
}

/** CertCentral's documented limits per API key. */
export const CERTCENTRAL_LIMITS: RequestBudget = { per5s: 100, per3min: 1000 };

/** The share of DigiCert's limits the scan and the alert workers plan to spend together. */
export const PLANNED_SHARE = 0.9;

/** What the scan and every alert worker together may spend: 90 per 5 s and 900 per 3 min. */
export const PLANNED_LIMITS: RequestBudget = {
  per5s: Math.floor(CERTCENTRAL_LIMITS.per5s * PLANNED_SHARE),
  per3min: Math.floor(CERTCENTRAL_LIMITS.per3min * PLANNED_SHARE),
};

/** The scan only reads report pages (one per 1000 orders): a fifth of the planned budget is plenty. */
const SCAN_SHARE: RequestBudget = { per5s: 18, per3min: 180 };

/** The weekly summary reads report pages one after another: 100 pages (100,000 orders) take about 6 minutes. */
const SUMMARY_SHARE: RequestBudget = { per5s: 5, per3min: 50 };

/** What the alert workers split between them. */
const WORKERS_SHARE: RequestBudget = {
  per5s: PLANNED_LIMITS.per5s - SCAN_SHARE.per5s - SUMMARY_SHARE.per5s,
  per3min: PLANNED_LIMITS.per3min - SCAN_SHARE.per3min - SUMMARY_SHARE.per3min,
};

/** Beyond this many alert workers, a worker's share of the rest would be less than one request per 5 s. */
export const MAX_ALERT_WORKERS = WORKERS_SHARE.per5s;

export interface RateBudget {
  scan: RequestBudget;
  summary: RequestBudget;
  /** What each of `alertWorkerConcurrency` concurrent alert workers may spend. */
  alertWorker: RequestBudget;
}

export function rateBudget(alertWorkerConcurrency: number): RateBudget {
  if (
    !Number.isInteger(alertWorkerConcurrency) ||
    alertWorkerConcurrency < 1 ||
    alertWorkerConcurrency > MAX_ALERT_WORKERS
  ) {
    throw new RangeError(
      `alertWorkerConcurrency must be a whole number of workers from 1 to ${MAX_ALERT_WORKERS}, got ${alertWorkerConcurrency}`,
    );
  }
  return {
    scan: SCAN_SHARE,
    summary: SUMMARY_SHARE,
    alertWorker: {
      per5s: Math.floor(WORKERS_SHARE.per5s / alertWorkerConcurrency),
      per3min: Math.floor(WORKERS_SHARE.per3min / alertWorkerConcurrency),
    },
  };
}
