/**
 * Spark on Databricks: run the catalog's analyses as a PySpark job, follow it, and compare its
 * timings and results with Polars. Secrets never cross this contract (`spark/config` tells what is
 * configured, never a token).
 */
import { z } from 'zod';
import { ORIGINAL_CLEANING } from '../analyses/original-cleaning';
import type { ErrorData } from '../errors';
import { cleaningOptions, type CleaningOptions, type ResultTable } from './analysis';
import { job, request } from './define';

/** `serverless`, `cluster:<id>` (an existing cluster) or `local` (spark-submit on this machine). */
export const sparkCompute = z
  .string()
  .trim()
  .regex(/^(serverless|local|cluster:[A-Za-z0-9._-]+)$/, 'compute is serverless, local or cluster:<cluster id>');

export type SparkRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Spark's phases as Databricks reports them (task first, top level as fallback), in ms. */
export interface SparkPhases {
  queueMs: number | null;
  setupMs: number | null;
  executionMs: number | null;
  cleanupMs: number | null;
  /** Whole run as Databricks measured it. */
  runMs: number | null;
}

/** A first-differences entry of the results check (kept short: a few per analysis). */
export interface ResultDifference {
  /** What differs: a column, a row count, a cell. */
  where: string;
  spark: unknown;
  polars: unknown;
  message?: string;
}

export interface SparkAnalysisRecord {
  id: string;
  status: 'ok' | 'failed' | 'not-applicable';
  /** Each repetition's time, in ms (first run first). */
  samplesMs: number[];
  /** The figure compared with Polars: the median of the samples. */
  sparkMs: number | null;
  /** Polars compute time of the compared Polars run. */
  polarsMs: number | null;
  /** Null when there was nothing to compare (failed on one side, or no Polars result). */
  match: boolean | null;
  differences: ResultDifference[];
  rowsOut: number | null;
  error: string | null;
  errorTrace: string | null;
}

export interface SparkRunRecord {
  id: string;
  dataset: string;
  version: number;
  status: SparkRunStatus;
  compute: string;
  format: 'parquet' | 'csv';
  repeat: number;
  cleaning: CleaningOptions;
  host: string | null;
  databricksRunId: string | null;
  taskRunId: string | null;
  runPageUrl: string | null;
  lifeCycleState: string | null;
  resultState: string | null;
  stateMessage: string | null;
  phases: SparkPhases;
  /** Time the job spent reading the data (its load action). */
  loadMs: number | null;
  startedAt: string;
  finishedAt: string | null;
  /** Where the dataset went and whether the upload was skipped. */
  storage: {
    kind: 'volume' | 'dbfs' | 'local';
    root: string;
    datasetPath: string;
    bytes: number;
    uploadSkipped: boolean;
    fallbackReason?: string;
  } | null;
  /** Cluster or serverless details (cluster id, node type, workers, Spark version). */
  cluster: Record<string, string | number | boolean | null>;
  /** Spark, Python, Databricks runtime versions as the job read them. */
  runtime: Record<string, string | null>;
  /**
   * Whether the job's analyses read Spark's cached data (a classic cluster) or the file again each
   * time (serverless refuses `cache()`); Polars times exclude the load. Null when not reported.
   */
  dataCached: boolean | null;
  rows: number | null;
  bytes: number | null;
  polarsRunId: string | null;
  verdict: { compared: number; matched: number; mismatched: number; notCompared: number } | null;
  analyses: SparkAnalysisRecord[];
  error: ErrorData | null;
  errorTrace: string | null;
}

export type SparkRunSummary = Omit<SparkRunRecord, 'analyses'> & { analysisCount: number; failedCount: number };

/** One Polars run's timings, for the view's history and the comparison. */
export interface PolarsTimingRun {
  runId: string;
  dataset: string;
  version: number;
  startedAt: string;
  loadMs: number;
  totalMs: number;
  rows: number;
  cleaning: CleaningOptions;
  versions: Record<string, string>;
  analyses: Array<{ id: string; status: 'ok' | 'not-applicable' | 'failed'; computeMs: number; error?: string }>;
}

