/** The benchmark protocol: interleaved rounds, warm-up excluded, failures kept with their reason. */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { NotAvailable, measureAll, median, percentile, type Contender } from '../../tools/bench/protocol';
import { computeRatios } from '../../tools/bench/ratios';

describe('benchmark protocol', () => {
  it('runs contenders in interleaved rounds and keeps only the timed rounds', async () => {
    const order: string[] = [];
    const contender = (id: string, seconds: number[]): Contender => {
      let i = 0;
      return { id, label: id, rows: 10, run: async () => (order.push(id), seconds[i++]) };
    };
    const [a, b] = await measureAll({ warmup: 1, repetitions: 3 }, [contender('a', [9, 1, 3, 2]), contender('b', [9, 5, 4, 6])]);
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(a).toMatchObject({ available: true, samples: [1, 3, 2], min: 1, median: 2, warmup: 1, rows: 10 });
    expect(b).toMatchObject({ available: true, samples: [5, 4, 6], min: 4, median: 5 });
  });

  it.runIf(process.platform === 'linux')('records the CPU time the machine spent during each timed sample', async () => {
    const spin = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const [busy, idle] = await measureAll({ warmup: 1, repetitions: 2 }, [
      { id: 'busy', label: 'busy', run: async () => spin(300) },
      { id: 'idle', label: 'idle', run: () => new Promise<void>((resolve) => setTimeout(resolve, 300)) },
    ]);
    const cpu = (m: typeof busy) => (m!.available ? m!.cpu?.seconds : undefined);
    expect(cpu(busy)).toHaveLength(2);
    // A thread spinning for 0.3 s keeps one CPU busy about that long (less only when a hypervisor
    // steals time); other work on the machine can only add to it.
    for (const seconds of cpu(busy)!) expect(seconds).toBeGreaterThanOrEqual(0.1);
    expect(cpu(idle)).toHaveLength(2);
    for (const seconds of cpu(idle)!) expect(seconds).toBeGreaterThanOrEqual(0);
    // The spinning run kept at least a share of one core busy over its wall time.
    for (const share of busy!.available ? busy!.cpu!.busy : []) expect(share).toBeGreaterThan(0.1 / 0.3 / os.availableParallelism());
  });

  it('drops a contender that throws, with its reason, and lets the others finish', async () => {
    let runs = 0;
    const result = await measureAll({ warmup: 0, repetitions: 2 }, [
      { id: 'missing', label: 'missing', run: async () => Promise.reject(new NotAvailable('psql not found')) },
      { id: 'broken', label: 'broken', run: async () => Promise.reject(new Error('boom\nstack')) },
      { id: 'fine', label: 'fine', run: async () => void runs++ },
    ]);
    expect(result[0]).toEqual({ id: 'missing', label: 'missing', available: false, reason: 'not available: psql not found' });
    expect(result[1]).toEqual({ id: 'broken', label: 'broken', available: false, reason: 'failed: boom' });
    expect(result[2]!.available).toBe(true);
    expect(runs).toBe(2);
  });

  it('computes medians, nearest-rank percentiles and ratios of medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const twenty = Array.from({ length: 20 }, (_v, i) => i + 1);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile(twenty, 50)).toBe(10);
    const ratios = computeRatios([
      { id: 'import.product', label: '', available: true, unit: 's', samples: [2, 4, 3], min: 2, median: 3, warmup: 1, rows: 1000 },
      { id: 'import.psql_copy', label: '', available: true, unit: 's', samples: [3, 3, 3], min: 3, median: 3, warmup: 1, rows: 1000 },
      // pandas loaded a fifth of the rows in the same time: a fifth of the throughput.
      { id: 'import.pandas_to_sql', label: '', available: true, unit: 's', samples: [3], min: 3, median: 3, warmup: 1, rows: 200 },
    ]);
    const byName = new Map(ratios.map((r) => [r.name, r]));
    expect(byName.get('import_vs_psql_copy')).toMatchObject({ value: 1, met: true });
    expect(byName.get('import_vs_pandas_to_sql')!.value).toBeCloseTo(5, 12);
    expect(byName.get('import_vs_pandas_to_sql')!.met).toBe(false);
    expect(byName.get('browse_p95_ms')).toMatchObject({ value: null, met: null });
    expect(byName.get('browse_p95_ms')!.reason).toMatch(/^not run/);
  });
});
