/**
 * What passes between the app and the PySpark job (resources/spark/sparkpolar_job.py): the plan
 * the app uploads as JSON, and the result document the job writes back. The emulator writes the
 * same document, so the app cannot tell them apart except by `runtime.engine`.
 */
import { z } from 'zod';
import type { AnalysisOp, AnalysisStage } from '../../../shared/analyses';
import type { CleaningOptions, ResultTable } from '../../../shared/contract/analysis';
import type { ColumnType } from '../../../shared/types';

export const PLAN_FORMAT = 'sparkpolar-spark-plan';
export const RESULT_FORMAT = 'sparkpolar-spark-result';

export interface PlanColumn {
  /** Physical name in the uploaded file (`c00`, `c01`, …): safe for any Spark reader. */
  file: string;
  /** Display name, as the catalog and the analyses name it. */
  name: string;
  type: ColumnType;
}

export interface PlanAnalysis {
  id: string;
  /** Resolved parameters (shared/analyses.ts `resolveParams`). */
  params: Record<string, unknown>;
  /** The catalog's definition, so the job follows the one source of truth. */
  stage: AnalysisStage;
  op: AnalysisOp;
}

export interface SparkJobPlan {
  format: typeof PLAN_FORMAT;
  version: 1;
  /** Unique per submission; also names the run folder. */
  runTag: string;
  dataset: string;
  datasetVersion: number;
  input: { path: string; format: 'parquet' | 'csv'; rows: number; bytes: number; sha256: string };
  /** Where the job writes its result document. */
  output: string;
  columns: PlanColumn[];
  cleaning: CleaningOptions;
  /** Each analysis runs this many times; the first run's table is the result. */
  repeat: number;
  analyses: PlanAnalysis[];
  /** Vocabulary from the catalog (shared/analyses.ts). */
  constants: {
    sentinels: readonly string[];
    makeBrands: Readonly<Record<string, string>>;
    otherLabel: string;
    originalNullDropColumns: string[];
    /** Result names of the derived dimensions. */
    dimensionNames: Record<string, string>;
  };
}

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const resultTable = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.enum(['text', 'integer', 'float', 'boolean']) })),
  rows: z.array(z.array(cell)),
});

export const sparkJobResultSchema = z.object({
  format: z.literal(RESULT_FORMAT),
  version: z.literal(1),
  runTag: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  runtime: z.record(z.string(), z.union([z.string(), z.null()])).default({}),
  compute: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  input: z.object({ path: z.string(), format: z.string(), rows: z.number().nullable().optional() }).passthrough(),
  load: z.object({ ms: z.number() }),
  repeat: z.number().int().min(1),
  analyses: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['ok', 'failed', 'not-applicable']),
      samplesMs: z.array(z.number()),
      table: resultTable.nullable(),
      rowsIn: z.number().nullable().optional(),
      rowsOut: z.number().nullable().optional(),
      reason: z.string().nullable().optional(),
      error: z.object({ type: z.string().optional(), message: z.string(), trace: z.string().nullable().optional() }).nullable().optional(),
    }),
  ),
  totalMs: z.number(),
});

export type SparkJobResult = z.output<typeof sparkJobResultSchema>;
export type SparkJobAnalysisResult = SparkJobResult['analyses'][number];
export type { ResultTable };
