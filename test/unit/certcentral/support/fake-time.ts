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
