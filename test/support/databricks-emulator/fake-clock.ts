/** A clock for the Databricks client whose sleeps return at once and are recorded. */
import type { Clock } from '../../../electron/engine/clock';

export interface FakeClock extends Clock {
  sleeps: number[];
  advance(ms: number): void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    async sleep(ms, signal) {
      if (signal?.aborted) throw new Error('aborted');
      sleeps.push(ms);
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
    advance(ms) {
      t += ms;
    },
  };
}
