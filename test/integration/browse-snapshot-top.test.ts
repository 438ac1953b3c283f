/**
 * A new view's first rows computed from the version's snapshot (browse/snapshot-top.ts) are
 * PostgreSQL's own: for many views of the 4,401 real rows and of generated rows with nulls, ties,
 * non-ASCII text, empty strings, negative and large numbers and dates, the first 1,000 row ids
 * equal `SELECT ctid … WHERE … ORDER BY keys, ctid LIMIT 1000`, the WHERE written here from the
 * test's own rules (not view-sql's). The fast path must really be used where it applies, and not
 * where it cannot be exact: no snapshot, a stale one, a table not in file order, a non-C
 * collation; rows read by ctid that differ from the snapshot make the page fall back.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetView, type ColumnFilter } from '../../shared/contract/dataset';
import type { DatasetColumn, DatasetVersionInfo } from '../../shared/types';
import { Browser, jsonSafeTypes, parametersBinder, viewSql } from '../../electron/engine/browse';
import { SnapshotTops } from '../../electron/engine/browse/snapshot-top';
import { atOrBefore } from '../../electron/engine/browse/threshold';
import { pendingImportFrames } from '../../electron/engine/analysis/import-frame';
import { readSnapshot, snapshotColumns, snapshotDir } from '../../electron/engine/analysis/snapshot';
import { mulberry32 } from '../../electron/engine/generate/random';
import { startTestEngine, type TestEngine, adminClient, tableOid } from '../support/pg';
import { REAL_4401 } from '../support/real-data';

type Sort = Array<{ column: string; direction: 'asc' | 'desc' }>;
interface Case {
  sort: Sort;
  filters: ColumnFilter[];
}

const WANT = 1_000;
const GENERATED_ROWS = 6_000;
let t: TestEngine;
let admin: pg.Client;
const infos = new Map<string, DatasetVersionInfo>();

const CATEGORIES = [
  'É',
  'e',
  'E',
  'é',
  'ß',
  'ss',
  'SS',
  '😀',
  'a😀b',
  'Zeta',
  'zeta',
  'ABC',
  'abc',
  'Ä',
  'ä',
  'Straße',
  'STRASSE',
  ' x',
  'x ',
];

/** A CSV with what sorting and filtering get wrong: nulls, empty strings, non-ASCII text, ties, negatives, big numbers, dates. */
function generatedCsv(file: string): void {
  const random = mulberry32(4242);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = ['cat,free,n,big,d'];
  for (let i = 0; i < GENERATED_ROWS; i++) {
    const r = random();
    const cat = r < 0.08 ? '' : r < 0.12 ? '""' : quote(pick(CATEGORIES)); // unquoted empty: NULL; quoted: an empty string
    const free = random() < 0.05 ? '' : quote(`${pick(CATEGORIES)}${Math.floor(random() * 2000)}${pick(['', 'é', '😀', 'Q'])}`);
    const n = random() < 0.1 ? '' : String(Math.floor(random() * 11) - 5);
    const big = random() < 0.1 ? '' : String((random() < 0.5 ? -1 : 1) * (3_000_000_000 + Math.floor(random() * 50)));
    const d = random() < 0.1 ? '' : `20${10 + Math.floor(random() * 10)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`;
    lines.push([cat, free, n, big, d].join(','));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

async function importSettled(name: string, file: string): Promise<DatasetVersionInfo> {
  await t.client.run('dataset/import', { path: file, name });
  await Promise.all(pendingImportFrames(t.home)); // the snapshot is on disk
  const info = await t.client.call('dataset/get', { dataset: name });
  infos.set(name, info);
  return info;
}

beforeAll(async () => {
  t = await startTestEngine();
  const file = path.join(t.home, 'edge.csv');
  generatedCsv(file);
  await importSettled('edge', file);
  await importSettled('real', REAL_4401);
  admin = await adminClient(t);
});

afterAll(async () => {
  await admin?.end();
  await t?.close();
});

const q = (identifier: string) => pg.escapeIdentifier(identifier);
const lit = (v: string) => pg.escapeLiteral(v);

/** A number as a numeric literal (2.5 equals no integer), anything else as text cast to the column's type. */
const value = (v: string | number | boolean) => (typeof v === 'number' ? String(v) : lit(String(v)));

/** The test's own SQL for a filter (PostgreSQL casts the literal to the column's type). */
function oracleWhere(f: ColumnFilter): string {
  const c = q(f.column);
  switch (f.op) {
    case 'isNull':
      return `${c} IS NULL`;
    case 'notNull':
      return `${c} IS NOT NULL`;
    case 'contains':
      return `position(lower(${lit(f.value)}) in lower(${c}::text)) > 0`;
    case 'equals':
      return `${c} = ${value(f.value)}`;
    case 'oneOf':
      return `${c} IN (${f.values.map(value).join(', ')})`;
    case 'range':
      return [f.min === null ? 'TRUE' : `${c} >= ${f.min}`, f.max === null ? 'TRUE' : `${c} <= ${f.max}`].join(' AND ');
  }
}

async function oracleRids(info: DatasetVersionInfo, c: Case): Promise<string[]> {
  const where = c.filters.length ? `WHERE ${c.filters.map((f) => `(${oracleWhere(f)})`).join(' AND ')}` : '';
  const order = [...c.sort.map((k) => `${q(k.column)}${k.direction === 'desc' ? ' DESC' : ''}`), 'ctid'].join(', ');
  const { rows } = await admin.query<{ rid: string }>(
    `SELECT ctid::text AS rid FROM data.${q(info.table)} ${where} ORDER BY ${order} LIMIT ${WANT}`,
  );
  return rows.map((r) => r.rid);
}

async function oid(info: DatasetVersionInfo): Promise<number> {
  return tableOid(admin, info.table);
}

/** The fast path's first row ids for a view, and why it was not used ('' when it was). */
async function fastRids(tops: SnapshotTops, info: DatasetVersionInfo, c: Case): Promise<{ rids: string[] | null; reason: string }> {
  const sql = viewSql(info, c, parametersBinder([]));
  const top = await tops.top(info, await oid(info), sql, WANT, 'wait');
  return { rids: top && 'rids' in top ? top.rids : null, reason: tops.lastReason };
}

/** PostgreSQL's first row ids bounded by the snapshot's `want`-th row, as the page asks before the block table is ready. */
async function boundedRids(tops: SnapshotTops, info: DatasetVersionInfo, c: Case): Promise<string[] | 'no bound'> {
  const params: unknown[] = [];
  const sql = viewSql(info, c, parametersBinder(params));
  const top = await tops.top(info, await oid(info), sql, WANT, 'bound');
  if (!top || !('at' in top)) return 'no bound';
  const bound = atOrBefore(sql.sort, sql.columns, top.at, parametersBinder(params), top.beforeBlock);
  const { rows } = await admin.query<{ rid: string }>(
    `SELECT ctid::text AS rid FROM ${sql.table} ${sql.where ? `${sql.where} AND` : 'WHERE'} ${bound} ORDER BY ${sql.orderBy} LIMIT ${WANT}`,
    params,
  );
  return rows.map((r) => r.rid);
}

function col(info: DatasetVersionInfo, name: string): DatasetColumn {
  const c = info.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

/** Views over every sortable column both ways, pairs of keys, each filter op and combinations. */
function edgeCases(info: DatasetVersionInfo): Case[] {
  const [cat, free, n, big, d] = ['cat', 'free', 'n', 'big', 'd'].map((name) => col(info, name).identifier) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const cases: Case[] = [];
  for (const column of [cat, free, n, big, d])
    for (const direction of ['asc', 'desc'] as const) cases.push({ sort: [{ column, direction }], filters: [] });
  cases.push(
    {
      sort: [
        { column: cat, direction: 'asc' },
        { column: n, direction: 'desc' },
      ],
      filters: [],
    },
    {
      sort: [
        { column: n, direction: 'desc' },
        { column: free, direction: 'asc' },
      ],
      filters: [],
    },
    {
      sort: [
        { column: d, direction: 'desc' },
        { column: cat, direction: 'desc' },
      ],
      filters: [],
    },
    {
      sort: [
        { column: big, direction: 'asc' },
        { column: d, direction: 'asc' },
      ],
      filters: [],
    },
  );
  const filters: ColumnFilter[] = [
    { column: cat, op: 'isNull' },
    { column: cat, op: 'notNull' },
    { column: d, op: 'isNull' },
    { column: cat, op: 'equals', value: '' },
    { column: cat, op: 'equals', value: 'É' },
    { column: cat, op: 'equals', value: 'not there' },
    { column: cat, op: 'contains', value: 'e' },
    { column: cat, op: 'contains', value: 'SS' },
    { column: cat, op: 'contains', value: 'é' },
    { column: cat, op: 'contains', value: '😀' },
    { column: cat, op: 'contains', value: '' },
    { column: cat, op: 'oneOf', values: ['ß', 'ss', '', 'zeta'] },
    { column: free, op: 'equals', value: `${CATEGORIES[0]}17` },
    { column: free, op: 'oneOf', values: ['Zeta5', 'ABC12Q', 'nothing'] },
    { column: n, op: 'equals', value: -3 },
    { column: n, op: 'equals', value: '2' },
    { column: n, op: 'equals', value: 2.5 },
    { column: n, op: 'oneOf', values: [-5, 0, '4'] },
    { column: n, op: 'range', min: -2, max: 1 },
    { column: n, op: 'range', min: -1.5, max: null },
    { column: n, op: 'range', min: null, max: 0.5 },
    { column: big, op: 'range', min: -3_000_000_010, max: 3_000_000_010 },
    { column: big, op: 'equals', value: 3_000_000_007 },
    { column: big, op: 'isNull' },
  ];
  for (const f of filters) {
    cases.push({ sort: [], filters: [f] });
    cases.push({ sort: [{ column: d, direction: 'desc' }], filters: [f] });
    cases.push({ sort: [{ column: cat, direction: 'asc' }], filters: [f] });
  }
  cases.push(
    {
      sort: [{ column: free, direction: 'desc' }],
      filters: [
        { column: n, op: 'range', min: 0, max: 3 },
        { column: cat, op: 'notNull' },
      ],
    },
    {
      sort: [
        { column: n, direction: 'asc' },
        { column: big, direction: 'desc' },
      ],
      filters: [
        { column: cat, op: 'contains', value: 'a' },
        { column: d, op: 'notNull' },
      ],
    },
  );
  return cases;
}

/** Views of the real rows: each sortable column both ways, two-key sorts, filters like the grid's. */
function realCases(info: DatasetVersionInfo): Case[] {
  const cases: Case[] = [];
  const sortable = info.columns.filter((c) => ['text', 'integer', 'bigint', 'date', 'boolean'].includes(c.type));
  for (const c of sortable)
    for (const direction of ['asc', 'desc'] as const) cases.push({ sort: [{ column: c.identifier, direction }], filters: [] });
  const make = col(info, 'Vehicle Make').identifier;
  const year = col(info, 'Vehicle Year').identifier;
  const state = col(info, 'State of Registration').identifier;
  const occupants = col(info, 'Number of Occupants').identifier;
  const body = col(info, 'Vehicle Body Type').identifier;
  cases.push(
    {
      sort: [
        { column: make, direction: 'asc' },
        { column: year, direction: 'desc' },
      ],
      filters: [],
    },
    { sort: [{ column: year, direction: 'desc' }], filters: [{ column: state, op: 'equals', value: 'NY' }] },
    { sort: [{ column: make, direction: 'asc' }], filters: [{ column: occupants, op: 'range', min: 1, max: 4 }] },
    { sort: [{ column: year, direction: 'asc' }], filters: [{ column: make, op: 'contains', value: 'chev' }] },
    { sort: [], filters: [{ column: body, op: 'oneOf', values: ['SUBN', 'DUMP', '4DSD'] }] },
    {
      sort: [
        { column: occupants, direction: 'desc' },
        { column: make, direction: 'desc' },
      ],
      filters: [{ column: year, op: 'range', min: 2000, max: null }],
    },
  );
  return cases;
}

describe('first rows from the snapshot', () => {
  it('the generated dataset has a snapshot with coded and plain text', () => {
    const info = infos.get('edge')!;
    expect(snapshotColumns(t.home, info).sort()).toEqual(info.columns.map((c) => c.identifier).sort());
    expect(info.columns.map((c) => c.type)).toEqual(['text', 'text', 'integer', 'bigint', 'date']);
    const coded = readSnapshot(t.home, info, ['cat', 'free'])!;
    expect(Object.keys(coded.dictionaries)).toEqual(['cat']); // free stays plain text: Polars' string order is tested too
  });

  it.each(['edge', 'real'])('equal PostgreSQL’s first 1,000 row ids for many views of %s, through the fast path', async (name) => {
    const info = infos.get(name)!;
    const tops = new SnapshotTops(t.engine.ctx.db, t.home);
    const cases = name === 'edge' ? edgeCases(info) : realCases(info);
    expect(cases.length).toBeGreaterThan(name === 'edge' ? 80 : 30);
    let bounded = 0;
    for (const c of cases) {
      const label = JSON.stringify(c);
      const got = await fastRids(tops, info, c);
      expect(got.reason, label).toBe('');
      const want = await oracleRids(info, c);
      expect(got.rids, label).toEqual(want);
      // Before the block table: the bound of the snapshot's 1,000th row keeps PostgreSQL's own answer.
      if (c.sort.length && want.length === WANT) {
        expect(await boundedRids(tops, info, c), label).toEqual(want);
        bounded++;
      }
    }
    expect(bounded).toBeGreaterThan(10);
  });

  it('serves pages through the fast path with PostgreSQL’s rows', async () => {
    const info = infos.get('edge')!;
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog, t.home);
    const c: Case = {
      sort: [{ column: col(info, 'cat').identifier, direction: 'desc' }],
      filters: [{ column: col(info, 'n').identifier, op: 'range', min: -5, max: 3 }],
    };
    const page = await browser.page({ ...datasetView.parse({ dataset: 'edge', ...c }), total: 'later' }, 0, 200);
    expect(browser.snapshots!.lastReason).toBe('');
    const rids = await oracleRids(info, c);
    const { rows } = await admin.query({
      text: `SELECT * FROM data.${q(info.table)} WHERE ctid = ANY($1::tid[])`,
      values: [rids.slice(0, 200)],
      rowMode: 'array',
      types: jsonSafeTypes,
    });
    const byRid = await admin.query<{ rid: string }>(`SELECT ctid::text AS rid FROM data.${q(info.table)} WHERE ctid = ANY($1::tid[])`, [
      rids.slice(0, 200),
    ]);
    const order = new Map(byRid.rows.map((r, i) => [r.rid, i]));
    expect(page.rows).toEqual(rids.slice(0, 200).map((rid) => rows[order.get(rid)!]));
    const next = await browser.page({ ...datasetView.parse({ dataset: 'edge', ...c }), total: 'later' }, 200, 200);
    expect(next.rows.length).toBe(200);
  });

  it('falls back to PostgreSQL where it cannot be exact', async () => {
    const info = infos.get('edge')!;
    const tops = new SnapshotTops(t.engine.ctx.db, t.home);
    const free = col(info, 'free').identifier;
    const n = col(info, 'n').identifier;
    const d = col(info, 'd').identifier;
    for (const [c, reason] of [
      [{ sort: [], filters: [{ column: free, op: 'contains', value: 'e' }] }, /contains on a plain text/],
      [{ sort: [], filters: [{ column: n, op: 'contains', value: '1' }] }, /contains on a integer/],
      [{ sort: [], filters: [{ column: d, op: 'equals', value: '2012-01-10' }] }, /equals on a date/],
      [{ sort: [], filters: [{ column: n, op: 'range', min: -1e300, max: null }] }, /safe integers/],
    ] as Array<[Case, RegExp]>) {
      expect((await fastRids(tops, info, c)).reason).toMatch(reason);
    }
  });
});

describe('when the fast path must not be used', () => {
  const sortByCat = (info: DatasetVersionInfo): Case => ({
    sort: [{ column: col(info, 'cat').identifier, direction: 'asc' }],
    filters: [],
  });
  const copyOf = async (name: string) => {
    const file = path.join(t.home, `${name}.csv`);
    generatedCsv(file);
    return importSettled(name, file);
  };

  it('no snapshot, or a stale one', async () => {
    const info = await copyOf('nosnap');
    const tops = new SnapshotTops(t.engine.ctx.db, t.home);
    expect((await fastRids(tops, info, sortByCat(info))).reason).toBe('');
    const meta = path.join(snapshotDir(t.home), `${info.table}.json`);
    const saved = fs.readFileSync(meta, 'utf8');
    fs.writeFileSync(meta, saved.replace(info.importedAt, '2001-01-01T00:00:00.000Z'));
    expect((await fastRids(tops, info, sortByCat(info))).reason).toBe('no snapshot of these columns');
    fs.rmSync(meta);
    expect((await fastRids(tops, info, sortByCat(info))).reason).toBe('no snapshot of these columns');
    // The grid still shows PostgreSQL's rows.
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog, t.home);
    const page = await browser.page({ ...datasetView.parse({ dataset: 'nosnap', ...sortByCat(info) }), total: 'later' }, 0, 50);
    expect(browser.snapshots!.lastReason).toBe('no snapshot of these columns');
    expect(page.rows.length).toBe(50);
  });

  it('a table with rows deleted by hand, even when a new row fills the count again', async () => {
    const info = await copyOf('deleted');
    await admin.query(`DELETE FROM data.${q(info.table)} WHERE ctid = '(0,3)'`);
    expect((await fastRids(new SnapshotTops(t.engine.ctx.db, t.home), info, sortByCat(info))).reason).toMatch(/not in file order/);
    await admin.query(`INSERT INTO data.${q(info.table)} SELECT * FROM data.${q(info.table)} LIMIT 1`);
    const refilled = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM data.${q(info.table)}`);
    expect(Number(refilled.rows[0]!.n)).toBe(info.rows);
    expect((await fastRids(new SnapshotTops(t.engine.ctx.db, t.home), info, sortByCat(info))).reason).toMatch(/not in file order/);
  });

  it('a text column not in C collation', async () => {
    const info = await copyOf('collated');
    const cat = col(info, 'cat').identifier;
    await admin.query(`ALTER TABLE data.${q(info.table)} ALTER COLUMN ${q(cat)} TYPE text COLLATE "ucs_basic"`);
    expect((await fastRids(new SnapshotTops(t.engine.ctx.db, t.home), info, sortByCat(info))).reason).toBe('text is not in C collation');
  });

  it('rows that are not where the snapshot says: the page checks them and falls back', async () => {
    const info = await copyOf('moved');
    const n = col(info, 'n').identifier;
    // A rewrite that keeps the blocks dense and the count, but moves the first two blocks' rows to
    // the end. (Not UPDATE + VACUUM FULL: a rewrite keeps dead rows that another connection of the
    // cluster may still see, and then the blocks are not dense.)
    await admin.query(
      `CREATE TEMP TABLE moved_rows AS SELECT * FROM data.${q(info.table)} ORDER BY ctid < '(2,0)', ctid;` +
        `TRUNCATE data.${q(info.table)}; INSERT INTO data.${q(info.table)} SELECT * FROM moved_rows; DROP TABLE moved_rows`,
    );
    const c = sortByCat(info);
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog, t.home);
    // The block table read (dense: the rewrite left no gap), so the page takes the row ids path.
    expect(await fastRids(browser.snapshots!, info, c)).toMatchObject({ reason: '' });
    const page = await browser.page({ ...datasetView.parse({ dataset: 'moved', ...c }), total: 'later' }, 0, 200);
    const { rows } = await admin.query({
      text: `SELECT * FROM data.${q(info.table)} ORDER BY ${q(c.sort[0]!.column)}, ctid LIMIT 200`,
      rowMode: 'array',
      types: jsonSafeTypes,
    });
    expect(page.rows).toEqual(rows);
    const again = await browser.page(
      { ...datasetView.parse({ dataset: 'moved', sort: [{ column: n, direction: 'asc' }], filters: [] }), total: 'later' },
      0,
      10,
    );
    expect(browser.snapshots!.lastReason).toBe('rows read by ctid differed from the snapshot');
    expect(again.rows.length).toBe(10);
  });
});
