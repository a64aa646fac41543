import { describe, expect, it } from 'vitest';
import {
  describeDuration,
  describeProgress,
  LIVE_REFRESH_MS,
  PLAIN_LINE_EVERY_MS,
  Progress,
  type ProgressStatus,
  type ProgressTimer,
  remainingMs,
} from '../../../functions/local/progress.ts';

const DIGICERT = [
  { limit: 100, windowMs: 5_000 },
  { limit: 1_000, windowMs: 180_000 },
];

/** A ticker driven by hand: `advance` moves the clock and fires what is due. */
class ManualTimer implements ProgressTimer {
  private ms = 0;
  private readonly tickers = new Set<{ every: number; next: number; tick: () => void }>();

  now(): number {
    return this.ms;
  }

  every(ms: number, tick: () => void): () => void {
    const ticker = { every: ms, next: this.ms + ms, tick };
    this.tickers.add(ticker);
    return () => this.tickers.delete(ticker);
  }

  advance(ms: number): void {
    const until = this.ms + ms;
    for (;;) {
      const due = [...this.tickers]
        .filter((ticker) => ticker.next <= until)
        .sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.ms = due.next;
      due.next += due.every;
      due.tick();
    }
    this.ms = until;
  }

  get running(): number {
    return this.tickers.size;
  }
}

class Stderr {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

type AlertsStatus = Extract<ProgressStatus, { stage: 'alerts' }>;

const alerts = (done: number, total: number, calls = done, startedAt = 0): AlertsStatus => ({
  stage: 'alerts',
  done,
  total,
  calls,
  startedAt,
});

describe('progress on stderr', () => {
  it('off a terminal, writes a plain line every 10 seconds, and none for a scan shorter than that', () => {
    const timer = new ManualTimer();
    const err = new Stderr(false);
    const progress = new Progress({ out: err, timer });
    let status: ProgressStatus = { stage: 'report', pages: 3, rows: 3_000 };
    progress.start(() => status, DIGICERT);

    timer.advance(PLAIN_LINE_EVERY_MS - 1);
    expect(err.text).toBe('');
    timer.advance(1);
    status = alerts(120, 300, 120, PLAIN_LINE_EVERY_MS);
    timer.advance(PLAIN_LINE_EVERY_MS);
    progress.stop();
    timer.advance(PLAIN_LINE_EVERY_MS * 3);

    expect(err.text).toBe(
      'reading the report: 3 pages, 3,000 rows\n' +
        'candidates enriched 120 / 300, less than a minute left at the rate limit\n',
    );
    expect(timer.running).toBe(0);
  });

  it('on a terminal, rewrites one live line in place and takes it away at the end', () => {
    const timer = new ManualTimer();
    const err = new Stderr(true);
    const progress = new Progress({ out: err, timer });
    let status: ProgressStatus = { stage: 'report', pages: 1, rows: 1_000 };
    progress.start(() => status, DIGICERT);

    timer.advance(LIVE_REFRESH_MS);
    timer.advance(LIVE_REFRESH_MS); // nothing changed: nothing written
    status = { stage: 'report', pages: 2, rows: 2_000 };
    timer.advance(LIVE_REFRESH_MS);
    progress.stop();

    expect(err.text).toBe(
      '\r\x1b[2Kreading the report: 1 page, 1,000 rows' +
        '\r\x1b[2Kreading the report: 2 pages, 2,000 rows' +
        '\r\x1b[2K',
    );
  });

  it('writes warnings above the live line and shows the line again below them', () => {
    const timer = new ManualTimer();
    const err = new Stderr(true);
    const progress = new Progress({ out: err, timer });
    progress.start(() => alerts(1, 4), DIGICERT);
    timer.advance(LIVE_REFRESH_MS);
    err.text = '';

    progress.write('warning: report row skipped\n');

    expect(err.text).toBe(
      '\r\x1b[2Kwarning: report row skipped\ncandidates enriched 1 / 4, less than a minute left at the rate limit',
    );
  });

  it('cuts the live line to the terminal width', () => {
    const timer = new ManualTimer();
    const err = new Stderr(true, 20);
    const progress = new Progress({ out: err, timer });
    progress.start(() => ({ stage: 'report', pages: 12, rows: 12_000 }), DIGICERT);

    timer.advance(LIVE_REFRESH_MS);

    expect(err.text).toBe('\r\x1b[2Kreading the report…');
  });
});

describe('the time left in the alert stage', () => {
  it("is the rate limit's floor for the calls left when the pace so far is faster", () => {
    // 9,000 candidates left at one call each: 9 full 3-minute windows after the first.
    expect(remainingMs(alerts(1_000, 10_000, 1_000, 0), 50_000, DIGICERT)).toBe(8 * 180_000);
    expect(describeProgress(alerts(1_000, 10_000, 1_000, 0), 50_000, DIGICERT)).toBe(
      'candidates enriched 1,000 / 10,000, about 24 min left at the rate limit',
    );
  });

  it('is the pace so far when that is slower (a slow server)', () => {
    expect(remainingMs(alerts(10, 20, 10, 0), 60_000, DIGICERT)).toBe(60_000);
  });

  it('counts the calls each candidate has needed so far (duplicates, subaccounts)', () => {
    // 1.5 calls per candidate: 1,500 calls for the 1,000 left.
    expect(remainingMs(alerts(100, 1_100, 150, 0), 1_000, DIGICERT)).toBe(180_000);
  });

  it('is not shown once every candidate is done', () => {
    expect(describeProgress(alerts(300, 300), 1_000, DIGICERT)).toBe('candidates enriched 300 / 300');
  });

  it('reads in minutes and hours', () => {
    expect(describeDuration(20_000)).toBe('less than a minute');
    expect(describeDuration(4 * 60_000)).toBe('about 4 min');
    expect(describeDuration(80 * 60_000)).toBe('about 1 h 20 min');
  });
});
