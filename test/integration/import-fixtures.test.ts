/**
 * The fixture corpus (test/fixtures/csv/README.md lists each file and its documented outcome).
 * Files that a strict parser can read are compared value by value with csv-parse; malformed ones
 * are checked against the outcome the README documents (which rows load, which are rejected,
 * at which line and why).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { ColumnType } from '../../shared/types';
import { startTestEngine, type TestEngine } from '../support/pg';
import { dataTables, fixture, readCsvIndependently, tableAsText } from '../support/import-helpers';

/** What a typed column must hold for a CSV text, written independently of the importer. */
function expectedText(type: ColumnType, csv: string, opts: { decimalComma?: boolean; dayFirst?: boolean } = {}): string | null {
  if (csv === '') return null;
  switch (type) {
    case 'boolean':
      return ['true', 't', 'yes'].includes(csv.toLowerCase()) ? 'true' : 'false';
    case 'double':
      return String(Number(csv));
    case 'numeric':
      return opts.decimalComma ? csv.replace(',', '.') : csv;
    case 'date':
    case 'timestamp': {
      const slash = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ([AP]M))?)?$/.exec(csv);
      if (!slash) return csv.replace('T', ' ');
      const [, a, b, y, h, mi, s, ampm] = slash;
      const [m, d] = opts.dayFirst ? [b!, a!] : [a!, b!];
      const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
      if (!h) return type === 'date' ? date : `${date} 00:00:00`;
      const hour = ampm ? (Number(h) % 12) + (ampm === 'PM' ? 12 : 0) : Number(h);
      return `${date} ${String(hour).padStart(2, '0')}:${mi}:${s ?? '00'}`;
    }
    default:
      return csv;
  }
}

