export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /**
   * The time budget of one request: every attempt and every wait ends within this, counted from the start of the
   * first attempt. An attempt's timeout is cut to what is left, and no retry starts without a second left after
   * its wait (or the whole per-attempt timeout, when that is shorter).
   */
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 8,
  maxElapsedMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

const DELTA_SECONDS = /^\d+$/;
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A `Retry-After` value (delta-seconds or an HTTP date) as a wait in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  const trimmed = value?.trim() ?? '';
  if (DELTA_SECONDS.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  if (IMF_FIXDATE.test(trimmed)) {
    return Math.max(0, Date.parse(trimmed) - nowMs);
  }
  return null;
}

/** Exponential backoff with full jitter, overridden by the server's `Retry-After`, bounded in attempts and time. */
export class RetryPolicy {
  constructor(
    private readonly options: RetryOptions,
    private readonly random: () => number,
  ) {}

  /** The wait before retry number `retry` (0 for the first retry). */
  delayMs(retry: number, retryAfter: string | null, nowMs: number): number {
    const requested = parseRetryAfter(retryAfter, nowMs);
    if (requested !== null) {
      return Math.min(requested, this.options.maxDelayMs);
    }
    return this.random() * Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** retry);
  }

  get maxAttempts(): number {
    return this.options.maxAttempts;
  }

  get budgetMs(): number {
    return this.options.maxElapsedMs;
  }

  /**
   * Whether another attempt may follow `attemptsMade` attempts, `elapsedMs` into the request, after waiting
   * `delayMs`, and still have `minAttemptMs` before the budget ends.
   */
  allows(attemptsMade: number, elapsedMs: number, delayMs: number, minAttemptMs = 0): boolean {
    return (
      attemptsMade < this.options.maxAttempts &&
      elapsedMs + delayMs + minAttemptMs <= this.options.maxElapsedMs
    );
  }
}
