import { z } from 'zod';
import type { ColumnType, DatasetColumn, DatasetSummary, DatasetVersionInfo } from '../types';
import { job, request } from './define';

const datasetName = z.string().trim().min(1).max(120);
const columnTypes = ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'] as const;

export interface ImportResult {
  dataset: string;
  version: number;
  /** Table inside the `data` schema. */
  table: string;
  rows: number;
  rejected: number;
  /** Path of the rejects file (CSV: line, reason, original text), or null when nothing was rejected. */
  rejectsFile: string | null;
  columns: DatasetColumn[];
  /**
   * Columns whose inferred type a value broke, and what they became (a wider type such as
   * bigint, or text); `line` and `value` name the first breaking value. With `typeMismatch:
   * 'reject'` (or a forced type) such rows go to the rejects instead and nothing is widened.
   */
  widened: Array<{ identifier: string; from: ColumnType; to: ColumnType; line: number; value: string }>;
  /** Blank lines skipped (they are not rows). */
  blankLines: number;
  /** Rows read to infer the types before loading. */
  sampledRows: number;
  encoding: string;
  delimiter: string;
  lineEnding: 'CRLF' | 'LF' | 'CR';
  bytes: number;
  sha256: string;
  seconds: number;
}

/** A filter on one column of a browse view. */
export const columnFilter = z.discriminatedUnion('op', [
  z.object({ column: z.string(), op: z.literal('contains'), value: z.string() }),
  z.object({ column: z.string(), op: z.literal('equals'), value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.object({ column: z.string(), op: z.literal('oneOf'), values: z.array(z.union([z.string(), z.number()])).max(1000) }),
  z.object({ column: z.string(), op: z.literal('range'), min: z.number().nullable(), max: z.number().nullable() }),
  z.object({ column: z.string(), op: z.literal('isNull') }),
  z.object({ column: z.string(), op: z.literal('notNull') }),
]);
export type ColumnFilter = z.infer<typeof columnFilter>;

/** A view of a dataset: which version, sorted and filtered how. Columns are named by identifier. */
export const datasetView = z.object({
  dataset: datasetName,
  version: z.number().int().positive().optional(),
  sort: z
    .array(z.object({ column: z.string(), direction: z.enum(['asc', 'desc']) }))
    .max(8)
    .default([]),
  filters: z.array(columnFilter).max(64).default([]),
});
export type DatasetView = z.input<typeof datasetView>;

export interface DatasetPage {
  dataset: string;
  version: number;
  columns: DatasetColumn[];
  offset: number;
  /** Cell values in column order; dates and timestamps as ISO strings, int8/numeric as numbers. */
  rows: Array<Array<string | number | boolean | null>>;
  /** Rows in the whole filtered view (with `totalPending`: only those known so far, a lower bound). */
  totalRows: number;
  /** Asked with `total: 'later'` before the view's count was known: ask again with `total: 'wait'` for it. */
  totalPending?: true;
}

export const datasetMethods = {
  'dataset/import': job<ImportResult>()(
    z.object({
      path: z.string().min(1),
      name: datasetName.optional(),
      onError: z.enum(['skip', 'abort']).default('skip'),
      /** A value that breaks an inferred type: widen the column (default) or treat the row as bad (onError). */
      typeMismatch: z.enum(['widen', 'reject']).default('widen'),
      /** Force column types by identifier (e.g. after the user changed a type in the summary card). */
      types: z.record(z.string(), z.enum(columnTypes)).optional(),
      /** Delete the source file once imported (browser-mode uploads). */
      deleteSourceAfter: z.boolean().default(false),
      /** Also build the analyses' frame from the import's parse (default on, docs/analyses.md); the CLI import, after which no run follows, turns it off. */
      analysisFrame: z.boolean().optional(),
    }),
  ),
  'dataset/list': request<DatasetSummary[]>()(z.object({}).default({})),
  'dataset/get': request<DatasetVersionInfo>()(z.object({ dataset: datasetName, version: z.number().int().positive().optional() })),
  'dataset/versions': request<DatasetVersionInfo[]>()(z.object({ dataset: datasetName })),
  'dataset/rename': request<{ dataset: string }>()(z.object({ dataset: datasetName, to: datasetName })),
  'dataset/delete': request<{ deleted: boolean }>()(z.object({ dataset: datasetName })),
  /** A page of the sorted and filtered view. */
  'dataset/page': request<DatasetPage>()(
    datasetView.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
      /** 'wait': the answer carries the exact count; 'later': the rows at once, the count when known (`totalPending`). */
      total: z.enum(['wait', 'later']).default('wait'),
    }),
  ),
  /** The first rejected rows of a version's rejects file. */
  'dataset/rejects': request<{ rows: Array<{ line: number; reason: string; text: string }>; total: number }>()(
    z.object({
      dataset: datasetName,
      version: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(10_000).default(500),
    }),
  ),
};
