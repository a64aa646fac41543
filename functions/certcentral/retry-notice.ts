import { formatDuration } from './duration.ts';
import type { RetryWait } from './http-transport.ts';

/** Waits longer than this are worth a line: a silent pause of that length looks like a hang. */
export const RETRY_WAIT_NOTICE_MS = 5_000;

/**
 * "waiting 12 s before retry 3 of 7 of the CertCentral report request (HTTP 503)" for a wait over 5 s;
 * null for a shorter one.
 */
export function retryWaitNotice(wait: RetryWait): string | null {
  if (wait.waitMs <= RETRY_WAIT_NOTICE_MS) return null;
  return (
    `waiting ${formatDuration(wait.waitMs)} before retry ${wait.retry} of ${wait.maxRetries} ` +
    `of the CertCentral ${wait.endpoint} request (${wait.reason})`
  );
}
