/**
 * Export of a dataset or of the exact view the grid shows (same view schema and SQL as
 * `dataset/page`), streamed whatever its size:
 * - CSV: `COPY (…) TO STDOUT` piped through the formula neutraliser (unless `raw`) into the file;
 * - JSON lines: PostgreSQL renders each row with `row_to_json`, COPY streams the lines;
 * - Parquet: COPY to a temporary CSV beside the target, then Polars' streaming engine
 *   (`scanCSV(…, {schema}).sinkParquet`) converts it in bounded memory with the catalog's types;
 * - XLSX: a server-side cursor read in batches into exceljs' streaming WorkbookWriter (a new sheet
 *   every 1,048,575 rows, Excel's limit); text cells are typed strings, written as they are.
 * Every file is written under a temporary name and renamed when complete.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type ExcelJS from 'exceljs';
import pl, { type DataType } from 'nodejs-polars';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { z } from 'zod';
import type { ExportResult, exportMethods } from '../../../shared/contract/export';
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import { wireColumn } from '../analysis/columns';
import { viewKey, type Browser } from '../browse/page';
import { jsonSafeTypes, type Cell } from '../browse/values';
import { literalBinder, parametersBinder, viewSql, type ViewSql } from '../browse/view-sql';
import type { Catalog } from '../catalog/catalog';
import { pgError, type Database } from '../db/database';
import { quoteIdent } from '../db/sql';
import type { JobContext } from '../jobs/manager';
import { isFileError, tempPathFor, writeAtomically } from './atomic';
import { csvLine, uniqueNames } from './csv';
import { CsvNeutraliser, neutraliseText } from './neutralise';
import { lazyModule } from '../lazy-module';

const excel = lazyModule<typeof ExcelJS>('exceljs');

export type DatasetExportRequest = z.output<(typeof exportMethods)['export/dataset']['request']>;

export const XLSX_MAX_ROWS_PER_SHEET = 1_048_575;
const CURSOR_BATCH = 5_000;

/** What a dataset export uses of the engine: the database, the catalog and the grid's view service. */
export interface DatasetExportDeps {
  db: Database;
  catalog: Catalog;
  browse: Browser;
}

interface Plan {
  info: DatasetVersionInfo;
  columns: DatasetColumn[];
  /** View SQL with values as literals (COPY takes no parameters). */
  literal: ViewSql;
  /** The same view with bound parameters (cursor, count). */
  bound: ViewSql;
  params: unknown[];
  totalRows: number;
  /** True when the view is the whole table in file order with every column. */
  wholeTable: boolean;
}

function pickColumns(all: DatasetColumn[], wanted: string[] | undefined): DatasetColumn[] {
  if (!wanted?.length) return all;
  return wanted.map((id) => {
    const c = all.find((x) => x.identifier === id);
    if (!c) throw new StudioError('INVALID_REQUEST', `columns: the dataset has no column "${id}".`, { column: id });
    return c;
  });
}

async function plan({ catalog, browse: browser }: DatasetExportDeps, request: DatasetExportRequest): Promise<Plan> {
  const info = await catalog.get(request.dataset, request.version);
  const columns = pickColumns(info.columns, request.columns);
  const literal = viewSql(
    info,
    request,
    literalBinder((s) => pg.escapeLiteral(s)),
  );
  const params: unknown[] = [];
  const bound = viewSql(info, request, parametersBinder(params));
  await browser.stats.analyzed(info);
  const totalRows = await browser.count(viewKey(info, request), info, bound, params);
  const wholeTable =
    !request.sort.length &&
    !request.filters.length &&
    columns.length === info.columns.length &&
    columns.every((c, i) => c === info.columns[i]);
  return { info, columns, literal, bound, params, totalRows, wholeTable };
}

/** The SELECT of the view; `expression` renders each column (casts for Parquet, aliases for JSON). */
function selectSql(p: Plan, expression: (c: DatasetColumn) => string = (c) => quoteIdent(c.identifier), sql: ViewSql = p.literal): string {
  const order = p.bound.sort.length ? ` ORDER BY ${sql.orderBy}` : '';
  return `SELECT ${p.columns.map(expression).join(', ')} FROM ${sql.table} ${sql.where}${order}`;
}

/** Session settings so an unsorted view streams in physical (file) order. */
const FILE_ORDER =
  'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off';

function progressReporter(job: JobContext, total: number, phase: string, message: string) {
  const started = performance.now();
  return (rows: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? rows / seconds : 0;
    job.progress({
      phase,
      message,
      done: rows,
      total,
      unit: 'rows',
      rows,
      rowsPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.max(0, (total - rows) / rate) : undefined,
    });
  };
}

/**
 * Streams `COPY (query) TO STDOUT` through `transform` into `file`, on a dedicated connection in a
 * read-only transaction. Cancel stops the server-side query at once (pg_cancel_backend).
 */
