/**
 * `dataset/page` on a real imported table, against an independent computation: the generated
 * CSV parsed in JS, filtered and sorted here with PostgreSQL's rules (nulls last ascending, first
 * descending, ties in file order), then sliced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnFilter, DatasetPage } from '../../shared/contract/dataset';
import { StudioError } from '../../shared/errors';
import { NUMERIC_TYPES, type DatasetColumn } from '../../shared/types';
import { generateCrashCsv } from '../../electron/engine/generate';
import { DIRECT_WINDOW, rowMapName, viewKey } from '../../electron/engine/browse';
import { startTestEngine, type TestEngine, adminClient, tableOid } from '../support/pg';

const ROWS = 30_000;
type Cell = string | number | null;

let t: TestEngine;
let columns: DatasetColumn[];
let table: string;
let fileRows: Cell[][];
const id = (name: string) => columns.find((c) => c.name === name)!.identifier;
const idx = (identifier: string) => columns.findIndex((c) => c.identifier === identifier);

beforeAll(async () => {
  t = await startTestEngine();
  const file = path.join(t.home, 'crash.csv');
  await generateCrashCsv({ rows: ROWS, seed: 7, out: file });
  const result = await t.client.run('dataset/import', { path: file, name: 'crash' });
  expect(result.rejected).toBe(0);
  columns = result.columns;
  table = result.table;
  const raw = parse(fs.readFileSync(file), { bom: true, from_line: 2 }) as string[][];
  // COPY reads an unquoted empty field as NULL in every column type.
  fileRows = raw.map((r) => r.map((v, i) => (v === '' ? null : NUMERIC_TYPES.includes(columns[i]!.type) ? Number(v) : v)));
});

afterAll(async () => t?.close());

function matches(row: Cell[], f: ColumnFilter): boolean {
  const v = row[idx(f.column)]!;
  switch (f.op) {
    case 'isNull':
      return v === null;
    case 'notNull':
      return v !== null;
    case 'contains':
      return v !== null && String(v).toLowerCase().includes(f.value.toLowerCase());
    case 'equals':
      return v !== null && String(v) === String(f.value);
    case 'oneOf':
      return v !== null && f.values.map(String).includes(String(v));
    case 'range':
      return v !== null && (f.min === null || (v as number) >= f.min) && (f.max === null || (v as number) <= f.max);
  }
}

function expected(sort: Array<{ column: string; direction: 'asc' | 'desc' }>, filters: ColumnFilter[]): Cell[][] {
  const rows = fileRows.map((r, i) => ({ r, i })).filter(({ r }) => filters.every((f) => matches(r, f)));
  rows.sort((a, b) => {
    for (const key of sort) {
      const x = a.r[idx(key.column)]!;
      const y = b.r[idx(key.column)]!;
      if (x === y) continue;
      // Nulls are the largest values: last ascending, first descending.
      const cmp = x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
      return key.direction === 'asc' ? cmp : -cmp;
    }
    return a.i - b.i; // ties in file order
  });
  return rows.map(({ r }) => r);
}

async function page(
  sort: Array<{ column: string; direction: 'asc' | 'desc' }>,
  filters: ColumnFilter[],
  offset: number,
  limit: number,
): Promise<DatasetPage> {
  return t.client.call('dataset/page', { dataset: 'crash', sort, filters, offset, limit }) as Promise<DatasetPage>;
}

async function check(sort: Array<{ column: string; direction: 'asc' | 'desc' }>, filters: ColumnFilter[], offsets: number[], limit = 200) {
  const want = expected(sort, filters);
  for (const offset of offsets) {
    const got = await page(sort, filters, offset, limit);
    expect(got.totalRows, `total at ${offset}`).toBe(want.length);
    expect(got.rows, `rows at ${offset}`).toEqual(want.slice(offset, offset + limit));
  }
}

describe('dataset/page', () => {
  it('serves the file order unsorted, near the top and deep (row map), with the catalog count', async () => {
    await check([], [], [0, 200, DIRECT_WINDOW - 200, DIRECT_WINDOW - 50, 20_000, ROWS - 100, ROWS]);
    const first = await page([], [], 0, 3);
    expect(first.columns.map((c) => c.name)).toContain('Vehicle Year');
    expect(typeof first.rows[0]![idx(id('Year'))]).toBe('number');
  });

  it('sorts by a number descending with an equality filter, at every depth', async () => {
    const sort = [{ column: id('Vehicle Year'), direction: 'desc' as const }];
    const filters: ColumnFilter[] = [{ column: id('State of Registration'), op: 'equals', value: 'NY' }];
    await check(sort, filters, [0, 200, 5_000, 15_000, 24_000]);
  });

  it('serves a sorted view from its row map once built, with the same rows as before', async () => {
    const sort = [{ column: id('Vehicle Make'), direction: 'asc' as const }];
    const filters: ColumnFilter[] = [{ column: id('Number of Occupants'), op: 'range', min: 1, max: null }];
    const before = await page(sort, filters, 400, 200); // answered directly; the map builds meanwhile
    const prepared = await t.engine.ctx.browse.prepare({ dataset: 'crash', sort, filters });
    expect(prepared.totalRows).toBe(expected(sort, filters).length);
    const admin = await adminClient(t);
    try {
      const info = await t.client.call('dataset/get', { dataset: 'crash' });
      const oid = await tableOid(admin, table);
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM browse.' + rowMapName(oid, viewKey(info, { sort, filters })));
      expect(rows[0].n).toBe(prepared.totalRows);
    } finally {
      await admin.end();
    }
    expect(await page(sort, filters, 400, 200)).toEqual(before);
    await check(sort, filters, [0, 400, 13_000]);
  });

  it('sorts by several columns in mixed directions, text ascending with nulls last', async () => {
    const sort = [
      { column: id('Vehicle Make'), direction: 'asc' as const },
      { column: id('Number of Occupants'), direction: 'desc' as const },
    ];
    await check(sort, [], [0, 9_800, 12_000, ROWS - 300]);
  });

  it.each<[string, () => ColumnFilter[]]>([
    ['contains (case-insensitive)', () => [{ column: id('Vehicle Make'), op: 'contains', value: 'chev' }]],
    [
      'contains with LIKE wildcards taken literally',
      () => [{ column: id('Contributing Factor 1 Description'), op: 'contains', value: '_' }],
    ],
    ['equals on a number', () => [{ column: id('Year'), op: 'equals', value: 2017 }]],
    ['equals on a number given as text', () => [{ column: id('Number of Occupants'), op: 'equals', value: '2' }]],
    ['one of', () => [{ column: id('Vehicle Body Type'), op: 'oneOf', values: ['DUMP', 'SEDAN', 'BUS (OMNIBUS)'] }]],
    ['one of numbers', () => [{ column: id('Engine Cylinders'), op: 'oneOf', values: [6, 8] }]],
    ['range', () => [{ column: id('Number of Occupants'), op: 'range', min: 2, max: 5 }]],
    ['open range', () => [{ column: id('Vehicle Year'), op: 'range', min: null, max: 1992.5 }]],
    ['is null', () => [{ column: id('Engine Cylinders'), op: 'isNull' }]],
    [
      'not null, combined',
      () => [
        { column: id('Partial VIN'), op: 'notNull' },
        { column: id('Event Type'), op: 'contains', value: ', collision' },
      ],
    ],
    ['a quote in the value', () => [{ column: id('Contributing Factor 2 Description'), op: 'equals', value: "Animal's Action" }]],
    ['matching nothing', () => [{ column: id('Number of Occupants'), op: 'equals', value: 2.5 }]],
  ])('filters: %s', async (_label, filters) => {
    await check([{ column: id('Case Vehicle ID'), direction: 'asc' }], filters(), [0, 400]);
  });

  it('answers the same page twice identically (stable order, cached count)', async () => {
    const sort = [{ column: id('Direction of Travel'), direction: 'asc' as const }];
    const a = await page(sort, [], 11_000, 300);
    const b = await page(sort, [], 11_000, 300);
    expect(b).toEqual(a);
  });

  it('refuses unknown columns and values that do not fit their column, naming them', async () => {
    const fails = async (p: Promise<unknown>, text: RegExp) => {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).code).toBe('INVALID_REQUEST');
      expect((err as StudioError).message).toMatch(text);
    };
    await fails(page([{ column: 'nope', direction: 'asc' }], [], 0, 10), /no column "nope"/);
    await fails(page([], [{ column: 'x"; DROP TABLE t; --', op: 'isNull' }], 0, 10), /no column/);
    await fails(page([], [{ column: id('Year'), op: 'equals', value: 'abc' }], 0, 10), /numbers/);
    await fails(page([], [{ column: id('Vehicle Make'), op: 'range', min: 1, max: 2 }], 0, 10), /numeric column/);
    const missing = await t.client.call('dataset/page', { dataset: 'nope' }).catch((e: unknown) => e);
    expect((missing as StudioError).code).toBe('DATASET_NOT_FOUND');
  });

  it('works with hostile header names', async () => {
    const file = path.join(t.home, 'hostile.csv');
    fs.writeFileSync(file, 'x"; DROP TABLE t; --,select,n\nb,1,3\na,2,\n"c,d",3,1\n');
    const result = await t.client.run('dataset/import', { path: file, name: 'hostile' });
    const [evil, select, n] = result.columns.map((c) => c.identifier);
    const got = await t.client.call('dataset/page', {
      dataset: 'hostile',
      sort: [{ column: n!, direction: 'asc' }],
      filters: [
        { column: evil!, op: 'notNull' },
        { column: select!, op: 'range', min: 1, max: 3 },
      ],
    });
    expect(got.totalRows).toBe(3);
    expect(got.rows).toEqual([
      ['c,d', 3, 1],
      ['b', 1, 3],
      ['a', 2, null],
    ]);
  });
});
