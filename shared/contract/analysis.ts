import { z } from 'zod';
import { ORIGINAL_CLEANING } from '../analyses/original-cleaning';
import type { ErrorData } from '../errors';
import type { ColumnType } from '../types';
import { job, request } from './define';

/** Cleaning options apply to every analysis of a run and are recorded with each result. */
export const cleaningOptions = z.object({
  /** Treat `Not Entered`, `Not Applicable`, `Unknown`, … as nulls. Original notebook: off. */
  sentinelsAsNull: z.boolean().default(false),
  /** Merge make codes such as CHEV/CHEVR into one brand. Original notebook: off. */
  mergeMakes: z.boolean().default(false),
  /** The original's drop of rows with a null in its seven columns. Original notebook: on. */
  dropOriginalNulls: z.boolean().default(true),
});
export type CleaningOptions = z.output<typeof cleaningOptions>;

export type ResultCellType = 'text' | 'integer' | 'float' | 'boolean';
export type ResultCell = string | number | boolean | null;

/** A result table: the unit every engine (Polars, Spark, the oracle) produces and compares. */
export interface ResultTable {
  columns: Array<{ name: string; type: ResultCellType }>;
  rows: ResultCell[][];
}

export interface AnalysisTimings {
  /** Getting the data into the engine (shared per run: attributed to the run, 0 here when shared). */
  loadMs: number;
  computeMs: number;
  totalMs: number;
}

export interface AnalysisResult {
  id: string;
  status: 'ok' | 'not-applicable' | 'failed';
  table: ResultTable | null;
  /** Why it is not applicable (missing columns) or failed. */
  reason?: string;
  error?: ErrorData;
  params: Record<string, unknown>;
  timings: AnalysisTimings;
  rowsIn: number;
  rowsOut: number;
  /** True when served from the result cache. */
  cached?: boolean;
}

export interface AnalysisRun {
  runId: string;
  engine: 'polars';
  dataset: string;
  version: number;
  /**
   * When the version read was imported (its `DatasetVersionInfo.importedAt`): a dataset deleted and
   * imported again starts at version 1 again, and runs are kept as history. Absent in runs saved
   * before it was recorded.
   */
  importedAt?: string;
  startedAt: string;
  cleaning: CleaningOptions;
  /** Load from PostgreSQL (or the snapshot) into Polars, once per run. */
  loadMs: number;
  /**
   * `cache`: every result came from the result cache, nothing was loaded. `import`: the frame the
   * import built from its own parse, proven equal to the committed table.
   */
  loadSource: 'postgres' | 'snapshot' | 'import' | 'cache';
  /** Cleaning and text encoding, once per run. */
  prepareMs?: number;
  totalMs: number;
  rows: number;
  results: AnalysisResult[];
  versions: Record<string, string>;
}

/**
 * What an `analysis/run` job reports in `progress.details` while it runs: every result finished
 * so far (cumulative, so a throttled or missed event loses nothing, and a page that comes back
 * to a running job gets them all from `job/list`), originals of the notebook first.
 */
export interface AnalysisRunProgress {
  dataset: string;
  version: number;
  cleaning: CleaningOptions;
  results: AnalysisResult[];
  /** The analysis being computed now, when one is. */
  current?: string;
  /** True while the results come from an import's frame whose proof has not answered yet. */
  provisional: boolean;
}

/** The run progress carried by a job's progress details, when it has one. */
export function analysisRunProgress(details: Record<string, unknown> | undefined): AnalysisRunProgress | null {
  const d = details as Partial<AnalysisRunProgress> | undefined;
  return d && typeof d.dataset === 'string' && Array.isArray(d.results) ? (d as AnalysisRunProgress) : null;
}

export interface AnalysisRunSummary {
  runId: string;
  dataset: string;
  version: number;
  importedAt?: string;
  startedAt: string;
  totalMs: number;
  analyses: number;
  failed: number;
}

/** Whether each catalog analysis applies to a dataset (its required columns and types are there). */
export interface Applicability {
  id: string;
  applicable: boolean;
  missing: Array<{ column: string; types?: ColumnType[] }>;
}

export const analysisMethods = {
  'analysis/applicable': request<Applicability[]>()(
    z.object({ dataset: z.string().min(1), version: z.number().int().positive().optional() }),
  ),
  'analysis/run': job<AnalysisRun>()(
    z.object({
      dataset: z.string().min(1),
      version: z.number().int().positive().optional(),
      /** Catalog ids; default: every applicable analysis. */
      analyses: z.array(z.string().min(1)).max(500).optional(),
      /** Parameters per analysis id. */
      params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      cleaning: cleaningOptions.default(ORIGINAL_CLEANING),
      /** Ignore cached results. */
      fresh: z.boolean().default(false),
    }),
  ),
  'analysis/runs': request<AnalysisRunSummary[]>()(
    z.object({ dataset: z.string().min(1).optional(), limit: z.number().int().min(1).max(500).default(50) }),
  ),
  'analysis/get-run': request<AnalysisRun>()(z.object({ runId: z.string().min(1) })),
};

export type { ErrorData };