async function copyToFile(
  db: Database,
  copySql: string,
  file: string,
  job: JobContext,
  options: { prefix?: Buffer; transform?: CsvNeutraliser },
): Promise<number> {
  const pool = await db.pool();
  const client = await pool.connect().catch((err: unknown) => {
    throw pgError(err);
  });
  let failed: unknown = null;
  const pidResult = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = pidResult.rows[0]!.pid;
  const onAbort = () => void db.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  job.signal.addEventListener('abort', onAbort);
  try {
    job.throwIfCancelled();
    await client.query('BEGIN READ ONLY');
    await client.query(FILE_ORDER);
    const source = client.query(copyTo(copySql));
    const out = fs.createWriteStream(file);
    if (options.prefix) out.write(options.prefix);
    if (options.transform) await pipeline(source, options.transform, out);
    else await pipeline(source, out);
    await client.query('COMMIT');
    return fs.statSync(file).size;
  } catch (err) {
    failed = err;
    throwIfCancelled(job.signal, 'Export cancelled.');
    // A file error (the disk filled up) is the file's, not PostgreSQL's: writeAtomically names it.
    if (err instanceof StudioError || isFileError(err)) throw err;
    throw pgError(err);
  } finally {
    job.signal.removeEventListener('abort', onAbort);
    // A connection that was mid-COPY when it failed is not reused.
    client.release(failed ? (failed as Error) : undefined);
  }
}

async function exportCsv(db: Database, p: Plan, request: DatasetExportRequest, job: JobContext): Promise<Omit<ExportResult, 'seconds'>> {
  // raw: for tools that are not spreadsheets (the neutraliser then only counts records).
  const textColumns = request.raw ? [] : p.columns.map((c) => c.type === 'text');
  const header = csvLine(uniqueNames(p.columns).map((n) => (request.raw ? n : neutraliseText(n))));
  const prefix = Buffer.from((request.bom ? '\uFEFF' : '') + header, 'utf8');
  const copySql = p.wholeTable
    ? `COPY ${p.literal.table} (${p.columns.map((c) => quoteIdent(c.identifier)).join(', ')}) TO STDOUT WITH (FORMAT csv)`
    : `COPY (${selectSql(p)}) TO STDOUT WITH (FORMAT csv)`;
  const neutraliser = new CsvNeutraliser(textColumns);
  const report = progressReporter(job, p.totalRows, 'export', 'Writing CSV');
  const timer = setInterval(() => report(neutraliser.records), 250);
  try {
    const bytes = await writeAtomically(request.path, (temp) => copyToFile(db, copySql, temp, job, { prefix, transform: neutraliser }));
    report(neutraliser.records);
    return {
      format: 'csv',
      path: request.path,
      files: [request.path],
      rows: neutraliser.records,
      bytes,
      neutralised: neutraliser.neutralised,
    };
  } finally {
    clearInterval(timer);
  }
}

