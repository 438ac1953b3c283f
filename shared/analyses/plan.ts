/**
 * The one planning step of every engine (Polars, Spark, and what they are compared with): which
 * analyses run and with what parameters. Each analysis is planned on its own, so a dataset that
 * lacks its columns makes it `not-applicable` and a bad parameter makes it `failed`; neither
 * touches the others. Only an id outside the catalog fails the whole request.
 */
import type { ErrorData } from '../errors';
import { StudioError } from '../errors';
import type { DatasetColumn } from '../types';
import { ANALYSES, analysisById } from './catalog';
import { missingRequirements, resolveParams } from './params';
import type { AnalysisSpec, ResolvedParams } from './types';

export interface PlannedAnalysis {
  spec: AnalysisSpec;
  /** Resolved parameters when `ok`; the parameters as given otherwise. */
  params: ResolvedParams;
  status: 'ok' | 'not-applicable' | 'failed';
  reason?: string;
  error?: ErrorData;
}

/**
 * Plans `ids` (default: the whole catalog) in catalog-request order, each id once. Unknown ids
 * throw ANALYSIS_NOT_FOUND.
 */
export function planAnalyses(
  columns: DatasetColumn[],
  ids: string[] | undefined,
  params: Record<string, Record<string, unknown>> = {},
): PlannedAnalysis[] {
  for (const id of ids ?? []) {
    if (!analysisById(id)) throw new StudioError('ANALYSIS_NOT_FOUND', `No analysis "${id}" in the catalog.`, { id });
  }
  const specs = ids ? [...new Set(ids)].map((id) => analysisById(id)!) : ANALYSES;
  return specs.map((spec) => planOne(spec, columns, params[spec.id]));
}

function planOne(spec: AnalysisSpec, columns: DatasetColumn[], given: Record<string, unknown> | undefined): PlannedAnalysis {
  const missing = missingRequirements(spec, columns);
  if (missing.length) {
    return {
      spec,
      params: {},
      status: 'not-applicable',
      reason: `Needs ${missing.map((m) => (m.types ? `${m.column} (${m.types.join('/')})` : m.column)).join(', ')}.`,
    };
  }
  try {
    return { spec, params: resolveParams(spec, columns, given), status: 'ok' };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { spec, params: given ?? {}, status: 'failed', reason: message, error: { code: 'INVALID_REQUEST', message } };
  }
}
