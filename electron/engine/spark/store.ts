/** Spark runs in PostgreSQL (studio.spark_runs, studio.spark_run_analyses; migration 400). */
import type { ResultTable } from '../../../shared/contract/analysis';
import type { ResultDifference, SparkAnalysisRecord, SparkRunRecord, SparkRunSummary } from '../../../shared/contract/spark';
import type { ErrorData } from '../../../shared/errors';
import { StudioError } from '../../../shared/errors';
import type { Database } from '../db/database';

interface RunRow {
  id: string;
  dataset: string;
  dataset_version: number;
  status: SparkRunRecord['status'];
  compute: string;
  format: 'parquet' | 'csv';
  repeat: number;
  cleaning: SparkRunRecord['cleaning'];
  host: string | null;
  databricks_run_id: string | null;
  task_run_id: string | null;
  run_page_url: string | null;
  life_cycle_state: string | null;
  result_state: string | null;
  state_message: string | null;
  queue_ms: number | null;
  setup_ms: number | null;
  execution_ms: number | null;
  cleanup_ms: number | null;
  run_ms: number | null;
  load_ms: number | null;
  started_at: Date;
  finished_at: Date | null;
  storage: SparkRunRecord['storage'];
  cluster: SparkRunRecord['cluster'];
  runtime: SparkRunRecord['runtime'];
  rows: number | null;
  bytes: number | null;
  polars_run_id: string | null;
  verdict: SparkRunRecord['verdict'];
  error: ErrorData | null;
  error_trace: string | null;
  analysis_count?: number;
  failed_count?: number;
}

interface AnalysisRow {
  analysis_id: string;
  status: SparkAnalysisRecord['status'];
  samples_ms: number[];
  spark_ms: number | null;
  polars_ms: number | null;
  match: boolean | null;
  differences: ResultDifference[];
  rows_out: number | null;
  error: string | null;
  error_trace: string | null;
}

/** Columns a run patch may set, by record field. */
const RUN_FIELDS = {
  status: 'status',
  host: 'host',
  databricksRunId: 'databricks_run_id',
  taskRunId: 'task_run_id',
  runPageUrl: 'run_page_url',
  lifeCycleState: 'life_cycle_state',
  resultState: 'result_state',
  stateMessage: 'state_message',
  loadMs: 'load_ms',
  finishedAt: 'finished_at',
  storage: 'storage',
  cluster: 'cluster',
  runtime: 'runtime',
  rows: 'rows',
  bytes: 'bytes',
  sha256: 'sha256',
  polarsRunId: 'polars_run_id',
  verdict: 'verdict',
  error: 'error',
  errorTrace: 'error_trace',
  analysisIds: 'analysis_ids',
} as const;

const JSON_COLUMNS = new Set(['storage', 'cluster', 'runtime', 'verdict', 'error', 'analysis_ids']);

export type RunPatch = Partial<Omit<SparkRunRecord, 'phases' | 'analyses'>> & {
  phases?: Partial<SparkRunRecord['phases']>;
  sha256?: string | null;
  analysisIds?: string[];
};

export interface StoredAnalysis extends SparkAnalysisRecord {
  position: number;
  result: ResultTable | null;
  polarsResult: ResultTable | null;
}

function toRecord(row: RunRow, analyses: SparkAnalysisRecord[]): SparkRunRecord {
  return {
    id: row.id,
    dataset: row.dataset,
    version: row.dataset_version,
    status: row.status,
    compute: row.compute,
    format: row.format,
    repeat: row.repeat,
    cleaning: row.cleaning,
    host: row.host,
    databricksRunId: row.databricks_run_id,
    taskRunId: row.task_run_id,
    runPageUrl: row.run_page_url,
    lifeCycleState: row.life_cycle_state,
    resultState: row.result_state,
    stateMessage: row.state_message,
    phases: { queueMs: row.queue_ms, setupMs: row.setup_ms, executionMs: row.execution_ms, cleanupMs: row.cleanup_ms, runMs: row.run_ms },
    loadMs: row.load_ms,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    storage: row.storage,
    cluster: row.cluster ?? {},
    runtime: row.runtime ?? {},
    dataCached: row.runtime?.cached === 'true' ? true : row.runtime?.cached === 'false' ? false : null,
    rows: row.rows,
    bytes: row.bytes,
    polarsRunId: row.polars_run_id,
    verdict: row.verdict,
    analyses,
    error: row.error,
    errorTrace: row.error_trace,
  };
}

function toAnalysis(row: AnalysisRow): SparkAnalysisRecord {
  return {
    id: row.analysis_id,
    status: row.status,
    samplesMs: row.samples_ms ?? [],
    sparkMs: row.spark_ms,
    polarsMs: row.polars_ms,
    match: row.match,
    differences: row.differences ?? [],
    rowsOut: row.rows_out,
    error: row.error,
    errorTrace: row.error_trace,
  };
}

