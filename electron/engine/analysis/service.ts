/**
 * The `analysis/run` job: plan, serve what the result cache holds, load only the columns the
 * rest needs (the import's frame, the snapshot or PostgreSQL), run the notebook's originals
 * first and stream each result in the job's progress, cache the new results and persist the run.
 * Results computed on an import's frame are provisional until the frame is proven equal to the
 * committed table; if it is not, they are thrown away and computed again from PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { AnalysisResult, AnalysisRun, AnalysisRunProgress, CleaningOptions } from '../../../shared/contract/analysis';
import type { JobProgress } from '../../../shared/contract/jobs';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Catalog } from '../catalog/catalog';
import type { Database } from '../db/database';
import type { JobContext } from '../jobs/manager';
import { versions } from '../system/versions';
import { planAnalyses, planColumns, runAnalyses, type PlannedAnalysis } from './runner';
import { pruneSnapshots } from './snapshot';
import { loadDataset, type DatasetFrame } from './source';
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
  catalog: Catalog;
}

export async function runAnalysisJob(deps: ServiceDeps, request: RunRequest, job: JobContext): Promise<AnalysisRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  const { catalog } = deps;
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
  // Streamed in the job's progress: cached results at once, then each one as it is computed.
  const ready: AnalysisResult[] = plan.flatMap((p) => {
    const hit = p.status === 'ok' ? cached.get(keys.get(p)!) : undefined;
    return hit ? [{ ...hit, cached: true }] : [];
  });
  const cachedCount = ready.length;
  let provisional = false;
  let releaseImportFrame: (() => void) | undefined;
  let current: string | undefined;
  let step: JobProgress = { phase: 'load', message: 'Loading the dataset into Polars', done: 0, total: info.rows, unit: 'rows' };
  const report = (next?: JobProgress) => {
    if (next) step = next;
    const details: AnalysisRunProgress = {
      dataset: info.dataset,
      version: info.version,
      cleaning,
      results: [...ready],
      provisional,
    };
    if (current) details.current = current;
    job.progress({ ...step, details: details as unknown as Record<string, unknown> });
  };
  if (toRun.length) {
    // The original notebook's analyses first: they are what the user waits for.
    const ordered = [...toRun.filter((p) => p.spec.original), ...toRun.filter((p) => !p.spec.original)];
    const names = planColumns(info.columns, toRun, cleaning);
    const ids = names.map((n) => info.columns.find((c) => c.name === n)!.identifier);
    const compute = async (loaded: DatasetFrame) => {
      loadMs += loaded.loadMs;
      loadSource = loaded.source;
      rows = loaded.frame.height;
      provisional = loaded.proven !== undefined;
      job.throwIfCancelled();
      // The originals the import already computed on this frame (same cleaning, same parameters).
      const early = await earlyResults(loaded, ordered, cleaning);
      for (const r of early.values()) ready.push(r);
      if (early.size) report();
      const rest = ordered.filter((p) => !early.has(p.spec.id));
      const ran = rest.length
        ? await runAnalyses({
            columns: info.columns,
            frame: loaded.frame,
            dictionaries: loaded.dictionaries,
            plan: rest,
            cleaning,
            signal: job.signal,
            onResult: (r) => {
              ready.push(r);
              report();
            },
            onProgress: (p) => {
              current = p.id || undefined;
              report({ phase: 'analyze', message: p.id ? `Running ${p.id}` : 'Done', done: p.done, total: p.total, unit: 'analyses' });
            },
          })
        : { results: [], prepareMs: 0 };
      prepareMs = ran.prepareMs;
      return [...early.values(), ...ran.results];
    };
    const load = () =>
      loadDataset(deps, info, ids, {
        signal: job.signal,
        onProgress: (p) =>
          report({ phase: 'load', message: 'Loading from PostgreSQL', done: p.rows, total: info.rows, unit: 'rows', rows: p.rows }),
      });
    report();
    const first = await load();
    // The import's frame becomes the snapshot once this run has answered.
    if (first.release) releaseImportFrame = first.release;
    let results = await compute(first);
    current = undefined;
    if (first.proven) {
      report({ phase: 'prove', message: 'Checking the imported data against PostgreSQL', done: 0, total: 1, unit: 'items' });
      const proven = await first.proven;
      job.throwIfCancelled();
      if (!proven) {
        // The frame differed from the committed table: its results are thrown away.
        ready.length = cachedCount;
        provisional = false;
        report({ phase: 'load', message: 'Loading from PostgreSQL', done: 0, total: info.rows, unit: 'rows' });
        results = await compute(await load());
      }
      provisional = false;
    }
    for (const r of results) computed.set(r.id, r);
    await writeCache(
      deps.db,
      info.table,
      results.filter((r) => r.status === 'ok').map((r) => ({ key: keys.get(toRun.find((p) => p.spec.id === r.id)!)!, result: r })),
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
    importedAt: info.importedAt,
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
  if (releaseImportFrame) setImmediate(releaseImportFrame);
  return run;
}

/** The early run's results that answer these planned analyses, by id (none for other cleaning options). */
async function earlyResults(
  loaded: DatasetFrame,
  plan: PlannedAnalysis[],
  cleaning: CleaningOptions,
): Promise<Map<string, AnalysisResult>> {
  const out = new Map<string, AnalysisResult>();
  if (!loaded.early || !sameCleaning(loaded.early.cleaning, cleaning)) return out;
  const results = await loaded.early.results;
  if (!results) return out;
  for (const p of plan) {
    const r = results.find((x) => x.id === p.spec.id);
    if (r?.status === 'ok' && JSON.stringify(r.params) === JSON.stringify(p.params)) out.set(p.spec.id, r);
  }
  return out;
}

function sameCleaning(a: CleaningOptions, b: CleaningOptions): boolean {
  return a.sentinelsAsNull === b.sentinelsAsNull && a.mergeMakes === b.mergeMakes && a.dropOriginalNulls === b.dropOriginalNulls;
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
