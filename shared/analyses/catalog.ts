/**
 * The analysis catalog, as data. The UI, the CLI, the Polars runner, the Spark job and the DuckDB
 * oracle all read this one list. Ids are stable: never rename one, add a new entry instead.
 *
 * Columns are named by their CSV display header (`DatasetColumn.name`); engines resolve them to
 * SQL identifiers through the dataset's catalog columns.
 */
import type { ColumnType } from '../types';
import { NUMERIC_TYPES } from '../types';
import type { AnalysisSpec, ChartKind, ColumnRequirement, Dimension, ParamSpec, ResultColumnSpec } from './types';
import type { TKey } from '../i18n/types';
import { CRASH, ORIGINAL_NULL_DROP_COLUMNS, dimensionColumns, dimensionName } from './crash';

const NUMERIC: ColumnType[] = [...NUMERIC_TYPES];

const topN = (value: number): ParamSpec => ({
  name: 'topN',
  kind: 'integer',
  label: 'catalog.params.topN',
  default: value,
  min: 0,
  max: 10_000,
});

/** Result columns of a group count over these dimension names. */
const groupCountColumns = (names: string[]): ResultColumnSpec[] => [
  ...names.map((name) => ({ name, type: 'source' as const })),
  { name: 'count', type: 'integer' },
  { name: 'share', type: 'float' },
  { name: 'other', type: 'boolean' },
];

interface GroupCountDef {
  id: string;
  title: TKey;
  description: TKey;
  dimensions: Dimension[];
  order?: 'count' | 'key';
  topN: number;
  chart: ChartKind;
  original?: boolean;
}

function groupCount(def: GroupCountDef): AnalysisSpec {
  const requires: ColumnRequirement[] = [];
  for (const d of def.dimensions) {
    for (const column of dimensionColumns(d)) {
      // A derived age computes with the years; a plain dimension accepts any type.
      if (!requires.some((r) => r.column === column)) requires.push('column' in d ? { column } : { column, types: NUMERIC });
    }
  }
  const spec: AnalysisSpec = {
    id: def.id,
    category: 'descriptive',
    title: def.title,
    description: def.description,
    requires,
    params: [topN(def.topN)],
    resultColumns: groupCountColumns(def.dimensions.map(dimensionName)),
    chart: def.chart,
    stage: 'cleaned',
    op: { kind: 'group-count', dimensions: def.dimensions, order: def.order ?? 'count' },
  };
  if (def.original) spec.original = true;
  return spec;
}

interface TrendDef {
  id: string;
  dimension: Dimension;
  title: TKey;
  description: TKey;
  order?: 'overall-count' | 'key';
  topN: number;
}

