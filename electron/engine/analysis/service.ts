/**
 * The `analysis/run` job: plan, serve what the result cache holds, load only the columns the
 * rest needs (snapshot or PostgreSQL), run, cache the new results and persist the run.
 */
import { randomUUID } from 'node:crypto';
import type { AnalysisResult, AnalysisRun, CleaningOptions } from '../../../shared/contract/analysis';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { Catalog } from '../datasets/catalog';
import type { JobContext } from '../jobs/manager';
import { versions } from '../system/versions';
import { planAnalyses, planColumns, runAnalyses, type PlannedAnalysis } from './runner';
import { pruneSnapshots } from './snapshot';
import { loadDataset } from './source';
import { cacheKey, readCache, saveRun, writeCache } from './store';

export interface RunRequest {
  dataset: string;
  version?: number | undefined;
  analyses?: string[] | undefined;
  params: Record<string, Record<string, unknown>>;
  cleaning: CleaningOptions;
  fresh: boolean;
}

export interface ServiceDeps {
  db: Database;
  home: string;
}

export async function runAnalysisJob(deps: ServiceDeps, request: RunRequest, job: JobContext): Promise<AnalysisRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const catalog = new Catalog(deps.db);
  const info = await catalog.get(request.dataset, request.version);
  // Snapshots of versions that no longer exist (deleted or re-imported) are removed here.
  pruneSnapshots(
    deps.home,
    info.dataset,
    (await catalog.versions(info.dataset)).map((v) => v.table),
  );
  const plan = planAnalyses(info.columns, request.analyses, request.params);
  const cleaning = request.cleaning;
  const keys = new Map<PlannedAnalysis, string>();
  for (const p of plan) if (p.status === 'ok') keys.set(p, cacheKey(info, p.spec, p.params, cleaning));
  const cached = request.fresh ? new Map<string, AnalysisResult>() : await readCache(deps.db, [...keys.values()]);
  const toRun = plan.filter((p) => p.status === 'ok' && !cached.has(keys.get(p)!));
  job.throwIfCancelled();

  let loadMs = 0;
  let prepareMs = 0;
  let loadSource: AnalysisRun['loadSource'] = 'cache';
  let rows = info.rows;
  const computed = new Map<string, AnalysisResult>();
  if (toRun.length) {
    const names = planColumns(info.columns, toRun, cleaning);
    const ids = names.map((n) => info.columns.find((c) => c.name === n)!.identifier);
    job.progress({ phase: 'load', message: 'Loading the dataset into Polars', done: 0, total: info.rows, unit: 'rows' });
    const loaded = await loadDataset(deps, info, ids, {
      signal: job.signal,
      onProgress: (p) =>
        job.progress({ phase: 'load', message: 'Loading from PostgreSQL', done: p.rows, total: info.rows, unit: 'rows', rows: p.rows }),
    });
    loadMs = loaded.loadMs;
    loadSource = loaded.source;
    rows = loaded.frame.height;
    job.throwIfCancelled();
    const ran = await runAnalyses({
      columns: info.columns,
      frame: loaded.frame,
      dictionaries: loaded.dictionaries,
      plan: toRun,
      cleaning,
      signal: job.signal,
      onProgress: (p) =>
        job.progress({
          phase: 'analyze',
          message: p.id ? `Running ${p.id}` : 'Done',
          done: p.done,
          total: p.total,
          unit: 'analyses',
          details: { id: p.id },
        }),
    });
    prepareMs = ran.prepareMs;
    for (const r of ran.results) computed.set(r.id, r);
    await writeCache(
      deps.db,
      info.table,
      ran.results.filter((r) => r.status === 'ok').map((r) => ({ key: keys.get(toRun.find((p) => p.spec.id === r.id)!)!, result: r })),
    );
  }

  const results: AnalysisResult[] = plan.map((p) => {
    if (p.status !== 'ok') return notRun(p);
    const hit = cached.get(keys.get(p)!);
    if (hit && !computed.has(p.spec.id)) return { ...hit, cached: true };
    return computed.get(p.spec.id)!;
  });
  const run: AnalysisRun = {
    runId: randomUUID(),
    engine: 'polars',
    dataset: info.dataset,
    version: info.version,
    startedAt: startedAt.toISOString(),
    cleaning,
    loadMs,
    loadSource,
    prepareMs,
    totalMs: performance.now() - t0,
    rows,
    results,
    versions: runVersions(),
  };
  await saveRun(deps.db, run);
  return run;
}

function notRun(p: PlannedAnalysis): AnalysisResult {
  const r: AnalysisResult = {
    id: p.spec.id,
    status: p.status,
    table: null,
    params: p.params,
    timings: { loadMs: 0, computeMs: 0, totalMs: 0 },
    rowsIn: 0,
    rowsOut: 0,
  };
  if (p.reason) r.reason = p.reason;
  if (p.error) r.error = p.error;
  return r;
}

function runVersions(): Record<string, string> {
  const v = versions();
  return { app: v.app.version, node: v.node, polars: v.polars };
}

export type { DatasetVersionInfo };