export class SparkRunStore {
  constructor(private readonly db: Database) {}

  async create(run: {
    id: string;
    dataset: string;
    version: number;
    compute: string;
    format: 'parquet' | 'csv';
    repeat: number;
    cleaning: SparkRunRecord['cleaning'];
    analysisIds: string[];
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO studio.spark_runs (id, dataset, dataset_version, status, compute, format, repeat, cleaning, analysis_ids)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8)`,
      [
        run.id,
        run.dataset,
        run.version,
        run.compute,
        run.format,
        run.repeat,
        JSON.stringify(run.cleaning),
        JSON.stringify(run.analysisIds),
      ],
    );
  }

  async update(id: string, patch: RunPatch): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      values.push(JSON_COLUMNS.has(column) && value !== null && value !== undefined ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}`);
    };
    for (const [field, column] of Object.entries(RUN_FIELDS)) {
      if (field in patch) set(column, (patch as Record<string, unknown>)[field] ?? null);
    }
    if (patch.phases) {
      const p = patch.phases;
      if ('queueMs' in p) set('queue_ms', p.queueMs);
      if ('setupMs' in p) set('setup_ms', p.setupMs);
      if ('executionMs' in p) set('execution_ms', p.executionMs);
      if ('cleanupMs' in p) set('cleanup_ms', p.cleanupMs);
      if ('runMs' in p) set('run_ms', p.runMs);
    }
    if (!sets.length) return;
    await this.db.query(`UPDATE studio.spark_runs SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  async saveAnalyses(id: string, analyses: StoredAnalysis[]): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM studio.spark_run_analyses WHERE spark_run_id = $1', [id]);
      for (const a of analyses) {
        await client.query(
          `INSERT INTO studio.spark_run_analyses
             (spark_run_id, analysis_id, position, status, samples_ms, spark_ms, polars_ms, match, differences, rows_out, result, polars_result, error, error_trace)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            id,
            a.id,
            a.position,
            a.status,
            JSON.stringify(a.samplesMs),
            a.sparkMs,
            a.polarsMs,
            a.match,
            JSON.stringify(a.differences),
            a.rowsOut,
            a.result ? JSON.stringify(a.result) : null,
            a.polarsResult ? JSON.stringify(a.polarsResult) : null,
            a.error,
            a.errorTrace,
          ],
        );
      }
    });
  }

  async get(id: string): Promise<SparkRunRecord> {
    const { rows } = await this.db.query<RunRow>('SELECT * FROM studio.spark_runs WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new StudioError('NOT_FOUND', `No Spark run ${id}.`, { runId: id });
    const analyses = await this.db.query<AnalysisRow>('SELECT * FROM studio.spark_run_analyses WHERE spark_run_id = $1 ORDER BY position', [
      id,
    ]);
    return toRecord(row, analyses.rows.map(toAnalysis));
  }

  async tables(
    id: string,
    analysis: string,
  ): Promise<{ spark: ResultTable | null; polars: ResultTable | null; differences: ResultDifference[] }> {
    const { rows } = await this.db.query<{
      result: ResultTable | null;
      polars_result: ResultTable | null;
      differences: ResultDifference[];
    }>('SELECT result, polars_result, differences FROM studio.spark_run_analyses WHERE spark_run_id = $1 AND analysis_id = $2', [
      id,
      analysis,
    ]);
    const row = rows[0];
    if (!row) throw new StudioError('NOT_FOUND', `Spark run ${id} has no analysis ${analysis}.`, { runId: id, analysis });
    return { spark: row.result, polars: row.polars_result, differences: row.differences ?? [] };
  }

  async list(dataset: string | undefined, limit: number): Promise<SparkRunSummary[]> {
    const { rows } = await this.db.query<RunRow>(
      `SELECT r.*,
              (SELECT count(*) FROM studio.spark_run_analyses a WHERE a.spark_run_id = r.id)::int AS analysis_count,
              (SELECT count(*) FROM studio.spark_run_analyses a WHERE a.spark_run_id = r.id AND a.status = 'failed')::int AS failed_count
       FROM studio.spark_runs r
       WHERE ($1::text IS NULL OR r.dataset = $1)
       ORDER BY r.started_at DESC
       LIMIT $2`,
      [dataset ?? null, limit],
    );
    return rows.map((row) => {
      const { analyses: _omit, ...rest } = toRecord(row, []);
      return { ...rest, analysisCount: row.analysis_count ?? 0, failedCount: row.failed_count ?? 0 };
    });
  }

  /** Full records of the latest runs (for the comparison view). */
  async recent(dataset: string | undefined, limit: number): Promise<SparkRunRecord[]> {
    const summaries = await this.list(dataset, limit);
    return Promise.all(summaries.map((s) => this.get(s.id)));
  }
}
