/**
 * Persistence of analysis runs (studio.analysis_runs) and of the result cache
 * (studio.analysis_cache). Other domains (Spark, Storage) read runs through `getRun`.
 */
import { createHash } from 'node:crypto';
import type { AnalysisResult, AnalysisRun, AnalysisRunSummary, CleaningOptions } from '../../../shared/contract/analysis';
import type { AnalysisSpec, ResolvedParams } from '../../../shared/analyses';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { cleaningThatMatters } from './prepare';

/** Bump when the meaning of a result changes, so old cache entries stop matching. */
export const RESULT_SEMANTICS_VERSION = 1;

/** The cache key: dataset version, analysis, resolved parameters and the cleaning options that can change the result. */
export function cacheKey(info: DatasetVersionInfo, spec: AnalysisSpec, params: ResolvedParams, cleaning: CleaningOptions): string {
  const identity = {
    s: RESULT_SEMANTICS_VERSION,
    table: info.table,
    importedAt: info.importedAt,
    rows: info.rows,
    id: spec.id,
    params: sortKeys(params),
    cleaning: sortKeys(cleaningThatMatters(spec, params, info.columns, cleaning)),
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export async function readCache(db: Database, keys: string[]): Promise<Map<string, AnalysisResult>> {
  const out = new Map<string, AnalysisResult>();
  if (!keys.length) return out;
  const { rows } = await db.query<{ cache_key: string; result: AnalysisResult }>(
    'SELECT cache_key, result FROM studio.analysis_cache WHERE cache_key = ANY($1)',
    [keys],
  );
  for (const r of rows) out.set(r.cache_key, r.result);
  return out;
}

export async function writeCache(db: Database, table: string, entries: Array<{ key: string; result: AnalysisResult }>): Promise<void> {
  if (!entries.length) return;
  await db.query(
    `INSERT INTO studio.analysis_cache (cache_key, table_name, analysis, result)
     SELECT k, $1, a, r FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS t(k, a, r)
     ON CONFLICT (cache_key) DO UPDATE SET result = excluded.result, created_at = now()`,
    [table, entries.map((e) => e.key), entries.map((e) => e.result.id), entries.map((e) => JSON.stringify(e.result))],
  );
}

export async function saveRun(db: Database, run: AnalysisRun): Promise<void> {
  await db.query(
    `INSERT INTO studio.analysis_runs (run_id, dataset, version, started_at, total_ms, analyses, failed, run) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      run.runId,
      run.dataset,
      run.version,
      run.startedAt,
      run.totalMs,
      run.results.length,
      run.results.filter((r) => r.status === 'failed').length,
      JSON.stringify(run),
    ],
  );
}

export async function getRun(db: Database, runId: string): Promise<AnalysisRun> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(runId);
  const { rows } = uuid
    ? await db.query<{ run: AnalysisRun }>('SELECT run FROM studio.analysis_runs WHERE run_id = $1', [runId])
    : { rows: [] };
  if (!rows[0]) throw new StudioError('NOT_FOUND', `No analysis run "${runId}".`, { runId });
  return rows[0].run;
}

export async function listRuns(db: Database, dataset: string | undefined, limit: number): Promise<AnalysisRunSummary[]> {
  const { rows } = await db.query<{
    run_id: string;
    dataset: string;
    version: number;
    imported_at: string | null;
    started_at: Date;
    total_ms: number;
    analyses: number;
    failed: number;
  }>(
    `SELECT run_id, dataset, version, run->>'importedAt' AS imported_at, started_at, total_ms, analyses, failed FROM studio.analysis_runs
     WHERE $1::text IS NULL OR dataset = $1 ORDER BY started_at DESC LIMIT $2`,
    [dataset ?? null, limit],
  );
  return rows.map((r) => ({
    runId: r.run_id,
    dataset: r.dataset,
    version: r.version,
    ...(r.imported_at === null ? {} : { importedAt: r.imported_at }),
    startedAt: r.started_at.toISOString(),
    totalMs: r.total_ms,
    analyses: r.analyses,
    failed: r.failed,
  }));
}
