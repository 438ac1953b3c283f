/** The job's plan for a dataset version: which analyses, with resolved parameters and the catalog's ops. */
import {
  MAKE_BRANDS,
  dimensionName,
  ORIGINAL_NULL_DROP_COLUMNS,
  OTHER_LABEL,
  SENTINELS,
  planAnalyses as planShared,
} from '../../../shared/analyses';
import type { CleaningOptions } from '../../../shared/contract/analysis';
import type { DatasetVersionInfo } from '../../../shared/types';
import { PLAN_FORMAT, type PlanAnalysis, type PlanColumn, type SparkJobPlan } from './job-contract';

export interface PlannedAnalyses {
  /** What the job runs. */
  analyses: PlanAnalysis[];
  /** Planned but not run: not applicable to this dataset (missing columns), or failed on a bad parameter. */
  notRun: Array<{ id: string; status: 'not-applicable' | 'failed'; reason: string }>;
}

/**
 * The shared planner (the same step the Polars runner takes), turned into the job's plan. Without
 * a list, the analyses that apply to the dataset; with one, every analysis asked for, where a bad
 * parameter fails that analysis alone, as in Polars.
 */
export function planAnalyses(
  info: DatasetVersionInfo,
  ids: string[] | undefined,
  params: Record<string, Record<string, unknown>>,
): PlannedAnalyses {
  const analyses: PlanAnalysis[] = [];
  const notRun: PlannedAnalyses['notRun'] = [];
  for (const p of planShared(info.columns, ids, params)) {
    if (p.status === 'ok') analyses.push({ id: p.spec.id, params: p.params, stage: p.spec.stage, op: p.spec.op });
    else if (ids || p.status === 'failed') notRun.push({ id: p.spec.id, status: p.status, reason: p.reason ?? p.status });
  }
  return { analyses, notRun };
}

export function buildPlan(input: {
  runTag: string;
  info: DatasetVersionInfo;
  inputPath: string;
  format: 'parquet' | 'csv';
  rows: number;
  bytes: number;
  sha256: string;
  output: string;
  columns: PlanColumn[];
  cleaning: CleaningOptions;
  repeat: number;
  analyses: PlanAnalysis[];
}): SparkJobPlan {
  return {
    format: PLAN_FORMAT,
    version: 1,
    runTag: input.runTag,
    dataset: input.info.dataset,
    datasetVersion: input.info.version,
    input: { path: input.inputPath, format: input.format, rows: input.rows, bytes: input.bytes, sha256: input.sha256 },
    output: input.output,
    columns: input.columns,
    cleaning: input.cleaning,
    repeat: input.repeat,
    analyses: input.analyses,
    constants: {
      sentinels: [...SENTINELS],
      makeBrands: MAKE_BRANDS,
      otherLabel: OTHER_LABEL,
      originalNullDropColumns: ORIGINAL_NULL_DROP_COLUMNS,
      dimensionNames: {
        'vehicle-age': dimensionName({ derived: 'vehicle-age' }),
        'vehicle-age-2025': dimensionName({ derived: 'vehicle-age-2025' }),
      },
    },
  };
}
