import type { Endpoint } from './errors.ts';

/** What a client has done so far; read by the metrics and the CLI summary. */
export interface CertCentralStats {
  /** HTTP requests sent per endpoint, retries included. */
  calls: Record<Endpoint, number>;
  totalCalls: number;
  /** Requests that were repeats of a failed attempt. */
  retries: number;
  /** 429 answers received. */
  throttled: number;
  /** Report pages read in full. */
  pages: number;
  /** Report data rows read, skipped rows included. */
  rows: number;
  skippedRows: number;
  /** Time spent waiting for the client-side rate limiter. */
  limiterWaitMs: number;
}

/** The mutable counters behind `CertCentralStats`, shared by the transport and the report stream. */
export class StatsCounter {
  readonly calls: Record<Endpoint, number> = { report: 0, order: 0, subaccountOrder: 0, duplicates: 0 };
  retries = 0;
  throttled = 0;
  pages = 0;
  rows = 0;
  skippedRows = 0;

  snapshot(limiterWaitMs: number): CertCentralStats {
    const calls = { ...this.calls };
    return {
      calls,
      totalCalls: Object.values(calls).reduce((sum, count) => sum + count, 0),
      retries: this.retries,
      throttled: this.throttled,
      pages: this.pages,
      rows: this.rows,
      skippedRows: this.skippedRows,
      limiterWaitMs,
    };
  }
}
