import { z } from 'zod';
import type { AnalysisRun } from './analysis';
import { datasetView } from './dataset';
import { job } from './define';
import { LANGS } from '../i18n/types';

export const DATASET_EXPORT_FORMATS = ['csv', 'parquet', 'jsonl', 'xlsx'] as const;
export const RESULT_EXPORT_FORMATS = ['csv', 'json', 'parquet', 'xlsx'] as const;
export type DatasetExportFormat = (typeof DATASET_EXPORT_FORMATS)[number];
export type ResultExportFormat = (typeof RESULT_EXPORT_FORMATS)[number];

export interface ExportResult {
  format: DatasetExportFormat | ResultExportFormat | 'html';
  /** The file written (absolute), or the folder for per-analysis CSV/JSON/Parquet files. */
  path: string;
  /** Every file written (one for a single-file export). */
  files: string[];
  rows: number;
  bytes: number;
  seconds: number;
  /** Text cells that started with = + - @ tab or CR and were prefixed with ' (CSV without `raw` only). */
  neutralised: number;
}

/** A run given whole (results the window already holds) instead of by id. */
const analysisRun = z.custom<AnalysisRun>(
  (v) => typeof v === 'object' && v !== null && typeof (v as AnalysisRun).runId === 'string' && Array.isArray((v as AnalysisRun).results),
  { message: 'run must be an AnalysisRun (runId, results, …)' },
);

const runSource = {
  /** The run to export, by id (stored by `analysis/run`)… */
  runId: z.string().min(1).optional(),
  /** …or given whole. */
  run: analysisRun.optional(),
  /** Only these analysis ids (default: every result with a table). */
  analyses: z.array(z.string().min(1)).max(500).optional(),
};

export interface SampleResult {
  dataset: string;
  version: number;
  table: string;
  rows: number;
  /** The generated CSV (kept in the data folder's samples/). */
  file: string;
  bytes: number;
  seed: number;
  generateSeconds: number;
  importSeconds: number;
}

export const exportMethods = {
  /** A dataset, or the filtered and sorted view the grid shows, to a file (streamed). */
  'export/dataset': job<ExportResult>()(
    datasetView.extend({
      format: z.enum(DATASET_EXPORT_FORMATS),
      path: z.string().min(1),
      /** Columns to write, by identifier, in this order (default: all). */
      columns: z.array(z.string()).max(2000).optional(),
      /** CSV only: start with a UTF-8 byte order mark so spreadsheet programs read accents right. */
      bom: z.boolean().default(true),
      /** CSV only: write text as it is, without the ' that keeps spreadsheets from running formulas (for tools that are not spreadsheets). */
      raw: z.boolean().default(false),
    }),
  ),
  /** Analysis results: one CSV/JSON/Parquet file per analysis in a folder, or one XLSX with a sheet each. */
  'export/results': job<ExportResult>()(
    z.object({
      ...runSource,
      format: z.enum(RESULT_EXPORT_FORMATS),
      path: z.string().min(1),
      /** CSV only: text as it is, not neutralised (see export/dataset). */
      raw: z.boolean().default(false),
    }),
  ),
  /** A self-contained, print-ready HTML report of a run: dataset facts, cleaning, timings, tables and SVG charts. */
  'export/report': job<ExportResult>()(
    z.object({ ...runSource, path: z.string().min(1), lang: z.enum(LANGS).default('en'), dark: z.boolean().default(false) }),
  ),
  /** "Load sample dataset": generates calibrated crash rows and imports them. */
  'dataset/sample': job<SampleResult>()(
    z.object({
      rows: z.number().int().min(1).max(20_000_000).default(100_000),
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      name: z.string().trim().min(1).max(120).default('ny-crash-sample'),
    }),
  ),
};
