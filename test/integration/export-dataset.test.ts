/**
 * `export/dataset` on real imported tables: every format read back with an independent reader
 * (csv-parse, exceljs, Polars, JSON.parse) and compared with what `dataset/page` shows for the
 * same view, plus formula neutralisation, cancel and failure leaving no file behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnFilter, DatasetView } from '../../shared/contract/dataset';
import { csvRecord } from '../../shared/csv';
import { StudioError } from '../../shared/errors';
import type { DatasetColumn } from '../../shared/types';
import { generateCrashCsv } from '../../electron/engine/generate';
import { startTestEngine, type TestEngine } from '../support/pg';

const ROWS = 20_000;
type Cell = string | number | boolean | null;

let t: TestEngine;
let out: string;
let columns: DatasetColumn[];
let sourceFile: string;
const id = (name: string) => columns.find((c) => c.name === name)!.identifier;

beforeAll(async () => {
  t = await startTestEngine();
  out = path.join(t.home, 'exports');
  sourceFile = path.join(t.home, 'crash.csv');
  await generateCrashCsv({ rows: ROWS, seed: 11, out: sourceFile });
  columns = (await t.client.run('dataset/import', { path: sourceFile, name: 'crash' })).columns;
  fs.writeFileSync(
    path.join(t.home, 'formulas.csv'),
    'label,amount,note\n' +
      '=1+1,-5,plain\n' +
      '+cmd,3,"=HYPERLINK(""http://x"",""y"")"\n' +
      '-2,7,"a,b"\n' +
      '@SUM(A1),-1,"line\nbreak"\n' +
      '"\tTab",0,\n' +
      'safe,10,"-"\n',
  );
  await t.client.run('dataset/import', { path: path.join(t.home, 'formulas.csv'), name: 'formulas' });
});

afterAll(async () => t?.close());

/** Every row of a view, through dataset/page (what the grid shows). */
async function screen(view: DatasetView): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await t.client.call('dataset/page', { ...view, offset, limit: 5000 });
    rows.push(...page.rows);
    if (rows.length >= page.totalRows || !page.rows.length) return rows;
  }
}

const asText = (v: Cell) => (v === null ? '' : String(v));
const leftovers = () => fs.readdirSync(out).filter((f) => f.startsWith('.'));

const view = (): DatasetView => ({
  dataset: 'crash',
  sort: [
    { column: id('Vehicle Make'), direction: 'desc' },
    { column: id('Vehicle Year'), direction: 'asc' },
  ],
  filters: [
    { column: id('State of Registration'), op: 'oneOf', values: ['NY', 'NJ'] },
    { column: id('Number of Occupants'), op: 'range', min: 1, max: null },
  ] as ColumnFilter[],
});

