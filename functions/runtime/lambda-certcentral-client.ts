/**
 * The CertCentral client as every function builds it from its environment: its share of the rate limit, its
 * request budget, and a log line for each long retry wait.
 */
import { CertCentralClient, type CertCentralClientOptions } from '../certcentral/certcentral-client.ts';
import { digicertWindows } from '../certcentral/rate-limiter.ts';
import { retryWaitNotice } from '../certcentral/retry-notice.ts';
import type { CertCentralEnvironment } from './environment.ts';
import { logger } from './observability.ts';

export function lambdaCertCentralClient(
  certCentral: CertCentralEnvironment,
  apiKey: string,
  options: Partial<CertCentralClientOptions> = {},
): CertCentralClient {
  return new CertCentralClient({
    baseUrl: certCentral.baseUrl,
    apiKey,
    limits: digicertWindows({ per5s: certCentral.requestsPer5s, per3min: certCentral.requestsPer3min }),
    timeoutMs: certCentral.attemptTimeoutMs,
    retry: { maxElapsedMs: certCentral.retryBudgetMs },
    onRetryWait: (wait) => {
      const notice = retryWaitNotice(wait);
      if (notice !== null) logger.warn(notice, { endpoint: wait.endpoint, waitMs: Math.round(wait.waitMs) });
    },
    ...options,
  });
}
