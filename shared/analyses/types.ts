/**
 * The types of the analysis catalog: what an analysis is (id, texts, requirements, parameters,
 * result columns, chart kind, stage) and what it computes (`AnalysisOp`). Semantics (stages,
 * ordering, ties, top N and "other", null handling) are written down in docs/analyses.md.
 */
import type { ColumnType } from '../types';
import type { ResultCellType } from '../contract/analysis';
import type { TKey } from '../i18n/types';

export type AnalysisCategory = 'exploration' | 'cleaning' | 'descriptive' | 'trends' | 'correlations' | 'generic';
/** How a result is shown; `shared/charts` draws each kind (a KPI as a table of figures). */
export const CHART_KINDS = ['bar', 'hbar', 'line', 'heatmap', 'histogram', 'stacked-bar', 'table', 'kpi'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/**
 * Which frame an analysis reads:
 * - `raw`: as loaded from PostgreSQL;
 * - `prepared`: after the value rewrites of the cleaning options (sentinels as nulls, make merge);
 * - `cleaned`: `prepared` minus the original's null rows when `dropOriginalNulls` is on.
 */
export type AnalysisStage = 'raw' | 'prepared' | 'cleaned';

export interface ColumnRequirement {
  /** CSV display header. */
  column: string;
  /** Accepted catalog types; any type when absent. */
  types?: ColumnType[];
}

export type ParamKind = 'integer' | 'number' | 'boolean' | 'enum' | 'column' | 'columns' | 'filter';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  label: TKey;
  /** `null` for a column parameter means "resolved at run time" (see `resolveParams`). */
  default: unknown;
  min?: number;
  max?: number;
  options?: string[];
  /** For column parameters: the catalog types a chosen column must have. */
  columnTypes?: ColumnType[];
  optional?: boolean;
}

/**
 * A result column. `type: 'source'` means "the type of the column named by the parameter or
 * dimension" (text for text columns, integer for integer columns, float for double/numeric).
 * `name` may be `{param}` to stand for the display name chosen in that parameter.
 */
export interface ResultColumnSpec {
  name: string;
  type: ResultCellType | 'source';
}

/** A grouping dimension: a column, or a derived vehicle age. */
export type Dimension =
  | { column: string }
  /** `Year − Vehicle Year` (the crash year). */
  | { derived: 'vehicle-age' }
  /** The original notebook's `2025 − Vehicle Year`. */
  | { derived: 'vehicle-age-2025' };

export interface OutOfRangeRule {
  id: string;
  column: string;
  /** `below`: value < limit; `above`: value > limit; `aboveColumnPlus`: value > other column + limit. */
  test: 'below' | 'above' | 'aboveColumnPlus';
  /** A number, or the name of a parameter of the analysis giving it. */
  limit: number | string;
  otherColumn?: string;
  label: TKey;
}

/** What the analysis computes; engines switch on `kind`. */
export type AnalysisOp =
  | { kind: 'counts' }
  | { kind: 'schema' }
  | { kind: 'head' }
  | { kind: 'describe' }
  | { kind: 'nulls' }
  | { kind: 'sentinels' }
  | { kind: 'null-drop'; columns: string[] }
  | { kind: 'duplicates' }
  | { kind: 'duplicate-values'; column: string }
  | { kind: 'out-of-range'; rules: OutOfRangeRule[] }
  | { kind: 'make-merge'; column: string }
  | { kind: 'group-count'; dimensions: Dimension[]; order: 'count' | 'key' }
  | { kind: 'trend'; by: string; dimension: Dimension; order: 'overall-count' | 'key' }
  | { kind: 'correlation'; method: 'pearson' | 'spearman'; columns: string[] }
  | { kind: 'cramers-v'; columns: string[] }
  | { kind: 'profile' }
  | { kind: 'histogram' }
  | { kind: 'value-counts' }
  | { kind: 'group-by' }
  | { kind: 'generic-correlation' };

export interface AnalysisSpec {
  id: string;
  category: AnalysisCategory;
  title: TKey;
  description: TKey;
  requires: ColumnRequirement[];
  /** Extra applicability: at least `min` columns of these types (generic analyses). */
  requiresAnyOf?: { types: ColumnType[]; min: number };
  params: ParamSpec[];
  /** Result columns; `dataset-columns` for the first rows (every column of the dataset). */
  resultColumns: ResultColumnSpec[] | 'dataset-columns';
  chart: ChartKind;
  /** Part of the original notebook's set (what the benchmark times). */
  original?: boolean;
  stage: AnalysisStage;
  op: AnalysisOp;
}

export interface MissingRequirement {
  column: string;
  types?: ColumnType[];
}

export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'in' | 'isNull' | 'notNull';
export interface GroupByFilter {
  column: string;
  op: FilterOp;
  value?: string | number | boolean | null;
  values?: Array<string | number>;
}

/** Parameters after defaults and run-time choices; what every engine executes. */
export type ResolvedParams = Record<string, unknown>;
