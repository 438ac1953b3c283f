/** Each catalog op kind → the function that computes it over the stage frame. */
import type { AnalysisOp } from '../../../../shared/analyses';
import { duplicateValuesOp, duplicatesOp, makeMergeOp, nullDropOp, nullsOp, outOfRangeOp, sentinelsOp } from './cleaning';
import type { OpFn } from './context';
import { correlationOp, cramersVOp, histogramOp } from './correlations';
import { countsOp, describeOp, headOp, profileOp, schemaOp } from './exploration';
import { groupByOp, groupCountOp, trendOp, valueCountsOp } from './groups';

export const OPS: Record<AnalysisOp['kind'], OpFn> = {
  counts: countsOp,
  schema: schemaOp,
  head: headOp,
  describe: describeOp,
  nulls: nullsOp,
  sentinels: sentinelsOp,
  'null-drop': nullDropOp,
  duplicates: duplicatesOp,
  'duplicate-values': duplicateValuesOp,
  'out-of-range': outOfRangeOp,
  'make-merge': makeMergeOp,
  'group-count': groupCountOp,
  trend: trendOp,
  correlation: correlationOp,
  'cramers-v': cramersVOp,
  profile: profileOp,
  histogram: histogramOp,
  'value-counts': valueCountsOp,
  'group-by': groupByOp,
  'generic-correlation': correlationOp,
};
