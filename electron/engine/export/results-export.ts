/**
 * Export of analysis results (the tables of an `AnalysisRun`): one CSV, JSON or Parquet file per
 * analysis in a folder, or one XLSX workbook with a sheet per analysis and a "Run" sheet. The
 * files of a folder export are written in a temporary folder and moved in only when all are done.
 */
import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import pl from 'nodejs-polars';
import { ANALYSES } from '../../../shared/analyses';
import type { AnalysisResult, AnalysisRun, ResultTable } from '../../../shared/contract/analysis';
import type { ExportResult, ResultExportFormat } from '../../../shared/contract/export';
import { StudioError } from '../../../shared/errors';
import { translate, type Lang } from '../../../shared/i18n';
import type { JobContext } from '../jobs/manager';
import { asFileFailure, syncToDisk, tempPathFor, writeAtomically } from './atomic';
import { csvLine } from './csv';
import { neutraliseText } from './neutralise';
import { lazyModule } from '../lazy-module';

const excel = lazyModule<typeof ExcelJS>('exceljs');

export type TabledResult = AnalysisResult & { table: ResultTable };

/** Results that have a table, optionally only some ids (in the run's order). */
export function tabledResults(run: AnalysisRun, only?: string[]): TabledResult[] {
  const wanted = only?.length ? new Set(only) : null;
  if (wanted) {
    const known = new Set(run.results.map((r) => r.id));
    const missing = [...wanted].filter((id) => !known.has(id));
    if (missing.length)
      throw new StudioError('ANALYSIS_NOT_FOUND', `The run has no result for ${missing.map((m) => `"${m}"`).join(', ')}.`, { missing });
  }
  return run.results.filter((r): r is TabledResult => r.table !== null && r.status === 'ok' && (!wanted || wanted.has(r.id)));
}

export function analysisTitle(id: string, lang: Lang = 'en'): string {
  const spec = ANALYSES.find((a) => a.id === id);
  return spec ? translate(lang, spec.title) : id;
}

/** A file name from an analysis id: safe on every OS. */
export function fileStem(id: string): string {
  return (
    id
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, 100) || 'analysis'
  );
}

interface Counter {
  neutralised: number;
}

function textCell(value: string, counter: Counter): string {
  const safe = neutraliseText(value);
  if (safe !== value) counter.neutralised++;
  return safe;
}

function csvText(table: ResultTable, counter: Counter, raw: boolean): string {
  const text = (v: string) => (raw ? v : textCell(v, counter));
  const lines = [csvLine(table.columns.map((c) => text(c.name)))];
  for (const row of table.rows) lines.push(csvLine(row.map((v) => (v === null ? '' : typeof v === 'string' ? text(v) : String(v)))));
  return '\uFEFF' + lines.join('');
}

function jsonText(run: AnalysisRun, result: TabledResult): string {
  const { columns, rows } = result.table;
  return JSON.stringify(
    {
      analysis: result.id,
      title: analysisTitle(result.id),
      dataset: run.dataset,
      version: run.version,
      runId: run.runId,
      params: result.params,
      cleaning: run.cleaning,
      rowsIn: result.rowsIn,
      columns,
      rows: rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i] ?? null]))),
    },
    null,
    2,
  );
}

function writeParquet(table: ResultTable, file: string): void {
  const series = table.columns.map((c, i) => {
    const values = table.rows.map((r) => r[i] ?? null);
    switch (c.type) {
      case 'integer':
        return values.every((v) => v === null || Number.isSafeInteger(v))
          ? pl.Series(c.name, values as Array<number | null>, pl.Int64)
          : pl.Series(c.name, values as Array<number | null>, pl.Float64);
      case 'float':
        return pl.Series(c.name, values as Array<number | null>, pl.Float64);
      case 'boolean':
        return pl.Series(c.name, values as Array<boolean | null>, pl.Bool);
      default:
        return pl.Series(
          c.name,
          values.map((v) => (v === null ? null : String(v))),
          pl.Utf8,
        );
    }
  });
  pl.DataFrame(series).writeParquet(file, { compression: 'zstd' });
}

function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