describe('export/dataset', () => {
  it('CSV of the whole dataset: the file the importer read, field for field, with display names', async () => {
    const file = path.join(out, 'all.csv');
    const result = await t.client.run('export/dataset', { dataset: 'crash', format: 'csv', path: file });
    expect(result.rows).toBe(ROWS);
    const exported = parse(fs.readFileSync(file), { bom: true }) as string[][];
    const original = parse(fs.readFileSync(sourceFile), { bom: true }) as string[][];
    expect(fs.readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(exported).toEqual(original);
    expect(leftovers()).toEqual([]);
  });

  it('CSV of a filtered and sorted view equals the screen, row for row', async () => {
    const file = path.join(out, 'view.csv');
    const result = await t.client.run('export/dataset', { ...view(), format: 'csv', path: file, bom: false });
    const rows = await screen(view());
    expect(result.rows).toBe(rows.length);
    const exported = parse(fs.readFileSync(file)) as string[][];
    expect(exported[0]).toEqual(columns.map((c) => c.name));
    expect(exported.slice(1)).toEqual(rows.map((r) => r.map(asText)));
  });

  it('neutralises formulas in CSV text cells and leaves numbers alone', async () => {
    const file = path.join(out, 'formulas.csv');
    const result = await t.client.run('export/dataset', { dataset: 'formulas', format: 'csv', path: file });
    const rows = parse(fs.readFileSync(file), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.label)).toEqual(["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tTab", 'safe']);
    expect(rows.map((r) => r.amount)).toEqual(['-5', '3', '7', '-1', '0', '10']);
    expect(rows.map((r) => r.note)).toEqual(['plain', '\'=HYPERLINK("http://x","y")', 'a,b', 'line\nbreak', '', "'-"]);
    expect(result.neutralised).toBe(7);
  });

  it('raw CSV writes text as it is, for tools that are not spreadsheets', async () => {
    const file = path.join(out, 'formulas-raw.csv');
    const result = await t.client.run('export/dataset', { dataset: 'formulas', format: 'csv', path: file, raw: true, bom: false });
    const exported = parse(fs.readFileSync(file)) as string[][];
    const source = parse(fs.readFileSync(path.join(t.home, 'formulas.csv'))) as string[][];
    expect(exported).toEqual(source);
    expect(result.neutralised).toBe(0);
    expect(result.rows).toBe(6);
  });

  it('"Copy row" writes each row exactly as the CSV export does', async () => {
    const file = path.join(out, 'formulas-copy.csv');
    await t.client.run('export/dataset', { dataset: 'formulas', format: 'csv', path: file, bom: false });
    const records = parse(fs.readFileSync(file), { raw: true }) as unknown as Array<{ raw: string }>;
    const page = await t.client.call('dataset/page', { dataset: 'formulas' });
    expect(page.rows.map((row) => csvRecord(row))).toEqual(records.slice(1).map((r) => r.raw.replace(/\n$/, '')));
  });

  it('XLSX read back with exceljs: header, typed cells, text exactly as imported (strings are never formulas)', async () => {
    const file = path.join(out, 'view.xlsx');
    const result = await t.client.run('export/dataset', { ...view(), format: 'xlsx', path: file });
    const rows = await screen(view());
    expect(result.rows).toBe(rows.length);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(rows.length + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(columns.map((c) => c.name));
    for (const i of [0, 1, Math.floor(rows.length / 2), rows.length - 1]) {
      const values = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      const want = rows[i]!.map((v) => (v === null ? undefined : v));
      expect([...values, ...Array(want.length - values.length).fill(undefined)]).toEqual(want);
    }
    const formulas = path.join(out, 'formulas.xlsx');
    await t.client.run('export/dataset', { dataset: 'formulas', format: 'xlsx', path: formulas });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(formulas);
    const labels = book.worksheets[0]!.getColumn(1).values.slice(2);
    expect(labels).toEqual(['=1+1', '+cmd', '-2', '@SUM(A1)', '\tTab', 'safe']);
    expect(book.worksheets[0]!.getColumn(2).values.slice(2)).toEqual([-5, 3, 7, -1, 0, 10]);
    expect(book.worksheets[0]!.getColumn(3).values.slice(2)).toEqual([
      'plain',
      '=HYPERLINK("http://x","y")',
      'a,b',
      'line\nbreak',
      undefined,
      '-',
    ]);
    book.worksheets[0]!.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('Parquet read back with Polars: the view, with the catalog types', async () => {
    const file = path.join(out, 'view.parquet');
    const result = await t.client.run('export/dataset', { ...view(), format: 'parquet', path: file });
    const rows = await screen(view());
    expect(result.rows).toBe(rows.length);
    const df = pl.readParquet(file);
    expect(df.columns).toEqual(columns.map((c) => c.name));
    expect(df.height).toBe(rows.length);
    expect(String(df.getColumn('Vehicle Year').dtype)).toMatch(/Int/);
    expect(String(df.getColumn('Vehicle Make').dtype)).toMatch(/String|Utf8/);
    const back = df.rows().map((r) => (r as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(back).toEqual(rows);
  });

  it('JSON lines: one object per row keyed by display name, typed values, in view order', async () => {
    const file = path.join(out, 'view.jsonl');
    const result = await t.client.run('export/dataset', { ...view(), format: 'jsonl', path: file });
    const rows = await screen(view());
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(result.rows).toBe(rows.length);
    expect(lines.map((l) => Object.values(JSON.parse(l) as Record<string, Cell>))).toEqual(rows);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(columns.map((c) => c.name));
  });

  it('a chosen subset of columns, in the chosen order', async () => {
    const file = path.join(out, 'subset.csv');
    const pick = [id('Partial VIN'), id('Year')];
    await t.client.run('export/dataset', { dataset: 'crash', format: 'csv', path: file, columns: pick, bom: false });
    const exported = parse(fs.readFileSync(file)) as string[][];
    const original = parse(fs.readFileSync(sourceFile), { bom: true }) as string[][];
    expect(exported).toEqual(original.map((r) => [r[18], r[0]]));
  });

  it('a cancelled export leaves no file, partial or final', async () => {
    const file = path.join(out, 'cancelled.xlsx');
    const controller = new AbortController();
    const promise = t.client.run(
      'export/dataset',
      { dataset: 'crash', format: 'xlsx', path: file },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if ((p.rows ?? 0) > 0) controller.abort();
        },
      },
    );
    const err = await promise.catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('CANCELLED');
    expect(fs.existsSync(file)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a failure at the end (target is a folder) leaves nothing behind and says why', async () => {
    const target = path.join(out, 'a-folder.csv');
    fs.mkdirSync(target, { recursive: true });
    const err = await t.client.run('export/dataset', { dataset: 'crash', format: 'csv', path: target }).catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('EXPORT_FAILED');
    expect((err as StudioError).message).toMatch(/folder/);
    expect(leftovers()).toEqual([]);
    expect(fs.readdirSync(target)).toEqual([]);
  });
});
