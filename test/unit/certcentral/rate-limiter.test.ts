import { describe, expect, it } from 'vitest';
import { type RateWindow, SlidingWindowRateLimiter } from '../../../functions/certcentral/rate-limiter.ts';
import { fakeTime } from './support/fake-time.ts';

function limiterWith(windows: RateWindow[], marginMs?: number) {
  const time = fakeTime(0);
  const limiter = new SlidingWindowRateLimiter({ windows, now: time.now, sleep: time.sleep, marginMs });
  const starts: number[] = [];
  const acquire = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await limiter.acquire();
      starts.push(time.now());
    }
  };
  return { time, limiter, starts, acquire };
}

/** The most requests that started within any span of `spanMs`. */
function busiestSpan(starts: number[], spanMs: number): number {
  return Math.max(
    ...starts.map((start) => starts.filter((other) => other >= start && other < start + spanMs).length),
  );
}

describe('SlidingWindowRateLimiter', () => {
  it('lets requests through without waiting while every window has room', async () => {
    const { acquire, limiter, time } = limiterWith([{ limit: 3, windowMs: 1_000 }]);

    await acquire(3);

    expect(time.sleeps).toEqual([]);
    expect(limiter.waitedMs).toBe(0);
  });

  it('waits exactly until the oldest request leaves the window, margin included', async () => {
    const { acquire, limiter, time, starts } = limiterWith([{ limit: 3, windowMs: 1_000 }]);

    await acquire(1);
    await time.sleep(400);
    await acquire(3);

    expect(starts).toEqual([0, 400, 400, 1_250]);
    expect(limiter.waitedMs).toBe(850);
  });

  it('uses the configured margin instead of the default 250 ms', async () => {
    const { acquire, starts } = limiterWith([{ limit: 1, windowMs: 1_000 }], 0);

    await acquire(3);

    expect(starts).toEqual([0, 1_000, 2_000]);
  });

  it('holds a request back until both the short and the long window have room', async () => {
    const { acquire, starts, limiter } = limiterWith(
      [
        { limit: 2, windowMs: 1_000 },
        { limit: 3, windowMs: 10_000 },
      ],
      0,
    );

    await acquire(5);

    expect(starts).toEqual([0, 0, 1_000, 10_000, 10_000]);
    expect(limiter.waitedMs).toBe(10_000);
  });

  it('never starts more than the limit in any window over a long run with DigiCert-like limits', async () => {
    const { acquire, starts } = limiterWith([
      { limit: 100, windowMs: 5_000 },
      { limit: 1_000, windowMs: 180_000 },
    ]);

    await acquire(2_500);

    expect(busiestSpan(starts, 5_250)).toBe(100);
    expect(busiestSpan(starts, 180_250)).toBe(1_000);
    expect(starts.at(-1)).toBe(2 * 180_250 + 4 * 5_250);
  });

  it('keeps the limit when many callers acquire at once', async () => {
    const timers = fakeTimers();
    const limiter = new SlidingWindowRateLimiter({
      windows: [{ limit: 2, windowMs: 1_000 }],
      now: timers.now,
      sleep: timers.sleep,
      marginMs: 0,
    });
    const starts: number[] = [];

    const callers = Promise.all(
      Array.from({ length: 7 }, async () => {
        await limiter.acquire();
        starts.push(timers.now());
      }),
    );
    await timers.runAll();
    await callers;

    expect(starts).toEqual([0, 0, 1_000, 1_000, 2_000, 2_000, 3_000]);
  });
});

/** Sleepers wake in time order, the clock jumping to each wake-up: concurrent waits overlap as real ones do. */
function fakeTimers() {
  let current = 0;
  const pending: { at: number; wake: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => current,
    sleep: (ms: number) => new Promise<void>((wake) => pending.push({ at: current + ms, wake })),
    async runAll() {
      await settle();
      while (pending.length > 0) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending.shift();
        if (next) {
          current = Math.max(current, next.at);
          next.wake();
        }
        await settle();
      }
    },
  };
}