describe('fixture corpus', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => t.close());

  const load = (name: string, extra: Record<string, unknown> = {}) => t.client.run('dataset/import', { path: fixture(name), ...extra });
  const failure = (name: string, extra: Record<string, unknown> = {}) =>
    load(name, extra).then(
      () => {
        throw new Error(`${name} imported but should have failed`);
      },
      (err: unknown) => err as StudioError,
    );
  const rows = (r: ImportResult) =>
    tableAsText(
      t.engine.ctx.db,
      r.table,
      r.columns.map((c) => c.identifier),
    );
  const rejects = async (r: ImportResult) => (await t.client.call('dataset/rejects', { dataset: r.dataset, version: r.version })).rows;

  /** The table equals csv-parse's reading of the file, with typed values in their PostgreSQL text form. */
  async function expectSameAsIndependentReading(
    r: ImportResult,
    file: string,
    read: { delimiter?: string; encoding?: string },
    opts: { decimalComma?: boolean; dayFirst?: boolean } = {},
  ) {
    const expected = readCsvIndependently(fixture(file), read);
    expect(r.columns.map((c) => c.name)).toEqual(expected.header);
    const actual = await rows(r);
    expect(actual.length).toBe(expected.records.length);
    expect(r.rows).toBe(expected.records.length);
    actual.forEach((row, i) =>
      row.forEach((cell, c) => {
        const column = r.columns[c]!;
        const want = expectedText(column.type, expected.records[i]![c]!, opts);
        expect(column.type === 'text' ? (cell ?? '') : cell, `${file} row ${i + 1} ${column.name}`).toBe(
          column.type === 'text' ? (want ?? '') : want,
        );
      }),
    );
  }

  it('ragged rows: skip loads the good rows and rejects the others with line and reason', async () => {
    const r = await load('ragged-rows.csv');
    expect(r.rows).toBe(2);
    expect(r.rejected).toBe(2);
    expect((await rows(r)).map((row) => row[0])).toEqual(['1', '4']);
    const rej = await rejects(r);
    expect(rej).toEqual([
      { line: 3, reason: '2 fields where the header has 3 (column 3 ("score") is missing)', text: '2,beta' },
      { line: 4, reason: '4 fields where the header has 3 (column 4 is extra)', text: '3,gamma,30,extra' },
    ]);
    expect(fs.existsSync(r.rejectsFile!)).toBe(true);
  });

  it('ragged rows: abort stops at the first bad row, naming line, column and reason, and creates nothing', async () => {
    const before = await dataTables(t.engine.ctx.db);
    const err = await failure('ragged-rows.csv', { name: 'ragged-abort', onError: 'abort' });
    expect(err.code).toBe('CSV_MALFORMED');
    expect(err.message).toBe('Line 3: 2 fields where the header has 3 (column 3 ("score") is missing)');
    expect(err.details).toMatchObject({ line: 3, column: 3, columnName: 'score' });
    await expect(t.client.call('dataset/get', { dataset: 'ragged-abort' })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    expect(await dataTables(t.engine.ctx.db)).toEqual(before);
  });

  it('unclosed quote: the record that opens it is rejected up to the end of the file', async () => {
    const r = await load('unclosed-quote.csv');
    expect(await rows(r)).toEqual([
      ['1', 'fine'],
      ['2', 'also fine'],
    ]);
    const rej = await rejects(r);
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ line: 4, reason: 'column 2 ("comment"): a quoted field is not closed before the end of the file' });
    expect(rej[0]!.text).toBe('3,"never closed\n4,swallowed by the open quote\n');
  });

  it('text after a closing quote: that record is rejected', async () => {
    const r = await load('text-after-quote.csv');
    expect((await rows(r)).map((row) => row[0])).toEqual(['1', '3']);
    expect(await rejects(r)).toEqual([
      { line: 3, reason: 'column 2 ("comment"): text after the closing quote of a quoted field', text: '2,"bad"tail' },
    ]);
  });

  it('invalid UTF-8: the file stays UTF-8 and only the undecodable row is rejected', async () => {
    const r = await load('invalid-utf8.csv');
    expect(r.encoding).toBe('utf-8');
    expect(await rows(r)).toEqual([
      ['1', 'Montréal'],
      ['2', 'Québec'],
      ['4', 'Zürich'],
    ]);
    const rej = await rejects(r);
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ line: 4, reason: 'bytes that are not valid UTF-8 (the file was read as UTF-8)' });
    expect(rej[0]!.text.startsWith('3,Caf')).toBe(true);
  });

  it('Latin-1 / Windows-1252 with French accents is detected and decoded exactly', async () => {
    const r = await load('latin1-french.csv');
    expect(r).toMatchObject({ encoding: 'windows-1252', delimiter: ';', rejected: 0 });
    await expectSameAsIndependentReading(r, 'latin1-french.csv', { delimiter: ';', encoding: 'windows-1252' });
    expect((await rows(r))[1]).toEqual(['2', 'Besançon', "Cœur à l'ouvrage"]);
  });

  it('; separated with decimal commas and day-first dates: numeric and date columns', async () => {
    const r = await load('semicolon-decimal-comma.csv');
    expect(r.delimiter).toBe(';');
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toEqual({
      produit: 'text',
      prix: 'numeric',
      quantité: 'integer',
      date: 'date',
      poids: 'numeric',
    });
    await expectSameAsIndependentReading(r, 'semicolon-decimal-comma.csv', { delimiter: ';' }, { decimalComma: true, dayFirst: true });
    const { rows: sums } = await t.engine.ctx.db.query<{ total: string }>(
      `SELECT sum(prix * "quantité")::text AS total FROM data."${r.table}"`,
    );
    expect(sums[0]!.total).toBe(String((120 * 3 + 95 * 12 + 1250 * 1 - 210 * 2) / 100).padEnd(5, '0'));
  });

  it('duplicate and empty headers get unique identifiers; display names are kept', async () => {
    const r = await load('duplicate-empty-headers.csv');
    expect(r.columns.map((c) => c.name)).toEqual(['a', 'a', '', 'A', ' ', 'b']);
    expect(r.columns.map((c) => c.identifier)).toEqual(['a', 'a_2', 'column_3', 'A_3', 'column_5', 'b']);
    await expectSameAsIndependentReading(r, 'duplicate-empty-headers.csv', {});
  });

  it('hostile header names just work', async () => {
    const r = await load('hostile-headers.csv');
    const ids = r.columns.map((c) => c.identifier);
    expect(ids.slice(0, 3)).toEqual(['x"; DROP TABLE t; --', 'select', 'ctid_2']);
    for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(63);
    expect(new Set(ids.map((i) => i.toLowerCase())).size).toBe(ids.length);
    await expectSameAsIndependentReading(r, 'hostile-headers.csv', {});
    const { rows: cols } = await t.engine.ctx.db.query<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`,
      [`data."${r.table}"`],
    );
    expect(cols.map((c) => c.attname)).toEqual(ids);
  });

  it('header only: a valid empty table with text columns', async () => {
    const r = await load('header-only.csv');
    expect(r.rows).toBe(0);
    expect(r.columns).toEqual([
      { name: 'id', identifier: 'id', type: 'text' },
      { name: 'name', identifier: 'name', type: 'text' },
      { name: 'value', identifier: 'value', type: 'text' },
    ]);
    expect(await rows(r)).toEqual([]);
  });

  it('empty file and blank-only file: a clear CSV_EMPTY error', async () => {
    expect(await failure('empty.csv')).toMatchObject({ code: 'CSV_EMPTY', message: 'The file is empty.' });
    expect((await failure('blank-only.csv')).code).toBe('CSV_EMPTY');
  });

  it('CR-only line ends, a quoted CR and no final newline', async () => {
    const r = await load('cr-line-ends.csv');
    expect(r.lineEnding).toBe('CR');
    expect(await rows(r)).toEqual([
      ['1', 'one'],
      ['2', 'two\rlines'],
      ['3', 'three'],
    ]);
  });

  it('UTF-16 with a BOM, little and big endian', async () => {
    const le = await load('utf16le-bom.csv');
    expect(le.encoding).toBe('utf-16le');
    await expectSameAsIndependentReading(le, 'utf16le-bom.csv', { encoding: 'utf-16le' });
    const be = await load('utf16be-bom.csv');
    expect(be.encoding).toBe('utf-16be');
    await expectSameAsIndependentReading(be, 'utf16be-bom.csv', { encoding: 'utf-16be' });
  });

  it('quoted newlines, quotes and delimiters are data; line numbers count the lines inside quotes', async () => {
    const r = await load('quoted-newlines.csv');
    const table = await rows(r);
    expect(table[0]).toEqual(['1', 'first line\r\nsecond line', '10']);
    expect(table[1]).toEqual(['2', 'has "quotes", commas, and\nLF', '20']);
    expect(r.columns.map((c) => c.type)).toEqual(['integer', 'text', 'text']);
    expect(await rejects(r)).toEqual([
      { line: 8, reason: '4 fields where the header has 3 (column 4 is extra)', text: '5,"short",1,extra' },
    ]);
  });

  it('tab and pipe delimiters', async () => {
    const tab = await load('tab-separated.tsv');
    expect(tab.delimiter).toBe('\t');
    await expectSameAsIndependentReading(tab, 'tab-separated.tsv', { delimiter: '\t' });
    const pipe = await load('pipe-separated.csv');
    expect(pipe.delimiter).toBe('|');
    await expectSameAsIndependentReading(pipe, 'pipe-separated.csv', { delimiter: '|' });
  });

  it('mixed line ends in one file', async () => {
    const r = await load('mixed-line-ends.csv');
    expect(await rows(r)).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
      ['4', 'd'],
    ]);
  });

  it('quotes inside unquoted fields are literal characters', async () => {
    const r = await load('stray-quotes.csv');
    expect(await rows(r)).toEqual([
      ['1', '12" pizza', 'big'],
      ['2', `5'11"`, 'tall'],
    ]);
  });

  it('blank lines are skipped and counted, not rows', async () => {
    const r = await load('blank-lines.csv');
    expect(r.blankLines).toBe(4);
    expect(r.rejected).toBe(0);
    await expectSameAsIndependentReading(r, 'blank-lines.csv', {});
  });

  it('infers every column type, and keeps zero-padded codes as text', async () => {
    const r = await load('types.csv');
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toEqual({
      i: 'integer',
      big: 'bigint',
      num: 'numeric',
      dbl: 'double',
      flag: 'boolean',
      day: 'date',
      us_day: 'date',
      ts: 'timestamp',
      us_ts: 'timestamp',
      zip: 'text',
      txt: 'text',
    });
    const expected = readCsvIndependently(fixture('types.csv'));
    const table = await rows(r);
    table.forEach((row, i) =>
      row.forEach((cell, c) => {
        const col = r.columns[c]!;
        const csv = expected.records[i]![c]!;
        if (col.type === 'timestamp' && csv.includes('.')) expect(cell).toBe(csv.replace('T', ' '));
        else
          expect(col.type === 'text' ? (cell ?? '') : cell, `${col.name} row ${i + 1}`).toBe(
            col.type === 'text' ? csv : expectedText(col.type, csv),
          );
      }),
    );
  });

  it('a single column holding `\\.` (the old end-of-data marker) keeps it as data', async () => {
    const r = await load('single-column.csv');
    await expectSameAsIndependentReading(r, 'single-column.csv', {});
  });
});