async function exportJsonLines(
  db: Database,
  p: Plan,
  request: DatasetExportRequest,
  job: JobContext,
): Promise<Omit<ExportResult, 'seconds'>> {
  const names = uniqueNames(p.columns);
  const inner = selectSql(p, (c) => `${quoteIdent(c.identifier)} AS ${quoteIdent(names[p.columns.indexOf(c)]!)}`);
  // CSV mode with a delimiter and a quote character JSON text never holds raw: each line verbatim.
  const copySql = `COPY (SELECT row_to_json(x) FROM (${inner}) x) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
  const counter = new CsvNeutraliser([]);
  const report = progressReporter(job, p.totalRows, 'export', 'Writing JSON lines');
  const timer = setInterval(() => report(counter.records), 250);
  try {
    const bytes = await writeAtomically(request.path, (temp) => copyToFile(db, copySql, temp, job, { transform: counter }));
    return { format: 'jsonl', path: request.path, files: [request.path], rows: counter.records, bytes, neutralised: 0 };
  } finally {
    clearInterval(timer);
  }
}

/** A column's Polars type: the one the analysis loader gives it, so a Parquet export reads back as the analyses see it. */
function polarsType(column: DatasetColumn): DataType {
  const { wire, finalType } = wireColumn(column);
  return finalType ?? wire;
}

async function exportParquet(
  db: Database,
  p: Plan,
  request: DatasetExportRequest,
  job: JobContext,
): Promise<Omit<ExportResult, 'seconds'>> {
  const names = uniqueNames(p.columns);
  // Booleans as true/false, timestamps with a T: the forms Polars' CSV reader parses into its types.
  const expression = (c: DatasetColumn) =>
    c.type === 'boolean'
      ? `${quoteIdent(c.identifier)}::text`
      : c.type === 'timestamp'
        ? `to_char(${quoteIdent(c.identifier)}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`
        : quoteIdent(c.identifier);
  const copySql = `COPY (${selectSql(p, expression)}) TO STDOUT WITH (FORMAT csv)`;
  const staging = tempPathFor(request.path, 'csv');
  const counter = new CsvNeutraliser([]);
  const report = progressReporter(job, p.totalRows, 'export', 'Reading rows');
  const timer = setInterval(() => report(counter.records), 250);
  try {
    await copyToFile(db, copySql, staging, job, { transform: counter });
    clearInterval(timer);
    job.progress({
      phase: 'convert',
      message: 'Writing Parquet',
      done: counter.records,
      total: p.totalRows,
      unit: 'rows',
      rows: counter.records,
    });
    job.throwIfCancelled();
    const schema = Object.fromEntries(p.columns.map((c, i) => [names[i]!, polarsType(c)]));
    const bytes = await writeAtomically(request.path, async (temp) => {
      await pl
        .scanCSV(staging, { hasHeader: false, schema, quoteChar: '"', missingUtf8IsEmptyString: false })
        .sinkParquet(temp, { compression: 'zstd', maintainOrder: true })
        .collect();
      job.throwIfCancelled();
      return fs.statSync(temp).size;
    });
    return { format: 'parquet', path: request.path, files: [request.path], rows: counter.records, bytes, neutralised: 0 };
  } finally {
    clearInterval(timer);
    fs.rmSync(staging, { force: true });
  }
}

/** A cell as exceljs wants it: numbers, booleans, Dates for dates, text as written (a typed string, never a formula). */
function xlsxCell(value: Cell, column: DatasetColumn): ExcelJS.CellValue {
  if (value === null) return null;
  if (column.type === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  if (column.type === 'timestamp' && typeof value === 'string') return new Date(`${value}Z`);
  return value;
}

async function exportXlsx(db: Database, p: Plan, request: DatasetExportRequest, job: JobContext): Promise<Omit<ExportResult, 'seconds'>> {
  const names = uniqueNames(p.columns);
  let rows = 0;
  const report = progressReporter(job, p.totalRows, 'export', 'Writing XLSX');
  const bytes = await writeAtomically(request.path, async (temp) => {
    const stream = fs.createWriteStream(temp);
    const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
    let sheet: ExcelJS.Worksheet | null = null;
    let inSheet = 0;
    const newSheet = (n: number) => {
      sheet = workbook.addWorksheet(n === 1 ? 'Data' : `Data ${n}`, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = names.map((header, i) => ({
        header,
        key: String(i),
        width: Math.min(40, Math.max(10, header.length + 2)),
        style: dateStyle(p.columns[i]!),
      }));
      sheet.getRow(1).font = { bold: true };
      inSheet = 0;
    };
    let sheets = 1;
    newSheet(1);
    try {
      await db.withClient(async (client) => {
        await client.query('BEGIN READ ONLY');
        try {
          await client.query(FILE_ORDER);
          await client.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${selectSql(p, undefined, p.bound)}`, p.params);
          for (;;) {
            job.throwIfCancelled();
            const batch = await client.query({ text: `FETCH ${CURSOR_BATCH} FROM export_cursor`, rowMode: 'array', types: jsonSafeTypes });
            if (!batch.rows.length) break;
            for (const row of batch.rows as Cell[][]) {
              if (inSheet === XLSX_MAX_ROWS_PER_SHEET) {
                sheet!.commit();
                newSheet(++sheets);
              }
              sheet!.addRow(row.map((v, i) => xlsxCell(v, p.columns[i]!))).commit();
              inSheet++;
            }
            rows += batch.rows.length;
            report(rows);
          }
        } catch (err) {
          throw err instanceof StudioError ? err : pgError(err);
        } finally {
          await client.query('ROLLBACK').catch(() => undefined);
        }
      });
      sheet!.commit();
      await workbook.commit();
    } catch (err) {
      stream.destroy();
      throw err;
    }
    return fs.statSync(temp).size;
  });
  return { format: 'xlsx', path: request.path, files: [request.path], rows, bytes, neutralised: 0 };
}

function dateStyle(column: DatasetColumn): Partial<ExcelJS.Style> | undefined {
  if (column.type === 'date') return { numFmt: 'yyyy-mm-dd' };
  if (column.type === 'timestamp') return { numFmt: 'yyyy-mm-dd hh:mm:ss' };
  return undefined;
}

export async function exportDataset(deps: DatasetExportDeps, request: DatasetExportRequest, job: JobContext): Promise<ExportResult> {
  const started = performance.now();
  job.progress({ phase: 'prepare', message: 'Preparing the view' });
  const p = await plan(deps, request);
  job.throwIfCancelled();
  const writers = { csv: exportCsv, jsonl: exportJsonLines, parquet: exportParquet, xlsx: exportXlsx };
  const result = await writers[request.format](deps.db, p, request, job);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}
