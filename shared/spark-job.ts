/**
 * What passes between the app and the PySpark job (resources/spark/sparkpolar_job.py), described
 * once: the plan the app uploads as JSON, and the result document the job writes back. The app
 * parses results with it, the Databricks emulator validates both with it, and
 * `shared/spark-job.schema.json` (generated from it by `node --import tsx tools/spark-job-schema.ts`,
 * kept up to date by a test) lets the job's pytest suite check the job's documents without Node.
 */
import { z } from 'zod';

export const PLAN_FORMAT = 'sparkpolar-spark-plan';
export const RESULT_FORMAT = 'sparkpolar-spark-result';

const columnType = z.enum(['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text']);
const stage = z.enum(['raw', 'prepared', 'cleaned']);
const opKind = z.enum([
  'counts',
  'schema',
  'head',
  'describe',
  'nulls',
  'sentinels',
  'null-drop',
  'duplicates',
  'duplicate-values',
  'out-of-range',
  'make-merge',
  'group-count',
  'trend',
  'correlation',
  'cramers-v',
  'profile',
  'histogram',
  'value-counts',
  'group-by',
  'generic-correlation',
]);

export const planColumnSchema = z.object({
  /** Physical name in the uploaded file (`c00`, `c01`, …): safe for any Spark reader. */
  file: z.string().min(1),
  /** Display name, as the catalog and the analyses name it. */
  name: z.string().min(1),
  type: columnType,
});

export const planAnalysisSchema = z.object({
  id: z.string().min(1),
  /** Resolved parameters (shared/analyses/params.ts `resolveParams`). */
  params: z.record(z.string(), z.unknown()),
  /** The catalog's definition, so the job follows the one source of truth. */
  stage,
  op: z.looseObject({ kind: opKind }),
});

export const sparkJobPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(1),
  /** Unique per submission; also names the run folder. */
  runTag: z.string().regex(/^[A-Za-z0-9._-]+$/),
  dataset: z.string(),
  datasetVersion: z.number().int().min(1),
  input: z.object({
    path: z.string().min(1),
    format: z.enum(['parquet', 'csv']),
    rows: z.number().int().min(0),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** Where the job writes its result document. */
  output: z.string().min(1),
  columns: z.array(planColumnSchema).min(1),
  cleaning: z.object({ sentinelsAsNull: z.boolean(), mergeMakes: z.boolean(), dropOriginalNulls: z.boolean() }),
  /** Each analysis runs this many times; the first run's table is the result. */
  repeat: z.number().int().min(1).max(100),
  analyses: z.array(planAnalysisSchema),
  /** Vocabulary from the catalog (shared/analyses/crash.ts). */
  constants: z.object({
    sentinels: z.array(z.string()),
    makeBrands: z.record(z.string(), z.string()),
    otherLabel: z.string(),
    originalNullDropColumns: z.array(z.string()),
    /** Result names of the derived dimensions. */
    dimensionNames: z.record(z.string(), z.string()),
  }),
});

/** A result cell: JSON has no NaN or infinity, so a non-finite number travels as null. */
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const resultTableSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.enum(['text', 'integer', 'float', 'boolean']) })),
  rows: z.array(z.array(cell)),
});

export const sparkJobAnalysisResultSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'failed', 'not-applicable']),
  /** Each repetition's time in ms, first run first. */
  samplesMs: z.array(z.number().min(0)),
  table: resultTableSchema.nullable(),
  rowsIn: z.number().nullable().optional(),
  rowsOut: z.number().nullable().optional(),
  reason: z.string().nullable().optional(),
  error: z.object({ type: z.string().optional(), message: z.string(), trace: z.string().nullable().optional() }).nullable().optional(),
});

export const sparkJobResultSchema = z.object({
  format: z.literal(RESULT_FORMAT),
  version: z.literal(1),
  runTag: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  runtime: z.record(z.string(), z.union([z.string(), z.null()])).default({}),
  compute: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  input: z.looseObject({ path: z.string(), format: z.string(), rows: z.number().nullable().optional() }),
  load: z.object({
    ms: z.number().min(0),
    /**
     * Whether the analyses read the data from Spark's cache (a classic cluster) or re-read the file
     * each time (serverless refuses `cache()`): timings are only comparable knowing which.
     */
    cached: z.boolean().optional(),
  }),
  repeat: z.number().int().min(1),
  analyses: z.array(sparkJobAnalysisResultSchema),
  totalMs: z.number().min(0),
});

export type PlanColumn = z.output<typeof planColumnSchema>;
export type SparkJobPlan = z.output<typeof sparkJobPlanSchema>;
export type SparkJobResult = z.output<typeof sparkJobResultSchema>;
export type SparkJobAnalysisResult = z.output<typeof sparkJobAnalysisResultSchema>;

/** The JSON Schema document both sides check against (`shared/spark-job.schema.json`). */
export function sparkJobJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'SparkPolar Spark job plan and result (generated from shared/spark-job.ts; do not edit)',
    $defs: { plan: definition(sparkJobPlanSchema), result: definition(sparkJobResultSchema) },
  };
}

function definition(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

/** The first problem of a document against a schema, as one line; null when it is valid. */
export function schemaProblem(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.') || '(document)'}: ${issue.message}`;
}