function trend(def: TrendDef): AnalysisSpec {
  const requires: ColumnRequirement[] = [{ column: CRASH.year, types: NUMERIC }];
  for (const column of dimensionColumns(def.dimension)) {
    if (!requires.some((r) => r.column === column)) requires.push('column' in def.dimension ? { column } : { column, types: NUMERIC });
  }
  return {
    id: def.id,
    category: 'trends',
    title: def.title,
    description: def.description,
    requires,
    params: [topN(def.topN)],
    resultColumns: [
      { name: CRASH.year, type: 'source' },
      { name: dimensionName(def.dimension), type: 'source' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      { name: 'other', type: 'boolean' },
    ],
    chart: 'stacked-bar',
    stage: 'cleaned',
    op: { kind: 'trend', by: CRASH.year, dimension: def.dimension, order: def.order ?? 'overall-count' },
  };
}

const CORRELATION_NUMERIC = [CRASH.year, CRASH.vehicleYear, CRASH.occupants, CRASH.cylinders];
const CRAMERS_COLUMNS = [
  CRASH.bodyType,
  CRASH.registrationClass,
  CRASH.action,
  CRASH.direction,
  CRASH.fuel,
  CRASH.state,
  CRASH.factor1Description,
  CRASH.factor2Description,
  CRASH.eventType,
];

const pairColumns: ResultColumnSpec[] = [
  { name: 'column_a', type: 'text' },
  { name: 'column_b', type: 'text' },
  { name: 'value', type: 'float' },
  { name: 'n', type: 'integer' },
];

export const ANALYSES: AnalysisSpec[] = [
  // ------------------------------------------------------------------ exploration
  {
    id: 'explore-counts',
    category: 'exploration',
    title: 'catalog.analyses.explore-counts.title',
    description: 'catalog.analyses.explore-counts.description',
    requires: [],
    params: [],
    resultColumns: [
      { name: 'rows', type: 'integer' },
      { name: 'columns', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    stage: 'prepared',
    op: { kind: 'counts' },
  },
  {
    id: 'explore-schema',
    category: 'exploration',
    title: 'catalog.analyses.explore-schema.title',
    description: 'catalog.analyses.explore-schema.description',
    requires: [],
    params: [],
    resultColumns: [
      { name: 'position', type: 'integer' },
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
    ],
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'schema' },
  },
  {
    id: 'explore-head',
    category: 'exploration',
    title: 'catalog.analyses.explore-head.title',
    description: 'catalog.analyses.explore-head.description',
    requires: [],
    params: [{ name: 'n', kind: 'integer', label: 'catalog.params.n', default: 5, min: 1, max: 1000 }],
    resultColumns: 'dataset-columns',
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'head' },
  },
  {
    id: 'explore-describe',
    category: 'exploration',
    title: 'catalog.analyses.explore-describe.title',
    description: 'catalog.analyses.explore-describe.description',
    requires: [],
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'nulls', type: 'integer' },
      { name: 'mean', type: 'float' },
      { name: 'std', type: 'float' },
      { name: 'min', type: 'float' },
      { name: 'p25', type: 'float' },
      { name: 'p50', type: 'float' },
      { name: 'p75', type: 'float' },
      { name: 'max', type: 'float' },
      { name: 'distinct', type: 'integer' },
      { name: 'top', type: 'text' },
      { name: 'top_count', type: 'integer' },
    ],
    chart: 'table',
    original: true,
    stage: 'prepared',
    op: { kind: 'describe' },
  },
  // ------------------------------------------------------------------ cleaning
  {
    id: 'clean-nulls',
    category: 'cleaning',
    title: 'catalog.analyses.clean-nulls.title',
    description: 'catalog.analyses.clean-nulls.description',
    requires: [],
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'nulls', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'hbar',
    original: true,
    stage: 'prepared',
    op: { kind: 'nulls' },
  },
  {
    id: 'clean-sentinels',
    category: 'cleaning',
    title: 'catalog.analyses.clean-sentinels.title',
    description: 'catalog.analyses.clean-sentinels.description',
    requires: [],
    requiresAnyOf: { types: ['text'], min: 1 },
    params: [],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'value', type: 'text' },
      { name: 'kind', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'table',
    stage: 'raw',
    op: { kind: 'sentinels' },
  },
  {
    id: 'clean-null-drop',
    category: 'cleaning',
    title: 'catalog.analyses.clean-null-drop.title',
    description: 'catalog.analyses.clean-null-drop.description',
    requires: ORIGINAL_NULL_DROP_COLUMNS.map((column) => ({ column })),
    params: [],
    resultColumns: [
      { name: 'rows_before', type: 'integer' },
      { name: 'rows_after', type: 'integer' },
      { name: 'dropped', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    stage: 'prepared',
    op: { kind: 'null-drop', columns: ORIGINAL_NULL_DROP_COLUMNS },
  },
  {
    id: 'clean-duplicates',
    category: 'cleaning',
    title: 'catalog.analyses.clean-duplicates.title',
    description: 'catalog.analyses.clean-duplicates.description',
    requires: [],
    params: [],
    resultColumns: [
      { name: 'rows', type: 'integer' },
      { name: 'distinct_rows', type: 'integer' },
      { name: 'duplicate_rows', type: 'integer' },
    ],
    chart: 'kpi',
    original: true,
    // The original counted duplicates on the raw frame, before its null-row drop.
    stage: 'raw',
    op: { kind: 'duplicates' },
  },
  {
    id: 'clean-duplicate-vins',
    category: 'cleaning',
    title: 'catalog.analyses.clean-duplicate-vins.title',
    description: 'catalog.analyses.clean-duplicate-vins.description',
    requires: [{ column: CRASH.vin }],
    params: [],
    resultColumns: [
      { name: 'rows_with_vin', type: 'integer' },
      { name: 'distinct_vins', type: 'integer' },
      { name: 'duplicated_vins', type: 'integer' },
      { name: 'rows_with_duplicated_vin', type: 'integer' },
      { name: 'excess_rows', type: 'integer' },
    ],
    chart: 'kpi',
    stage: 'cleaned',
    op: { kind: 'duplicate-values', column: CRASH.vin },
  },
  {
    id: 'clean-out-of-range',
    category: 'cleaning',
    title: 'catalog.analyses.clean-out-of-range.title',
    description: 'catalog.analyses.clean-out-of-range.description',
    requires: [
      { column: CRASH.year, types: NUMERIC },
      { column: CRASH.vehicleYear, types: NUMERIC },
      { column: CRASH.occupants, types: NUMERIC },
      { column: CRASH.cylinders, types: NUMERIC },
    ],
    params: [
      { name: 'minVehicleYear', kind: 'integer', label: 'catalog.params.minVehicleYear', default: 1900 },
      { name: 'maxOccupants', kind: 'integer', label: 'catalog.params.maxOccupants', default: 20, min: 0 },
      { name: 'maxCylinders', kind: 'integer', label: 'catalog.params.maxCylinders', default: 16, min: 0 },
    ],
    resultColumns: [
      { name: 'rule', type: 'text' },
      { name: 'column', type: 'text' },
      { name: 'limit', type: 'integer' },
      { name: 'rows', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    chart: 'hbar',
    stage: 'prepared',
    op: {
      kind: 'out-of-range',
      rules: [
        {
          id: 'vehicle-year-too-old',
          column: CRASH.vehicleYear,
          test: 'below',
          limit: 'minVehicleYear',
          label: 'catalog.rules.vehicle-year-too-old',
        },
        {
          id: 'vehicle-year-after-crash',
          column: CRASH.vehicleYear,
          test: 'aboveColumnPlus',
          limit: 1,
          otherColumn: CRASH.year,
          label: 'catalog.rules.vehicle-year-after-crash',
        },
        {
          id: 'occupants-negative',
          column: CRASH.occupants,
          test: 'below',
          limit: 0,
          label: 'catalog.rules.occupants-negative',
        },
        {
          id: 'occupants-too-many',
          column: CRASH.occupants,
          test: 'above',
          limit: 'maxOccupants',
          label: 'catalog.rules.occupants-too-many',
        },
        {
          id: 'cylinders-negative',
          column: CRASH.cylinders,
          test: 'below',
          limit: 0,
          label: 'catalog.rules.cylinders-negative',
        },
        {
          id: 'cylinders-too-many',
          column: CRASH.cylinders,
          test: 'above',
          limit: 'maxCylinders',
          label: 'catalog.rules.cylinders-too-many',
        },
      ],
    },
  },
  {
    id: 'clean-make-merge',
    category: 'cleaning',
    title: 'catalog.analyses.clean-make-merge.title',
    description: 'catalog.analyses.clean-make-merge.description',
    requires: [{ column: CRASH.make }],
    params: [],
    resultColumns: [
      { name: 'brand', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'rows', type: 'integer' },
    ],
    chart: 'table',
    stage: 'raw',
    op: { kind: 'make-merge', column: CRASH.make },
  },
  // ------------------------------------------------------------------ descriptive (the original twelve and more)
  groupCount({
    id: 'desc-body-type',
    title: 'catalog.analyses.desc-body-type.title',
    description: 'catalog.analyses.desc-body-type.description',
    dimensions: [{ column: CRASH.bodyType }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-crash-year',
    title: 'catalog.analyses.desc-crash-year.title',
    description: 'catalog.analyses.desc-crash-year.description',
    dimensions: [{ column: CRASH.year }],
    order: 'key',
    topN: 0,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-occupants',
    title: 'catalog.analyses.desc-occupants.title',
    description: 'catalog.analyses.desc-occupants.description',
    dimensions: [{ column: CRASH.occupants }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-factor1',
    title: 'catalog.analyses.desc-factor1.title',
    description: 'catalog.analyses.desc-factor1.description',
    dimensions: [{ column: CRASH.factor1 }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-factor1-description',
    title: 'catalog.analyses.desc-factor1-description.title',
    description: 'catalog.analyses.desc-factor1-description.description',
    dimensions: [{ column: CRASH.factor1 }, { column: CRASH.factor1Description }],
    topN: 20,
    chart: 'hbar',
  }),
  groupCount({
    id: 'desc-factor-pair',
    title: 'catalog.analyses.desc-factor-pair.title',
    description: 'catalog.analyses.desc-factor-pair.description',
    dimensions: [{ column: CRASH.factor1 }, { column: CRASH.factor2 }],
    topN: 20,
    chart: 'heatmap',
    original: true,
  }),
  groupCount({
    id: 'desc-factor-pair-descriptions',
    title: 'catalog.analyses.desc-factor-pair-descriptions.title',
    description: 'catalog.analyses.desc-factor-pair-descriptions.description',
    dimensions: [{ column: CRASH.factor1Description }, { column: CRASH.factor2Description }],
    topN: 25,
    chart: 'heatmap',
  }),
  groupCount({
    id: 'desc-state',
    title: 'catalog.analyses.desc-state.title',
    description: 'catalog.analyses.desc-state.description',
    dimensions: [{ column: CRASH.state }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-direction',
    title: 'catalog.analyses.desc-direction.title',
    description: 'catalog.analyses.desc-direction.description',
    dimensions: [{ column: CRASH.direction }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-vehicle-age',
    title: 'catalog.analyses.desc-vehicle-age.title',
    description: 'catalog.analyses.desc-vehicle-age.description',
    dimensions: [{ derived: 'vehicle-age' }],
    topN: 0,
    chart: 'bar',
  }),
  groupCount({
    id: 'desc-vehicle-age-2025',
    title: 'catalog.analyses.desc-vehicle-age-2025.title',
    description: 'catalog.analyses.desc-vehicle-age-2025.description',
    dimensions: [{ derived: 'vehicle-age-2025' }],
    topN: 0,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-fuel',
    title: 'catalog.analyses.desc-fuel.title',
    description: 'catalog.analyses.desc-fuel.description',
    dimensions: [{ column: CRASH.fuel }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-cylinders',
    title: 'catalog.analyses.desc-cylinders.title',
    description: 'catalog.analyses.desc-cylinders.description',
    dimensions: [{ column: CRASH.cylinders }],
    topN: 20,
    chart: 'bar',
    original: true,
  }),
  groupCount({
    id: 'desc-action',
    title: 'catalog.analyses.desc-action.title',
    description: 'catalog.analyses.desc-action.description',
    dimensions: [{ column: CRASH.action }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-event-type',
    title: 'catalog.analyses.desc-event-type.title',
    description: 'catalog.analyses.desc-event-type.description',
    dimensions: [{ column: CRASH.eventType }],
    topN: 20,
    chart: 'hbar',
    original: true,
  }),
  groupCount({
    id: 'desc-make',
    title: 'catalog.analyses.desc-make.title',
    description: 'catalog.analyses.desc-make.description',
    dimensions: [{ column: CRASH.make }],
    topN: 25,
    chart: 'hbar',
  }),
  groupCount({
    id: 'desc-registration-class',
    title: 'catalog.analyses.desc-registration-class.title',
    description: 'catalog.analyses.desc-registration-class.description',
    dimensions: [{ column: CRASH.registrationClass }],
    topN: 20,
    chart: 'hbar',
  }),
  // ------------------------------------------------------------------ trends
  trend({
    id: 'trend-body-type',
    dimension: { column: CRASH.bodyType },
    topN: 8,
    title: 'catalog.analyses.trend-body-type.title',
    description: 'catalog.analyses.trend-body-type.description',
  }),
  trend({
    id: 'trend-registration-class',
    dimension: { column: CRASH.registrationClass },
    topN: 8,
    title: 'catalog.analyses.trend-registration-class.title',
    description: 'catalog.analyses.trend-registration-class.description',
  }),
  trend({
    id: 'trend-action',
    dimension: { column: CRASH.action },
    topN: 8,
    title: 'catalog.analyses.trend-action.title',
    description: 'catalog.analyses.trend-action.description',
  }),
  trend({
    id: 'trend-direction',
    dimension: { column: CRASH.direction },
    topN: 8,
    title: 'catalog.analyses.trend-direction.title',
    description: 'catalog.analyses.trend-direction.description',
  }),
  trend({
    id: 'trend-fuel',
    dimension: { column: CRASH.fuel },
    topN: 8,
    title: 'catalog.analyses.trend-fuel.title',
    description: 'catalog.analyses.trend-fuel.description',
  }),
  trend({
    id: 'trend-state',
    dimension: { column: CRASH.state },
    topN: 8,
    title: 'catalog.analyses.trend-state.title',
    description: 'catalog.analyses.trend-state.description',
  }),
  trend({
    id: 'trend-make',
    dimension: { column: CRASH.make },
    topN: 10,
    title: 'catalog.analyses.trend-make.title',
    description: 'catalog.analyses.trend-make.description',
  }),
  trend({
    id: 'trend-factor1-description',
    dimension: { column: CRASH.factor1Description },
    topN: 10,
    title: 'catalog.analyses.trend-factor1-description.title',
    description: 'catalog.analyses.trend-factor1-description.description',
  }),
  trend({
    id: 'trend-event-type',
    dimension: { column: CRASH.eventType },
    topN: 8,
    title: 'catalog.analyses.trend-event-type.title',
    description: 'catalog.analyses.trend-event-type.description',
  }),
  trend({
    id: 'trend-vehicle-age',
    dimension: { derived: 'vehicle-age' },
    order: 'key',
    topN: 0,
    title: 'catalog.analyses.trend-vehicle-age.title',
    description: 'catalog.analyses.trend-vehicle-age.description',
  }),
  // ------------------------------------------------------------------ correlations
  {
    id: 'corr-pearson',
    category: 'correlations',
    title: 'catalog.analyses.corr-pearson.title',
    description: 'catalog.analyses.corr-pearson.description',
    requires: CORRELATION_NUMERIC.map((column) => ({ column, types: NUMERIC })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'correlation', method: 'pearson', columns: CORRELATION_NUMERIC },
  },
  {
    id: 'corr-spearman',
    category: 'correlations',
    title: 'catalog.analyses.corr-spearman.title',
    description: 'catalog.analyses.corr-spearman.description',
    requires: CORRELATION_NUMERIC.map((column) => ({ column, types: NUMERIC })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'correlation', method: 'spearman', columns: CORRELATION_NUMERIC },
  },
  {
    id: 'corr-cramers-v',
    category: 'correlations',
    title: 'catalog.analyses.corr-cramers-v.title',
    description: 'catalog.analyses.corr-cramers-v.description',
    requires: CRAMERS_COLUMNS.map((column) => ({ column })),
    params: [],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'cramers-v', columns: CRAMERS_COLUMNS },
  },
  // ------------------------------------------------------------------ generic, for any CSV
  {
    id: 'generic-profile',
    category: 'generic',
    title: 'catalog.analyses.generic-profile.title',
    description: 'catalog.analyses.generic-profile.description',
    requires: [],
    params: [{ name: 'topValues', kind: 'integer', label: 'catalog.params.topValues', default: 3, min: 1, max: 20 }],
    resultColumns: [
      { name: 'column', type: 'text' },
      { name: 'type', type: 'text' },
      { name: 'rows', type: 'integer' },
      { name: 'nulls', type: 'integer' },
      { name: 'null_share', type: 'float' },
      { name: 'distinct', type: 'integer' },
      { name: 'min', type: 'text' },
      { name: 'max', type: 'text' },
      { name: 'mean', type: 'float' },
      { name: 'std', type: 'float' },
      { name: 'p05', type: 'float' },
      { name: 'p25', type: 'float' },
      { name: 'p50', type: 'float' },
      { name: 'p75', type: 'float' },
      { name: 'p95', type: 'float' },
      { name: 'top_values', type: 'text' },
    ],
    chart: 'table',
    stage: 'cleaned',
    op: { kind: 'profile' },
  },
  {
    id: 'generic-histogram',
    category: 'generic',
    title: 'catalog.analyses.generic-histogram.title',
    description: 'catalog.analyses.generic-histogram.description',
    requires: [],
    requiresAnyOf: { types: NUMERIC, min: 1 },
    params: [
      { name: 'column', kind: 'column', label: 'catalog.params.column', default: null, columnTypes: NUMERIC },
      { name: 'bins', kind: 'integer', label: 'catalog.params.bins', default: 20, min: 1, max: 500 },
    ],
    resultColumns: [
      { name: 'bin', type: 'integer' },
      { name: 'lower', type: 'float' },
      { name: 'upper', type: 'float' },
      { name: 'count', type: 'integer' },
    ],
    chart: 'histogram',
    stage: 'cleaned',
    op: { kind: 'histogram' },
  },
  {
    id: 'generic-value-counts',
    category: 'generic',
    title: 'catalog.analyses.generic-value-counts.title',
    description: 'catalog.analyses.generic-value-counts.description',
    requires: [],
    requiresAnyOf: { types: ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'], min: 1 },
    params: [{ name: 'column', kind: 'column', label: 'catalog.params.column', default: null }, topN(50)],
    resultColumns: groupCountColumns(['value']),
    chart: 'hbar',
    stage: 'cleaned',
    op: { kind: 'value-counts' },
  },
  {
    id: 'generic-group-by',
    category: 'generic',
    title: 'catalog.analyses.generic-group-by.title',
    description: 'catalog.analyses.generic-group-by.description',
    requires: [],
    requiresAnyOf: { types: ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'], min: 1 },
    params: [
      { name: 'dimensions', kind: 'columns', label: 'catalog.params.dimensions', default: null, min: 1, max: 2 },
      {
        name: 'aggregate',
        kind: 'enum',
        label: 'catalog.params.aggregate',
        default: 'count',
        options: ['count', 'sum', 'mean', 'min', 'max', 'median'],
      },
      { name: 'measure', kind: 'column', label: 'catalog.params.measure', default: null, columnTypes: NUMERIC, optional: true },
      { name: 'filter', kind: 'filter', label: 'catalog.params.filter', default: null, optional: true },
      topN(50),
    ],
    resultColumns: [
      { name: '{dimensions}', type: 'source' },
      { name: 'value', type: 'float' },
      { name: 'rows', type: 'integer' },
      { name: 'other', type: 'boolean' },
    ],
    chart: 'bar',
    stage: 'cleaned',
    op: { kind: 'group-by' },
  },
  {
    id: 'generic-correlation',
    category: 'generic',
    title: 'catalog.analyses.generic-correlation.title',
    description: 'catalog.analyses.generic-correlation.description',
    requires: [],
    requiresAnyOf: { types: NUMERIC, min: 2 },
    params: [
      { name: 'method', kind: 'enum', label: 'catalog.params.method', default: 'pearson', options: ['pearson', 'spearman'] },
      { name: 'columns', kind: 'columns', label: 'catalog.params.columns', default: null, columnTypes: NUMERIC, min: 2, max: 50 },
    ],
    resultColumns: pairColumns,
    chart: 'heatmap',
    stage: 'cleaned',
    op: { kind: 'generic-correlation' },
  },
];

export function analysisById(id: string): AnalysisSpec | undefined {
  return ANALYSES.find((a) => a.id === id);
}
