/**
 * Runs a set of catalog analyses over one loaded frame: applicability, parameter resolution,
 * cleaning and text encoding once, then each analysis as a small function, with per-analysis
 * timings, progress and cancellation. Work several analyses share (group counts of the same
 * column on the same stage) is computed once per run.
 */
import type pl from 'nodejs-polars';
import { columnsNeeded, ORIGINAL_CLEANING, planAnalyses, type PlannedAnalysis } from '../../../shared/analyses';
import type { AnalysisResult, CleaningOptions } from '../../../shared/contract/analysis';
import { StudioError, throwIfCancelled, toErrorData } from '../../../shared/errors';
import type { DatasetColumn } from '../../../shared/types';
import { OPS } from './ops';
import type { OpContext } from './ops/context';
import type { Dictionaries } from './dictionary';
import { cleaningColumns, encodeText, stageFrames } from './prepare';

// Planning is shared with the Spark side (shared/analyses/plan.ts), so both engines plan alike.
export { planAnalyses, type PlannedAnalysis };

/** Display names of every column a plan reads (including what the cleaning needs). */
export function planColumns(columns: DatasetColumn[], plan: PlannedAnalysis[], cleaning: CleaningOptions): string[] {
  const names = new Set<string>();
  let runnable = false;
  for (const p of plan) {
    if (p.status !== 'ok') continue;
    for (const n of columnsNeeded(p.spec, columns, p.params)) names.add(n);
    runnable = true;
  }
  // The stage frames are built for every run (prepare.ts), so their columns are always loaded:
  // a plan of one `prepared` analysis (explore-counts alone) failed on the missing drop columns.
  if (runnable) for (const n of cleaningColumns(columns, cleaning)) names.add(n);
  // Keep catalog order, so frames and snapshots line up with the dataset.
  return columns.filter((c) => names.has(c.name)).map((c) => c.name);
}

export interface RunAnalysesOptions {
  /** Every catalog column of the dataset, in order. */
  columns: DatasetColumn[];
  /** The loaded frame (keyed by identifier) holding at least the plan's columns. */
  frame: pl.DataFrame;
  /** Dictionaries of the frame's coded text columns (see ./dictionary); other text is coded here. */
  dictionaries?: Dictionaries;
  /** The plan (see `planAnalyses`); default: every applicable analysis with default parameters. */
  plan?: PlannedAnalysis[];
  cleaning?: CleaningOptions;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; id: string }) => void;
  /** Each computed result as soon as it is ready (results stream into the UI). */
  onResult?: (result: AnalysisResult) => void;
}

export interface RunAnalysesResult {
  results: AnalysisResult[];
  /** Cleaning and encoding, once for the run. */
  prepareMs: number;
  computeMs: number;
}

/** Runs a plan over a loaded frame. Not-applicable and failed analyses are reported, never thrown. */
export async function runAnalyses(options: RunAnalysesOptions): Promise<RunAnalysesResult> {
  const cleaning = options.cleaning ?? ORIGINAL_CLEANING;
  const plan = options.plan ?? planAnalyses(options.columns, undefined);
  throwIfCancelled(options.signal);
  const started = performance.now();
  const raw = encodeText({ frame: options.frame, dictionaries: options.dictionaries ?? {} }, options.columns);
  const frames = stageFrames(raw, options.columns, cleaning);
  const prepareMs = performance.now() - started;
  const memo = new Map<string, Promise<unknown>>();
  const results: AnalysisResult[] = [];
  const runnable = plan.filter((p) => p.status === 'ok').length;
  let done = 0;
  for (const p of plan) {
    throwIfCancelled(options.signal);
    const base = { id: p.spec.id, params: p.params, rowsIn: 0, rowsOut: 0 };
    if (p.status !== 'ok') {
      const r: AnalysisResult = { ...base, status: p.status, table: null, timings: { loadMs: 0, computeMs: 0, totalMs: 0 } };
      if (p.reason) r.reason = p.reason;
      if (p.error) r.error = p.error;
      results.push(r);
      continue;
    }
    options.onProgress?.({ done, total: runnable, id: p.spec.id });
    const frame = frames[p.spec.stage];
    const ctx: OpContext = {
      spec: p.spec,
      params: p.params,
      columns: options.columns,
      frame,
      labels: frames.labels[p.spec.stage],
      frames,
      memo: <T>(key: string, compute: () => Promise<T>) => {
        let m = memo.get(key) as Promise<T> | undefined;
        if (!m) memo.set(key, (m = compute()));
        return m;
      },
    };
    const t0 = performance.now();
    try {
      const table = await OPS[p.spec.op.kind](ctx);
      const ms = performance.now() - t0;
      results.push({
        ...base,
        status: 'ok',
        table,
        rowsIn: frame.height,
        rowsOut: table.rows.length,
        timings: { loadMs: 0, computeMs: ms, totalMs: ms },
      });
    } catch (err) {
      if (err instanceof StudioError && err.code === 'CANCELLED') throw err;
      const ms = performance.now() - t0;
      const error = toErrorData(err);
      results.push({
        ...base,
        status: 'failed',
        table: null,
        reason: error.message,
        error,
        rowsIn: frame.height,
        timings: { loadMs: 0, computeMs: ms, totalMs: ms },
      });
    }
    options.onResult?.(results[results.length - 1]!);
    done++;
  }
  options.onProgress?.({ done, total: runnable, id: '' });
  return { results, prepareMs, computeMs: performance.now() - started };
}
