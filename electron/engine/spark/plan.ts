/** The job's plan for a dataset version: which analyses, with resolved parameters and the catalog's ops. */
import {
  ANALYSES,
  MAKE_BRANDS,
  dimensionName,
  ORIGINAL_NULL_DROP_COLUMNS,
  OTHER_LABEL,
  SENTINELS,
  analysisById,
  missingRequirements,
  resolveParams,
} from '../../../shared/analyses';
import type { CleaningOptions } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import { PLAN_FORMAT, type PlanAnalysis, type PlanColumn, type SparkJobPlan } from './job-contract';

export interface PlannedAnalyses {
  analyses: PlanAnalysis[];
  /** Asked for but not applicable to this dataset (missing columns). */
  notApplicable: Array<{ id: string; reason: string }>;
}

export function planAnalyses(
  info: DatasetVersionInfo,
  ids: string[] | undefined,
  params: Record<string, Record<string, unknown>>,
): PlannedAnalyses {
  const chosen = ids ?? ANALYSES.filter((a) => missingRequirements(a, info.columns).length === 0).map((a) => a.id);
  const analyses: PlanAnalysis[] = [];
  const notApplicable: PlannedAnalyses['notApplicable'] = [];
  for (const id of [...new Set(chosen)]) {
    const spec = analysisById(id);
    if (!spec) throw new StudioError('ANALYSIS_NOT_FOUND', `No analysis "${id}" in the catalog.`, { id });
    const missing = missingRequirements(spec, info.columns);
    if (missing.length) {
      notApplicable.push({ id, reason: `needs ${missing.map((m) => m.column).join(', ')}` });
      continue;
    }
    let resolved: Record<string, unknown>;
    try {
      resolved = resolveParams(spec, info.columns, params[id] ?? {});
    } catch (err) {
      throw new StudioError('INVALID_REQUEST', err instanceof Error ? err.message : String(err), { id });
    }
    analyses.push({ id, params: resolved, stage: spec.stage, op: spec.op });
  }
  return { analyses, notApplicable };
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
      sentinels: SENTINELS,
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
