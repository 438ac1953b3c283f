/**
 * What passes between the app and the PySpark job: the schemas live in `shared/spark-job.ts` (the
 * one description the emulator and the job's pytest suite check against too); the app builds
 * plans with the catalog's precise types, checked here to fit that schema.
 */
import type { z } from 'zod';
import type { AnalysisOp, AnalysisStage } from '../../../shared/analyses';
import type { CleaningOptions, ResultTable } from '../../../shared/contract/analysis';
import {
  PLAN_FORMAT,
  sparkJobPlanSchema,
  type PlanColumn,
  type SparkJobAnalysisResult,
  type SparkJobResult,
} from '../../../shared/spark-job';

export { PLAN_FORMAT, RESULT_FORMAT, sparkJobResultSchema } from '../../../shared/spark-job';
export type { PlanColumn, SparkJobAnalysisResult, SparkJobResult, ResultTable };

export interface PlanAnalysis {
  id: string;
  /** Resolved parameters (shared/analyses/params.ts `resolveParams`). */
  params: Record<string, unknown>;
  /** The catalog's definition, so the job follows the one source of truth. */
  stage: AnalysisStage;
  op: AnalysisOp;
}

export interface SparkJobPlan extends Omit<z.input<typeof sparkJobPlanSchema>, 'analyses' | 'cleaning'> {
  format: typeof PLAN_FORMAT;
  cleaning: CleaningOptions;
  analyses: PlanAnalysis[];
}

// The app's plan type must stay a valid plan of the shared schema.
type Fits<T extends z.input<typeof sparkJobPlanSchema>> = T;
export type CheckedPlan = Fits<SparkJobPlan>;
