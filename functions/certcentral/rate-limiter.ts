/** At most `limit` requests in any `windowMs` span. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** DigiCert's published limits per API key: 100 requests per 5 seconds and 1000 per 3 minutes. */
export const DIGICERT_RATE_LIMITS: readonly RateWindow[] = [
  { limit: 100, windowMs: 5_000 },
  { limit: 1_000, windowMs: 180_000 },
];

/** Added to every window so that network latency jitter cannot make the server see one request too many. */
/** DigiCert's two windows (5 s and 3 min) with these budgets: a share of the key's limits, or all of them. */
export function digicertWindows(budget: { per5s: number; per3min: number }): RateWindow[] {
  return [
    { limit: budget.per5s, windowMs: 5_000 },
    { limit: budget.per3min, windowMs: 180_000 },
  ];
}

export const DEFAULT_MARGIN_MS = 250;

export interface RateLimiterOptions {
  windows: readonly RateWindow[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  marginMs?: number;
}

/** A sliding-window log over every configured window: a request starts only when each window has room. */
export class SlidingWindowRateLimiter {
  readonly #windows: readonly RateWindow[];
  readonly #longestSpanMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** Start times of the requests still inside the longest window, oldest first. */
  #starts: number[] = [];
  #waitedMs = 0;

  constructor(options: RateLimiterOptions) {
    const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
    this.#windows = options.windows.map(({ limit, windowMs }) => ({ limit, windowMs: windowMs + marginMs }));
    this.#longestSpanMs = Math.max(0, ...this.#windows.map((window) => window.windowMs));
    this.#now = options.now;
    this.#sleep = options.sleep;
  }

  /** Total time spent waiting for a free slot. */
  get waitedMs(): number {
    return this.#waitedMs;
  }

  /** Waits until every window has room, then counts one request as started now. */
  async acquire(): Promise<void> {
    for (let wait = this.#waitNeeded(); wait > 0; wait = this.#waitNeeded()) {
      const before = this.#now();
      await this.#sleep(wait);
      this.#waitedMs += this.#now() - before;
    }
    this.#starts.push(this.#now());
  }

  #waitNeeded(): number {
    const now = this.#now();
    this.#starts = this.#starts.filter((start) => start > now - this.#longestSpanMs);
    let wait = 0;
    for (const { limit, windowMs } of this.#windows) {
      const inWindow = this.#starts.filter((start) => start > now - windowMs).length;
      const oldestToLeave = this.#starts[this.#starts.length - limit];
      if (inWindow >= limit && oldestToLeave !== undefined) {
        wait = Math.max(wait, oldestToLeave + windowMs - now);
      }
    }
    return wait;
  }
}
