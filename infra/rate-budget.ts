/**
 * DigiCert's per-key rate limits shared out between the functions: the scan gets a fixed slice and the alert
 * workers split the rest evenly, so that all of them together stay inside the limits however many run at once.
 */

export interface RequestBudget {
  per5s: number;
  per3min: number;
}

/** CertCentral's documented limits per API key. */
export const CERTCENTRAL_LIMITS: RequestBudget = { per5s: 100, per3min: 1000 };

const SCAN_SHARE: RequestBudget = { per5s: 20, per3min: 200 };

export interface RateBudget {
  scan: RequestBudget;
  /** What each of `alertWorkerConcurrency` concurrent alert workers may spend. */
  alertWorker: RequestBudget;
}

export function rateBudget(alertWorkerConcurrency: number): RateBudget {
  if (!Number.isInteger(alertWorkerConcurrency) || alertWorkerConcurrency < 1) {
    throw new RangeError(
      `alertWorkerConcurrency must be a whole number of workers, got ${alertWorkerConcurrency}`,
    );
  }
  const share = (limit: number, scan: number): number => Math.floor((limit - scan) / alertWorkerConcurrency);
  return {
    scan: SCAN_SHARE,
    alertWorker: {
      per5s: share(CERTCENTRAL_LIMITS.per5s, SCAN_SHARE.per5s),
      per3min: share(CERTCENTRAL_LIMITS.per3min, SCAN_SHARE.per3min),
    },
  };
}
