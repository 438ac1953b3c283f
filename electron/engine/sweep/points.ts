/**
 * One sweep point: one engine on one size. Polars runs in this process (load from PostgreSQL at
 * every size, never the snapshot, so load time grows with the data as it would on first use) and
 * each repetition is stored as an ordinary analysis run; Spark goes through the Spark run job,
 * which stores its own run.
 */
import { randomUUID } from 'node:crypto';
import type { AnalysisResult, AnalysisRun, CleaningOptions } from '../../../shared/contract/analysis';
import type { SparkRunRecord } from '../../../shared/contract/spark';
import { isEmulatorHost, type SweepPoint } from '../../../shared/contract/sweep';
import type { DatasetVersionInfo } from '../../../shared/types';
import { planAnalyses, planColumns, runAnalyses } from '../analysis/runner';
import { loadDataset } from '../analysis/source';
import { saveRun } from '../analysis/store';
import type { Database } from '../db/database';
import type { JobContext } from '../jobs/manager';
import { runOnSpark, type SparkDeps } from '../spark/run';
import { versions } from '../system/versions';
import { median } from './answer';
import { startPeakMeter } from './memory';

export interface PointRequest {
  info: DatasetVersionInfo;
  size: string;
  analyses: string[] | undefined;
  cleaning: CleaningOptions;
  repeat: number;
  /** Reports a step inside the point (repetition, analysis). */
  step: (message: string) => void;
}

export async function polarsPoint(deps: { db: Database; home: string }, request: PointRequest, job: JobContext): Promise<SweepPoint> {
  const { info } = request;
  const plan = planAnalyses(info.columns, request.analyses);
  const runnable = plan.filter((p) => p.status === 'ok');
  const ids = planColumns(info.columns, runnable, request.cleaning).map((n) => info.columns.find((c) => c.name === n)!.identifier);
  const loads: number[] = [];
  const computes: number[] = [];
  const perAnalysis = new Map<string, number[]>();
  const runIds: string[] = [];
  let peak = 0;
  let rows = info.rows;
  for (let r = 1; r <= request.repeat; r++) {
    job.throwIfCancelled();
    request.step(`repetition ${r}/${request.repeat}: loading`);
    const startedAt = new Date();
    const meter = startPeakMeter();
    const loaded = await loadDataset(deps, info, ids, { snapshot: false, signal: job.signal });
    meter.sample();
    request.step(`repetition ${r}/${request.repeat}: analysing`);
    const ran = await runAnalyses({
      columns: info.columns,
      frame: loaded.frame,
      dictionaries: loaded.dictionaries,
      plan: runnable,
      cleaning: request.cleaning,
      signal: job.signal,
      onProgress: () => meter.sample(),
    });
    peak = Math.max(peak, meter.peak());
    rows = loaded.frame.height;
    loads.push(loaded.loadMs);
    computes.push(ran.computeMs);
    for (const res of ran.results)
      if (res.status === 'ok') perAnalysis.set(res.id, [...(perAnalysis.get(res.id) ?? []), res.timings.computeMs]);
    const run = toRun(info, request.cleaning, startedAt, loaded.loadMs, ran.prepareMs, ran.computeMs, rows, ran.results);
    await saveRun(deps.db, run);
    runIds.push(run.runId);
  }
  const samplesMs = loads.map((l, i) => l + computes[i]!);
  return {
    engine: 'polars',
    size: request.size,
    dataset: info.dataset,
    version: info.version,
    rows,
    loadMs: median(loads),
    computeMs: median(computes),
    totalMs: median(samplesMs),
    samplesMs,
    analysesMs: Object.fromEntries([...perAnalysis].map(([id, ms]) => [id, median(ms)])),
    peakRssBytes: peak,
    runIds,
  };
}

function toRun(
  info: DatasetVersionInfo,
  cleaning: CleaningOptions,
  startedAt: Date,
  loadMs: number,
  prepareMs: number,
  computeMs: number,
  rows: number,
  results: AnalysisResult[],
): AnalysisRun {
  const v = versions();
  return {
    runId: randomUUID(),
    engine: 'polars',
    dataset: info.dataset,
    version: info.version,
    startedAt: startedAt.toISOString(),
    cleaning,
    loadMs,
    loadSource: 'postgres',
    prepareMs,
    totalMs: loadMs + computeMs,
    rows,
    results,
    versions: { app: v.app.version, node: v.node, polars: v.polars },
  };
}

/** Local spark-submit is real Spark; a run against the emulator is not. */
export function isEmulated(run: Pick<SparkRunRecord, 'host' | 'compute'>): boolean {
  return run.compute !== 'local' && isEmulatorHost(run.host);
}

export async function sparkPoint(
  deps: SparkDeps,
  request: PointRequest & { compute?: string | undefined },
  job: JobContext,
): Promise<SweepPoint> {
  const { info } = request;
  // The Spark job reports its own phases; the sweep shows them as steps of this point.
  const inner: JobContext = {
    jobId: job.jobId,
    signal: job.signal,
    throwIfCancelled: () => job.throwIfCancelled(),
    progress: (p) => request.step(p.message ?? p.phase ?? ''),
  };
  const run = await runOnSpark(
    deps,
    {
      dataset: info.dataset,
      version: info.version,
      ...(request.compute ? { compute: request.compute } : {}),
      repeat: request.repeat,
      format: 'parquet',
      ...(request.analyses ? { analyses: request.analyses } : {}),
      params: {},
      cleaning: request.cleaning,
      compare: false,
    },
    inner,
  );
  const ok = run.analyses.filter((a) => a.status === 'ok');
  const loadMs = run.loadMs ?? 0;
  const reps = Math.max(0, ...ok.map((a) => a.samplesMs.length));
  const samplesMs = Array.from({ length: reps }, (_, i) => loadMs + ok.reduce((sum, a) => sum + (a.samplesMs[i] ?? a.sparkMs ?? 0), 0));
  const computeMs = ok.reduce((sum, a) => sum + (a.sparkMs ?? 0), 0);
  return {
    engine: 'spark',
    size: request.size,
    dataset: info.dataset,
    version: info.version,
    rows: run.rows ?? info.rows,
    loadMs,
    computeMs,
    totalMs: loadMs + computeMs,
    samplesMs: samplesMs.length ? samplesMs : [loadMs + computeMs],
    analysesMs: Object.fromEntries(ok.map((a) => [a.id, a.sparkMs ?? 0])),
    phases: run.phases,
    ...(isEmulated(run) ? { emulated: true } : {}),
    runIds: [run.id],
  };
}
