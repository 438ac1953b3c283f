/**
 * `export/results` and `export/report` through the engine, for a run whose tables are computed
 * here independently (plain JS counts of the generated CSV), read back with csv-parse, JSON.parse,
 * Polars and exceljs; the HTML report checked for its facts, tables and inline SVG charts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResult, AnalysisRun, ResultTable } from '../../shared/contract/analysis';
import { ANALYSES } from '../../shared/analyses';
import { translate } from '../../shared/i18n';
import { generateCrashCsv } from '../../electron/engine/generate';
import { startTestEngine, type TestEngine } from '../support/pg';

let t: TestEngine;
let out: string;
let run: AnalysisRun;

function countBy(rows: Array<Record<string, string>>, column: string): ResultTable {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r[column]!, (counts.get(r[column]!) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    columns: [
      { name: column, type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
    ],
    rows: sorted.map(([k, n]) => [k === '' ? null : k, n, n / rows.length]),
  };
}

function result(id: string, table: ResultTable | null, extra: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    id,
    status: 'ok',
    table,
    params: {},
    timings: { loadMs: 0, computeMs: 12.5, totalMs: 12.5 },
    rowsIn: 5000,
    rowsOut: table?.rows.length ?? 0,
    ...extra,
  };
}

beforeAll(async () => {
  t = await startTestEngine();
  out = path.join(t.home, 'exports');
  const file = path.join(t.home, 'crash.csv');
  await generateCrashCsv({ rows: 5000, seed: 3, out: file });
  const imported = await t.client.run('dataset/import', { path: file, name: 'crash' });
  const rows = parse(fs.readFileSync(file), { bom: true, columns: true }) as Array<Record<string, string>>;
  run = {
    runId: 'run-test-1',
    engine: 'polars',
    dataset: 'crash',
    version: imported.version,
    startedAt: '2025-01-02T03:04:05.000Z',
    cleaning: { sentinelsAsNull: false, mergeMakes: true, dropOriginalNulls: true },
    loadMs: 120,
    loadSource: 'postgres',
    totalMs: 480,
    rows: rows.length,
    results: [
      result('desc-body-type', countBy(rows, 'Vehicle Body Type')),
      result('desc-crash-year', countBy(rows, 'Year')),
      result('desc-state', {
        columns: [
          { name: 'State of Registration', type: 'text' },
          { name: 'count', type: 'integer' },
        ],
        rows: [
          ['=cmd|calc', 3],
          ['-minus', -4],
          ['NY', 10],
        ],
      }),
      result('corr-pearson', null, { status: 'failed', reason: 'boom: not enough numeric columns' }),
    ],
    versions: { polars: '0.25.2' },
  };
});

afterAll(async () => t?.close());

describe('export/results', () => {
  it('CSV: one file per analysis with a table, values as computed, formulas neutralised', async () => {
    const folder = path.join(out, 'csv');
    const res = await t.client.run('export/results', { run, format: 'csv', path: folder });
    expect(res.files.map((f) => path.basename(f)).sort()).toEqual(['desc-body-type.csv', 'desc-crash-year.csv', 'desc-state.csv']);
    const body = parse(fs.readFileSync(path.join(folder, 'desc-body-type.csv')), { bom: true }) as string[][];
    const table = run.results[0]!.table!;
    expect(body[0]).toEqual(table.columns.map((c) => c.name));
    expect(body.slice(1)).toEqual(table.rows.map((r) => r.map((v) => (v === null ? '' : String(v)))));
    const state = parse(fs.readFileSync(path.join(folder, 'desc-state.csv')), { bom: true, from_line: 2 }) as string[][];
    expect(state).toEqual([
      ["'=cmd|calc", '3'],
      ["'-minus", '-4'],
      ['NY', '10'],
    ]);
    expect(res.neutralised).toBe(2);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('JSON: rows as objects with the run context', async () => {
    const folder = path.join(out, 'json');
    await t.client.run('export/results', { run, format: 'json', path: folder, analyses: ['desc-crash-year'] });
    const doc = JSON.parse(fs.readFileSync(path.join(folder, 'desc-crash-year.json'), 'utf8')) as {
      analysis: string;
      runId: string;
      rows: Array<Record<string, unknown>>;
    };
    expect(doc.analysis).toBe('desc-crash-year');
    expect(doc.runId).toBe(run.runId);
    const table = run.results[1]!.table!;
    expect(doc.rows).toEqual(table.rows.map((r) => ({ Year: r[0], count: r[1], share: r[2] })));
  });

  it('Parquet: read back with Polars, typed', async () => {
    const folder = path.join(out, 'parquet');
    await t.client.run('export/results', { run, format: 'parquet', path: folder });
    const df = pl.readParquet(path.join(folder, 'desc-body-type.parquet'));
    const table = run.results[0]!.table!;
    expect(df.columns).toEqual(['Vehicle Body Type', 'count', 'share']);
    expect(String(df.getColumn('count').dtype)).toMatch(/Int64/);
    expect(df.rows().map((r) => (r as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual(table.rows);
  });

  it('XLSX: a Run sheet and one sheet per analysis, read back with exceljs', async () => {
    const file = path.join(out, 'results.xlsx');
    const res = await t.client.run('export/results', { run, format: 'xlsx', path: file });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const titles = ['desc-body-type', 'desc-crash-year', 'desc-state'].map((id) =>
      translate('en', ANALYSES.find((a) => a.id === id)!.title).slice(0, 31),
    );
    expect(book.worksheets.map((w) => w.name)).toEqual(['Run', ...titles.map((s) => s.replace(/[[\]:*?/\\]/g, ' ').trim())]);
    const sheet = book.worksheets[1]!;
    const table = run.results[0]!.table!;
    expect(sheet.rowCount).toBe(table.rows.length + 1);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(table.rows[0]);
    // XLSX strings are never formulas: the text stays as computed.
    expect(book.worksheets[3]!.getCell('A2').value).toBe('=cmd|calc');
    expect(book.worksheets[3]!.getCell('A3').value).toBe('-minus');
    book.worksheets.forEach((w) => w.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula))));
    expect(res.neutralised).toBe(0);
    expect(res.rows).toBe(run.results.reduce((n, r) => n + (r.table?.rows.length ?? 0), 0));
  });

  it('raw CSV keeps text as computed', async () => {
    const folder = path.join(out, 'csv-raw');
    const res = await t.client.run('export/results', { run, format: 'csv', path: folder, raw: true, analyses: ['desc-state'] });
    const state = parse(fs.readFileSync(path.join(folder, 'desc-state.csv')), { bom: true, from_line: 2 }) as string[][];
    expect(state).toEqual([
      ['=cmd|calc', '3'],
      ['-minus', '-4'],
      ['NY', '10'],
    ]);
    expect(res.neutralised).toBe(0);
  });

  it('refuses ids the run does not have', async () => {
    const err = await t.client
      .run('export/results', { run, format: 'csv', path: path.join(out, 'x'), analyses: ['nope'] })
      .catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('ANALYSIS_NOT_FOUND');
  });
});

describe('export/report', () => {
  it('writes one self-contained HTML file with facts, cleaning, timings, tables and SVG charts', async () => {
    const file = path.join(out, 'report.html');
    await t.client.run('export/report', { run, path: file });
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(html).toContain('@media print');
    expect(html).toContain('crash');
    expect(html).toContain(run.runId);
    // Dataset facts from the catalog.
    expect(html).toContain('5,000');
    // One section per result, each table's values, failures with their reason.
    for (const r of run.results) expect(html).toContain(`id="a-${r.id}"`);
    for (const [k, n] of run.results[0]!.table!.rows.slice(0, 5).map((r) => [r[0], r[1]])) {
      expect(html).toContain(`<td>${String(k)}</td>`);
      expect(html).toContain(`>${Number(n).toLocaleString('en-US')}</td>`);
    }
    expect(html).toContain('=cmd|calc');
    expect(html).toContain('boom: not enough numeric columns');
    expect((html.match(/<svg[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(html).toContain(translate('en', ANALYSES.find((a) => a.id === 'desc-body-type')!.title));
    // The source file by name, never where it lives on this disk.
    expect(html).toContain('>crash.csv<');
    expect(html).not.toContain(t.home);
  });

  it('speaks French when asked', async () => {
    const file = path.join(out, 'rapport.html');
    await t.client.run('export/report', { run, path: file, lang: 'fr' });
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Options de nettoyage');
    expect(html).toContain(translate('fr', ANALYSES.find((a) => a.id === 'desc-body-type')!.title));
  });
});
