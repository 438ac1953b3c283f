/**
 * The snapshot path over columns held as codes (browse/typed-view.ts, browse/code-select.ts)
 * answers PostgreSQL's own first row ids (`ORDER BY keys, ctid LIMIT 1000`, the WHERE written
 * here) where codes are easy to get wrong: a coded column with exactly 256 labels and nulls (its
 * null code no longer fits a byte), booleans, a whole-number column whose range exceeds 32 bits
 * (doubles and the heap, not the histogram), a column of few values and many nulls, dates, range
 * and equality filters that reach past the column's values. And the columns read ahead after a
 * view's answer serve the next views without reading the snapshot again.
 */
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { datasetView, type ColumnFilter } from '../../shared/contract/dataset';
import type { DatasetVersionInfo } from '../../shared/types';
import { Browser, parametersBinder, viewSql } from '../../electron/engine/browse';
import { SnapshotTops } from '../../electron/engine/browse/snapshot-top';
import { pendingImportFrames } from '../../electron/engine/analysis/import-frame';
import { readSnapshot } from '../../electron/engine/analysis/snapshot';
import { mulberry32 } from '../../electron/engine/generate/random';
import { startTestEngine, type TestEngine, adminClient, tableOid } from '../support/pg';

type Sort = Array<{ column: string; direction: 'asc' | 'desc' }>;
interface Case {
  sort: Sort;
  filters: ColumnFilter[];
  where: string;
}

const WANT = 1_000;
const ROWS = 8_000;
let t: TestEngine;
let admin: pg.Client;
let info: DatasetVersionInfo;
let oid: number;

/** 256 labels (every one used), booleans, a 33-bit-wide bigint, a tiny integer with nulls, dates. */
function codesCsv(file: string): void {
  const random = mulberry32(256);
  const labels = Array.from({ length: 256 }, (_, i) => `L${String(i).padStart(3, '0')}${i % 7 === 0 ? 'é' : ''}`);
  const lines = ['many,flag,wide,small,day'];
  for (let i = 0; i < ROWS; i++) {
    const many = i < 256 ? labels[i]! : random() < 0.1 ? '' : labels[Math.floor(random() * 256)]!;
    const flag = random() < 0.15 ? '' : random() < 0.3 ? 'true' : 'false';
    const wide = random() < 0.1 ? '' : String(Math.floor((random() - 0.5) * 2 * 6_000_000_000) + (random() < 0.5 ? 0 : 7));
    const small = random() < 0.4 ? '' : String(Math.floor(random() * 4) + 1000);
    const day = random() < 0.1 ? '' : `2019-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`;
    lines.push([many, flag, wide, small, day].join(','));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  t = await startTestEngine();
  const file = path.join(t.home, 'codes.csv');
  codesCsv(file);
  await t.client.run('dataset/import', { path: file, name: 'codes' });
  await Promise.all(pendingImportFrames(t.home)); // the snapshot is on disk
  info = await t.client.call('dataset/get', { dataset: 'codes' });
  admin = await adminClient(t);
  oid = await tableOid(admin, info.table);
});

afterAll(async () => {
  await admin?.end();
  await t?.close();
});

const q = (identifier: string) => pg.escapeIdentifier(identifier);
const col = (name: string) => info.columns.find((c) => c.name === name)!.identifier;

async function oracle(c: Case): Promise<string[]> {
  const order = [...c.sort.map((k) => `${q(k.column)}${k.direction === 'desc' ? ' DESC' : ''}`), 'ctid'].join(', ');
  const { rows } = await admin.query<{ rid: string }>(
    `SELECT ctid::text AS rid FROM data.${q(info.table)} ${c.where ? `WHERE ${c.where}` : ''} ORDER BY ${order} LIMIT ${WANT}`,
  );
  return rows.map((r) => r.rid);
}

async function fast(tops: SnapshotTops, c: Case): Promise<{ rids: string[] | null; reason: string }> {
  const sql = viewSql(info, datasetView.parse({ dataset: 'codes', sort: c.sort, filters: c.filters }), parametersBinder([]));
  const top = await tops.top(info, oid, sql, WANT, 'wait');
  return { rids: top && 'rids' in top ? top.rids : null, reason: tops.lastReason };
}