async function writeXlsx(run: AnalysisRun, results: TabledResult[], file: string, job: JobContext): Promise<void> {
  const stream = fs.createWriteStream(file);
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
  const taken = new Set<string>();
  const summary = workbook.addWorksheet(sheetName('Run', taken));
  summary.columns = [
    { header: 'Analysis', key: 'a', width: 40 },
    { header: 'Sheet', key: 's', width: 32 },
    { header: 'Rows', key: 'r', width: 10 },
    { header: 'Compute ms', key: 'c', width: 12 },
  ];
  summary.getRow(1).font = { bold: true };
  const facts: Array<[string, string | number]> = [
    ['Dataset', `${run.dataset} v${run.version}`],
    ['Run', run.runId],
    ['Started', run.startedAt],
    ['Rows', run.rows],
    ['Load ms', run.loadMs],
    ['Total ms', run.totalMs],
    ['Cleaning', JSON.stringify(run.cleaning)],
  ];
  const sheets = results.map((r) => sheetName(analysisTitle(r.id), taken));
  results.forEach((r, i) =>
    summary.addRow({ a: analysisTitle(r.id), s: sheets[i], r: r.table.rows.length, c: Math.round(r.timings.computeMs) }).commit(),
  );
  summary.addRow([]).commit();
  for (const [k, v] of facts) summary.addRow([k, v]).commit();
  summary.commit();
  for (const [i, result] of results.entries()) {
    job.throwIfCancelled();
    const sheet = workbook.addWorksheet(sheets[i]!, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = result.table.columns.map((c, k) => ({
      header: c.name,
      key: String(k),
      width: Math.min(50, Math.max(10, c.name.length + 2)),
    }));
    sheet.getRow(1).font = { bold: true };
    for (const row of result.table.rows) sheet.addRow(row).commit();
    sheet.commit();
    job.progress({ phase: 'export', message: 'Writing sheets', done: i + 1, total: results.length, unit: 'analyses' });
  }
  try {
    await workbook.commit();
  } catch (err) {
    stream.destroy();
    throw err;
  }
}

export async function exportResults(
  run: AnalysisRun,
  format: ResultExportFormat,
  target: string,
  job: JobContext,
  only?: string[],
  options: { raw?: boolean } = {},
): Promise<ExportResult> {
  const started = performance.now();
  const results = tabledResults(run, only);
  if (!results.length) throw new StudioError('EXPORT_FAILED', `Run ${run.runId} has no result table to export.`, { runId: run.runId });
  const counter: Counter = { neutralised: 0 };
  const rows = results.reduce((n, r) => n + r.table.rows.length, 0);
  if (format === 'xlsx') {
    await writeAtomically(target, (temp) => writeXlsx(run, results, temp, job));
    return {
      format,
      path: target,
      files: [target],
      rows,
      bytes: fs.statSync(target).size,
      seconds: (performance.now() - started) / 1000,
      neutralised: counter.neutralised,
    };
  }
  // A folder of files, all or nothing: written in a temporary folder, then moved in.
  const folder = path.resolve(target);
  fs.mkdirSync(path.dirname(folder), { recursive: true });
  const staging = tempPathFor(folder, 'tmp');
  fs.mkdirSync(staging);
  const files: string[] = [];
  try {
    const stems = new Set<string>();
    for (const [i, result] of results.entries()) {
      job.throwIfCancelled();
      let stem = fileStem(result.id);
      for (let n = 2; stems.has(stem); n++) stem = `${fileStem(result.id)}-${n}`;
      stems.add(stem);
      const name = `${stem}.${format}`;
      const file = path.join(staging, name);
      if (format === 'csv') fs.writeFileSync(file, csvText(result.table, counter, Boolean(options.raw)));
      else if (format === 'json') fs.writeFileSync(file, jsonText(run, result));
      else writeParquet(result.table, file);
      files.push(name);
      job.progress({ phase: 'export', message: 'Writing files', done: i + 1, total: results.length, unit: 'analyses' });
    }
    syncToDisk(staging);
    fs.mkdirSync(folder, { recursive: true });
    for (const name of files) fs.renameSync(path.join(staging, name), path.join(folder, name));
  } catch (err) {
    throw asFileFailure(err, folder);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const paths = files.map((f) => path.join(folder, f));
  const bytes = paths.reduce((n, f) => n + fs.statSync(f).size, 0);
  return {
    format,
    path: folder,
    files: paths,
    rows,
    bytes,
    seconds: (performance.now() - started) / 1000,
    neutralised: counter.neutralised,
  };
}
