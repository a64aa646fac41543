/** A clock that only moves when the code under test sleeps: no real waiting. */
export interface FakeTime {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every sleep requested, in order. */
  sleeps: number[];
}

export function fakeTime(start = Date.UTC(2026, 10, 23, 6, 0, 0)): FakeTime {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms) => {
      sleeps.push(ms);
      current += ms;
    },
    sleeps,
  };
}

/**
 * Real time for what really takes time (an attempt that times out), virtual time for waits: `now` is the wall
 * clock plus everything slept, and sleeping returns at once.
 */
export function hybridTime(): FakeTime & { start: number } {
  let slept = 0;
  const sleeps: number[] = [];
  const now = () => Date.now() + slept;
  return {
    start: now(),
    now,
    sleep: async (ms) => {
      sleeps.push(ms);
      slept += ms;
    },
    sleeps,
  };
}
