/**
 * CertCentral's rate limit: rolling windows over the requests it accepted (by default 100 per 5 seconds and
 * 1000 per 3 minutes). A request over any window is refused and not counted, so refusals last until the
 * oldest accepted request rolls out of the window.
 */
import { SimulatorInputError } from './errors.ts';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export const VENDOR_RATE_WINDOWS: readonly RateWindow[] = [
  { limit: 100, windowMs: 5_000 },
  { limit: 1000, windowMs: 180_000 },
];

export class RollingRateLimiter {
  /** When each accepted request arrived, oldest first, within the longest window. */
  private accepted: number[] = [];
  private readonly longestMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    if (windows.length === 0) throw new SimulatorInputError('rateLimits.windows: needs at least one window');
    for (const { limit, windowMs } of windows) {
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(windowMs) || windowMs < 1) {
        throw new SimulatorInputError(
          `rateLimits.windows: ${JSON.stringify({ limit, windowMs })} needs a whole limit and windowMs above 0`,
        );
      }
    }
    this.longestMs = Math.max(...windows.map((window) => window.windowMs));
  }

  /** Counts the request at `now` and returns true, or returns false when a window is full. */
  tryAcquire(now: number): boolean {
    this.accepted = this.accepted.filter((at) => at > now - this.longestMs);
    const full = this.windows.some(
      ({ limit, windowMs }) => this.accepted.filter((at) => at > now - windowMs).length >= limit,
    );
    if (full) return false;
    this.accepted.push(now);
    return true;
  }
}
