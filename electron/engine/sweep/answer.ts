/**
 * The sweep's answer, from its points alone (pure, so it is tested on points with a known answer):
 * a straight line per engine on log-log axes, where Spark's line crosses below Polars', and how
 * many rows fit in this machine's memory by Polars' bytes per row.
 */
import type { MemoryFit, SweepAnswer, SweepPoint, TimeFit } from '../../../shared/contract/sweep';

/** Share of the machine's memory a projection may use; the rest is the safety margin (OS, other apps, fragmentation). */
export const MEMORY_SHARE = 0.7;

interface Line {
  slope: number;
  intercept: number;
  residuals: number[];
  r2: number | null;
}

function leastSquares(xs: number[], ys: number[]): Line | null {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = xs.map((x, i) => ys[i]! - (intercept + slope * x));
  const sse = residuals.reduce((a, r) => a + r * r, 0);
  return { slope, intercept, residuals, r2: syy > 0 ? 1 - sse / syy : null };
}

/**
 * Time against rows on log-log axes, over every repetition of every point (so the spread counts).
 * Needs two distinct sizes; emulated points are never fitted.
 */
export function fitTime(points: Array<Pick<SweepPoint, 'rows' | 'samplesMs' | 'emulated'>>): TimeFit | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of points) {
    if (p.emulated || p.rows <= 0) continue;
    for (const ms of p.samplesMs) {
      if (!(ms > 0)) continue;
      xs.push(Math.log10(p.rows));
      ys.push(Math.log10(ms));
    }
  }
  if (new Set(xs).size < 2) return null;
  const line = leastSquares(xs, ys)!;
  const sse = line.residuals.reduce((a, r) => a + r * r, 0);
  const rows = points.filter((p) => !p.emulated && p.rows > 0).map((p) => p.rows);
  return {
    slope: line.slope,
    intercept: line.intercept,
    stderrLog10: xs.length > 2 ? Math.sqrt(sse / (xs.length - 2)) : null,
    r2: line.r2,
    points: xs.length,
    minRows: Math.min(...rows),
    maxRows: Math.max(...rows),
    msPerMillionRows: predictMs(line, 1e6),
  };
}

export function predictMs(fit: Pick<TimeFit, 'slope' | 'intercept'>, rows: number): number {
  return 10 ** (fit.intercept + fit.slope * Math.log10(rows));
}

/** Peak resident memory against rows, a straight line on linear axes (a fixed base plus bytes per row). */
export function fitMemory(points: Array<Pick<SweepPoint, 'rows' | 'peakRssBytes'>>): MemoryFit | null {
  const measured = points.filter((p) => p.peakRssBytes !== undefined && p.rows > 0);
  const line =
    new Set(measured.map((p) => p.rows)).size >= 2
      ? leastSquares(
          measured.map((p) => p.rows),
          measured.map((p) => p.peakRssBytes!),
        )
      : null;
  if (!line || line.slope <= 0) return null;
  return { baseBytes: line.intercept, bytesPerRow: line.slope, points: measured.length };
}

/** Rows at which the projected peak reaches `share` of the machine's memory (0 when the base alone does). */
export function memoryLimitRows(memory: MemoryFit, memoryBytes: number, share = MEMORY_SHARE): number {
  return Math.max(0, Math.floor((memoryBytes * share - memory.baseBytes) / memory.bytesPerRow));
}

/** Where Spark's fitted time falls below Polars' as rows grow, or why the fits do not say. */
export function crossover(polars: TimeFit | null, spark: TimeFit | null): { rows: number | null; note: string } {
  if (!polars) return { rows: null, note: 'Polars was not measured at two sizes, so there is no line to cross.' };
  if (!spark) return { rows: null, note: 'No Spark line (Spark was not measured at two sizes on a real workspace), so no crossover.' };
  if (polars.slope <= spark.slope)
    return {
      rows: null,
      note: "The data does not support a crossover: Spark's time grows as fast as or faster than Polars' with rows, so the lines never cross in Spark's favour.",
    };
  const rows = 10 ** ((spark.intercept - polars.intercept) / (polars.slope - spark.slope));
  const lo = Math.min(polars.minRows, spark.minRows);
  const hi = Math.max(polars.maxRows, spark.maxRows);
  if (rows < lo) return { rows, note: 'Spark was already faster at every measured size.' };
  if (rows > hi)
    return {
      rows,
      note: `Extrapolated ${Math.round(rows / hi).toLocaleString('en-US')}× beyond the largest measured size: a rough estimate, measure nearer to it before deciding.`,
    };
  return { rows, note: 'Within the measured sizes.' };
}

export function answer(points: SweepPoint[], memoryBytes: number): SweepAnswer {
  const polars = fitTime(points.filter((p) => p.engine === 'polars'));
  const spark = fitTime(points.filter((p) => p.engine === 'spark'));
  const memory = fitMemory(points.filter((p) => p.engine === 'polars'));
  const cross = crossover(polars, spark);
  return {
    fit: { polars, spark },
    memory,
    crossoverRows: cross.rows === null ? null : Math.round(cross.rows),
    crossoverNote: cross.note,
    polarsMemoryLimitRows: memory ? memoryLimitRows(memory, memoryBytes) : null,
    memoryShare: MEMORY_SHARE,
  };
}

export function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
