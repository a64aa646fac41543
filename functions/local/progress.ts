/**
 * Progress of a long scan on stderr: the report pages and rows read, then the candidates enriched out of all
 * of them with the time left at the client's rate limit. On a terminal it is one live line rewritten in
 * place; otherwise (a log, CI) a plain line every 10 seconds, so a short scan prints none. `--quiet` turns it
 * off. The clock and the ticker are injected: tests drive them by hand.
 */
import type { RateWindow } from '../certcentral/rate-limiter.ts';

/** What the scan has done so far, read at every tick. */
export type ProgressStatus =
  | { stage: 'idle' }
  | { stage: 'report'; pages: number; rows: number }
  | {
      stage: 'alerts';
      done: number;
      total: number;
      /** CertCentral calls made by the alert stage so far. */
      calls: number;
      /** When the alert stage started, on the progress timer's clock. */
      startedAt: number;
    };

export interface ProgressTimer {
  /** Milliseconds, for the ETA. */
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/** Where progress goes: stderr. `isTTY`/`columns` as Node's streams have them. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export const realTimer: ProgressTimer = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export const LIVE_REFRESH_MS = 250;
export const PLAIN_LINE_EVERY_MS = 10_000;
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressOptions {
  out: ProgressSink;
  timer: ProgressTimer;
}

export class Progress {
  private readonly live: boolean;
  private shown = '';
  private stopTicking: (() => void) | null = null;

  constructor(private readonly options: ProgressOptions) {
    this.live = options.out.isTTY === true;
  }

  /** Shows `status` from now on; `limits` are the client's rate limits, for the time left. */
  start(status: () => ProgressStatus, limits: readonly RateWindow[]): void {
    this.stop();
    this.stopTicking = this.options.timer.every(this.live ? LIVE_REFRESH_MS : PLAIN_LINE_EVERY_MS, () =>
      this.tick(status(), limits),
    );
  }

  /** Writes other stderr output (warnings, errors) above the live line. */
  write(text: string): void {
    if (this.live && this.shown) {
      this.options.out.write(`${CLEAR_LINE}${text}${this.shown}`);
    } else {
      this.options.out.write(text);
    }
  }

  /** Stops ticking and takes the live line away, before the summary. */
  stop(): void {
    this.stopTicking?.();
    this.stopTicking = null;
    if (this.live && this.shown) this.options.out.write(CLEAR_LINE);
    this.shown = '';
  }

  private tick(status: ProgressStatus, limits: readonly RateWindow[]): void {
    const line = describeProgress(status, this.options.timer.now(), limits);
    if (!this.live) {
      if (line) this.options.out.write(`${line}\n`);
      return;
    }
    const fitted = fitToWidth(line, this.options.out.columns);
    if (fitted === this.shown) return;
    this.shown = fitted;
    this.options.out.write(`${CLEAR_LINE}${fitted}`);
  }
}

/** One line saying where the scan is, or '' when there is nothing to say. */
export function describeProgress(status: ProgressStatus, now: number, limits: readonly RateWindow[]): string {
  switch (status.stage) {
    case 'idle':
      return '';
    case 'report':
      return `reading the report: ${plural(status.pages, 'page')}, ${plural(status.rows, 'row')}`;
    case 'alerts': {
      const left = remainingMs(status, now, limits);
      const eta = status.done >= status.total ? '' : `, ${describeDuration(left)} left at the rate limit`;
      return `candidates enriched ${number(status.done)} / ${number(status.total)}${eta}`;
    }
  }
}

/**
 * The time the rest of the alert stage needs: the pace so far, or the client's rate limits for the calls
 * still to make (the candidates left times the calls per candidate so far, at least one), whichever is longer.
 */
export function remainingMs(
  status: Extract<ProgressStatus, { stage: 'alerts' }>,
  now: number,
  limits: readonly RateWindow[],
): number {
  const left = status.total - status.done;
  if (left <= 0) return 0;
  const elapsed = Math.max(0, now - status.startedAt);
  const pace = status.done > 0 ? (elapsed / status.done) * left : 0;
  const callsPerCandidate = status.done > 0 ? Math.max(1, status.calls / status.done) : 1;
  const calls = Math.ceil(left * callsPerCandidate);
  const atLimit = Math.max(
    0,
    ...limits.map(({ limit, windowMs }) => Math.floor((calls - 1) / limit) * windowMs),
  );
  return Math.max(pace, atLimit);
}

/** "less than a minute", "about 4 min", "about 1 h 20 min". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}

function fitToWidth(line: string, columns: number | undefined): string {
  return columns && line.length >= columns ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, noun: string): string {
  return `${number(n)} ${noun}${n === 1 ? '' : 's'}`;
}
