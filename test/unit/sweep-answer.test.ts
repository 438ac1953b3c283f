/**
 * The sweep's answer on synthetic points whose lines, crossover and memory limit are known in
 * closed form, so every figure is checked against arithmetic done by hand, not by the code.
 */
import { describe, expect, it } from 'vitest';
import type { SweepPoint } from '../../shared/contract/sweep';
import { answer, crossover, fitMemory, fitTime, memoryLimitRows, predictMs } from '../../electron/engine/sweep/answer';
import { sizeTargets } from '../../electron/engine/sweep/sizes';

function point(engine: 'polars' | 'spark', rows: number, samplesMs: number[], extra: Partial<SweepPoint> = {}): SweepPoint {
  return {
    engine,
    size: '',
    dataset: 'd',
    version: 1,
    rows,
    loadMs: 0,
    computeMs: samplesMs[0]!,
    totalMs: samplesMs[0]!,
    samplesMs,
    analysesMs: {},
    runIds: [],
    ...extra,
  };
}

// Polars: 0.01 ms per row (slope 1). Spark: 100 · rows^0.5 ms (slope 0.5).
// They cross where 0.01·x = 100·√x, i.e. √x = 10⁴, x = 10⁸ rows.
const polarsMs = (rows: number) => 0.01 * rows;
const sparkMs = (rows: number) => 100 * Math.sqrt(rows);
const sizes = [1e4, 1e5, 1e6, 1e7];

describe('time fit on log-log axes', () => {
  it('recovers a known power law exactly, with no error', () => {
    const fit = fitTime(sizes.map((r) => point('polars', r, [polarsMs(r)])))!;
    expect(fit.slope).toBeCloseTo(1, 10);
    expect(fit.intercept).toBeCloseTo(-2, 10);
    expect(fit.msPerMillionRows).toBeCloseTo(10_000, 6);
    expect(fit.stderrLog10).toBeCloseTo(0, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    expect([fit.minRows, fit.maxRows]).toEqual([1e4, 1e7]);
  });

  it('reports the spread of repetitions as the error of the fit', () => {
    // Every size measured at ×2 and ÷2 of the line: residuals are ±log10(2), so the error is
    // log10(2)·√(n/(n-2)) with n = 8 observations, and the line itself is unchanged.
    const fit = fitTime(sizes.map((r) => point('polars', r, [polarsMs(r) * 2, polarsMs(r) / 2])))!;
    expect(fit.slope).toBeCloseTo(1, 10);
    expect(fit.stderrLog10).toBeCloseTo(Math.log10(2) * Math.sqrt(8 / 6), 10);
    expect(predictMs(fit, 1e6)).toBeCloseTo(10_000, 6);
  });

  it('needs two sizes and never fits emulated points', () => {
    expect(fitTime([point('polars', 1000, [5, 6, 7])])).toBeNull();
    expect(fitTime(sizes.map((r) => point('spark', r, [sparkMs(r)], { emulated: true })))).toBeNull();
  });
});

describe('crossover', () => {
  it('finds where Spark falls below Polars (10⁸ rows), flagged as extrapolated past the measured sizes', () => {
    const polars = fitTime(sizes.map((r) => point('polars', r, [polarsMs(r)])));
    const spark = fitTime(sizes.map((r) => point('spark', r, [sparkMs(r)])));
    const c = crossover(polars, spark);
    expect(c.rows! / 1e8).toBeCloseTo(1, 8);
    expect(c.note).toMatch(/Extrapolated 10× beyond/);
  });

  it('says so when the crossover lies inside the measured sizes', () => {
    const wide = [1e6, 1e7, 1e8, 1e9];
    const c = crossover(
      fitTime(wide.map((r) => point('polars', r, [polarsMs(r)]))),
      fitTime(wide.map((r) => point('spark', r, [sparkMs(r)]))),
    );
    expect(c.rows! / 1e8).toBeCloseTo(1, 8);
    expect(c.note).toBe('Within the measured sizes.');
  });

  it('has none when Spark grows as fast as Polars, or when a line is missing', () => {
    const polars = fitTime(sizes.map((r) => point('polars', r, [polarsMs(r)])));
    const parallel = fitTime(sizes.map((r) => point('spark', r, [polarsMs(r) * 3])));
    expect(crossover(polars, parallel)).toMatchObject({ rows: null, note: expect.stringMatching(/does not support a crossover/) });
    expect(crossover(polars, null).rows).toBeNull();
    expect(crossover(null, parallel).rows).toBeNull();
  });

  it('the whole answer leaves emulated Spark points out of the fit and the crossover', () => {
    const points = [
      ...sizes.map((r) => point('polars', r, [polarsMs(r)], { peakRssBytes: 100e6 + 50 * r })),
      ...sizes.map((r) => point('spark', r, [sparkMs(r)], { emulated: true })),
    ];
    const a = answer(points, 16e9);
    expect(a.fit.spark).toBeNull();
    expect(a.crossoverRows).toBeNull();
    expect(a.fit.polars!.slope).toBeCloseTo(1, 10);
  });
});

describe('memory projection', () => {
  // peak = 100 MB + 50 B/row; 70 % of 16 GB = 11.2 GB; (11.2e9 - 1e8) / 50 = 222,000,000 rows.
  const points = sizes.map((r) => point('polars', r, [1], { peakRssBytes: 100e6 + 50 * r }));

  it('fits bytes per row and the base, and projects the limit with the safety margin', () => {
    const memory = fitMemory(points)!;
    expect(memory.bytesPerRow).toBeCloseTo(50, 6);
    expect(memory.baseBytes).toBeCloseTo(100e6, 0);
    expect(memoryLimitRows(memory, 16e9)).toBe(222_000_000);
    expect(answer(points, 16e9).polarsMemoryLimitRows).toBe(222_000_000);
  });

  it('predicts a held-out measured point from the others', () => {
    const memory = fitMemory(points.slice(0, 3))!;
    expect(memory.baseBytes + memory.bytesPerRow * 1e7).toBeCloseTo(points[3]!.peakRssBytes!, -1);
  });

  it('gives no projection when memory does not grow with rows', () => {
    expect(fitMemory(sizes.map((r) => point('polars', r, [1], { peakRssBytes: 5e8 - r })))).toBeNull();
    expect(fitMemory([point('polars', 10, [1], { peakRssBytes: 1 })])).toBeNull();
  });
});

describe('sizes', () => {
  it('orders samples before growths by size, without duplicates', () => {
    expect(sizeTargets(['2x', '100%', '10%', '30%', '10.0%', '4x']).map((t) => t.size)).toEqual(['10%', '30%', '100%', '2x', '4x']);
  });
});