function cases(): Case[] {
  const [many, flag, wide, small, day] = ['many', 'flag', 'wide', 'small', 'day'].map(col) as [string, string, string, string, string];
  const out: Case[] = [];
  for (const column of [many, flag, wide, small, day])
    for (const direction of ['asc', 'desc'] as const) out.push({ sort: [{ column, direction }], filters: [], where: '' });
  const filters: Array<[ColumnFilter, string]> = [
    [{ column: many, op: 'isNull' }, `${q(many)} IS NULL`],
    [{ column: many, op: 'equals', value: 'L255' }, `${q(many)} = 'L255'`],
    [{ column: many, op: 'oneOf', values: ['L000é', 'L128', 'none'] }, `${q(many)} IN ('L000é', 'L128', 'none')`],
    [{ column: many, op: 'contains', value: 'É' }, `position(lower('É') in lower(${q(many)})) > 0`], // C lower() leaves É as it is
    [{ column: flag, op: 'equals', value: true }, `${q(flag)} = true`],
    [{ column: flag, op: 'notNull' }, `${q(flag)} IS NOT NULL`],
    [{ column: wide, op: 'range', min: -1e9, max: 5e9 }, `${q(wide)} >= -1000000000 AND ${q(wide)} <= 5000000000`],
    [{ column: wide, op: 'range', min: null, max: -7e12 }, `${q(wide)} <= -7000000000000`], // below every value
    [{ column: small, op: 'range', min: 1001.5, max: 5000 }, `${q(small)} >= 1002 AND ${q(small)} <= 5000`], // past the largest value
    [{ column: small, op: 'range', min: -5, max: 999 }, `${q(small)} >= -5 AND ${q(small)} <= 999`], // below the smallest
    [{ column: small, op: 'equals', value: 1003 }, `${q(small)} = 1003`],
    [{ column: small, op: 'oneOf', values: [7, 1000, 1e6] }, `${q(small)} IN (7, 1000, 1000000)`],
    [{ column: day, op: 'isNull' }, `${q(day)} IS NULL`],
  ];
  for (const [filter, where] of filters) {
    out.push({ sort: [], filters: [filter], where });
    out.push({ sort: [{ column: many, direction: 'desc' }], filters: [filter], where });
    out.push({ sort: [{ column: small, direction: 'asc' }], filters: [filter], where });
    out.push({ sort: [{ column: wide, direction: 'desc' }], filters: [filter], where });
  }
  out.push(
    {
      sort: [
        { column: small, direction: 'desc' },
        { column: flag, direction: 'asc' },
        { column: day, direction: 'desc' },
      ],
      filters: [],
      where: '',
    },
    {
      sort: [
        { column: flag, direction: 'desc' },
        { column: wide, direction: 'asc' },
      ],
      filters: [{ column: many, op: 'notNull' }],
      where: `${q(many)} IS NOT NULL`,
    },
  );
  return out;
}

describe('first rows over columns held as codes', () => {
  it('the snapshot codes the 256-label column and holds the other types', () => {
    const coded = readSnapshot(t.home, info, [col('many')])!;
    expect(coded.dictionaries[col('many')]?.length).toBe(256);
    expect(info.columns.map((c) => c.type)).toEqual(['text', 'boolean', 'bigint', 'integer', 'date']);
  });

  it('equal PostgreSQL’s first 1,000 row ids', async () => {
    const tops = new SnapshotTops(t.engine.ctx.db, t.home);
    const all = cases();
    expect(all.length).toBeGreaterThan(60);
    for (const c of all) {
      const label = JSON.stringify(c);
      const got = await fast(tops, c);
      expect(got.reason, label).toBe('');
      expect(got.rids, label).toEqual(await oracle(c));
    }
  });

  it('reads the version’s other columns ahead after a view’s answer, and the next views use them', async () => {
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog, t.home);
    const first = { sort: [{ column: col('small'), direction: 'asc' as const }], filters: [] };
    await browser.page({ ...datasetView.parse({ dataset: 'codes', ...first }), total: 'later' }, 0, 50);
    const done = browser.snapshots!.readAheadDone(info, oid);
    expect(done).toBeDefined();
    await done;
    const read = vi.spyOn(pl, 'readParquet');
    try {
      for (const c of cases()
        .filter((x) => x.sort.length && x.filters.length)
        .slice(0, 12)) {
        const got = await fast(browser.snapshots!, c);
        expect(got.reason, JSON.stringify(c)).toBe('');
        expect(got.rids, JSON.stringify(c)).toEqual(await oracle(c));
      }
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });
});