/** Everything the Spark-vs-Polars view draws for a dataset. */
export interface SparkComparison {
  dataset: string | null;
  spark: SparkRunRecord[];
  polars: PolarsTimingRun[];
  machine: { os: string; arch: string; cpus: number; memoryBytes: number; node: string; polars: string };
}

export interface SparkLocalStatus {
  available: boolean;
  sparkSubmit: string | null;
  /** Why local Spark is not offered. */
  reason: string | null;
}

/** The Databricks connection the engine would use, as the settings and the Spark page show it (no secret). */
export interface DatabricksConfigView {
  configured: boolean;
  host?: string;
  auth?: 'token' | 'oauth-m2m';
  source?: string;
  profile?: string | null;
  clusterId?: string | null;
  volume?: string;
  dbfsDir?: string;
  workspaceDir?: string;
  taskKind?: 'notebook' | 'python';
  /** Profiles found in the config file (names only). */
  profiles: string[];
  configFile: string;
  /** Why it is not configured, or what is wrong with it. */
  problem?: string;
}

export interface SparkConfigInfo extends DatabricksConfigView {
  local: SparkLocalStatus;
  /** The compute a run uses when none is given. */
  defaultCompute: string | null;
}

export interface SparkConnectionTest {
  ok: boolean;
  host: string | null;
  auth: 'token' | 'oauth-m2m' | null;
  source: string | null;
  /** Where uploads would go (volume, or DBFS after fallback). */
  storage: { kind: 'volume' | 'dbfs'; root: string; fallbackReason?: string } | null;
  ms: number;
  error: ErrorData | null;
}

export interface SparkResultTables {
  runId: string;
  analysis: string;
  spark: ResultTable | null;
  polars: ResultTable | null;
  differences: ResultDifference[];
}

const datasetName = z.string().trim().min(1).max(120);

export const sparkRunRequest = z.object({
  dataset: datasetName,
  version: z.number().int().positive().optional(),
  /** Default: the configured cluster id, else serverless. */
  compute: sparkCompute.optional(),
  /** A `~/.databrickscfg` profile for this run. */
  profile: z.string().trim().min(1).max(200).optional(),
  /** Each analysis runs this many times inside the job (first vs warm). */
  repeat: z.number().int().min(1).max(50).default(1),
  format: z.enum(['parquet', 'csv']).default('parquet'),
  /** Catalog ids; default: every applicable analysis. */
  analyses: z.array(z.string().min(1)).max(500).optional(),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  cleaning: cleaningOptions.default(ORIGINAL_CLEANING),
  /** Compare with Polars (running Polars when no matching run exists). */
  compare: z.boolean().default(true),
});

export const sparkMethods = {
  'spark/run': job<SparkRunRecord>()(sparkRunRequest),
  'spark/runs': request<SparkRunSummary[]>()(
    z.object({ dataset: datasetName.optional(), limit: z.number().int().min(1).max(500).default(50) }),
  ),
  'spark/get-run': request<SparkRunRecord>()(z.object({ runId: z.string().min(1).max(100) })),
  /** One analysis' result tables from both engines, with the stored differences. */
  'spark/result-tables': request<SparkResultTables>()(
    z.object({ runId: z.string().min(1).max(100), analysis: z.string().min(1).max(200) }),
  ),
  'spark/compare': request<SparkComparison>()(
    z.object({ dataset: datasetName.optional(), limit: z.number().int().min(1).max(200).default(20) }),
  ),
  'spark/test': request<SparkConnectionTest>()(z.object({ profile: z.string().trim().min(1).max(200).optional() }).default({})),
  'spark/config': request<SparkConfigInfo>()(z.object({ profile: z.string().trim().min(1).max(200).optional() }).default({})),
};
