/**
 * A page is the same whichever path serves it: the first page of a new view (a top-N of row ids,
 * `total: 'later'`, or a walk of a broader view's map), the pages read ahead with it, a deeper
 * direct page, and the view's row map once built; on generated rows (ties, nulls) and on the real rows. The oracle is PostgreSQL
 * itself on whole rows: `SELECT * … WHERE … ORDER BY keys, ctid OFFSET … LIMIT …` and `count(*)`,
 * written here from the test's own SQL for each view.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetView, type ColumnFilter, type DatasetPage } from '../../shared/contract/dataset';
import type { DatasetColumn, DatasetVersionInfo } from '../../shared/types';
import { generateCrashCsv } from '../../electron/engine/generate';
import { Browser, DIRECT_WINDOW, jsonSafeTypes, parametersBinder, rowMapName, viewKey, viewSql } from '../../electron/engine/browse';
import { walkBroaderMap } from '../../electron/engine/browse/refine';
import { startTestEngine, type TestEngine, adminClient, tableOid } from '../support/pg';
import { REAL_31, REAL_4401 } from '../support/real-data';

const ROWS = 12_000; // deeper than DIRECT_WINDOW: the deepest pages need the map
type Sort = Array<{ column: string; direction: 'asc' | 'desc' }>;

/** A view as the product gets it, and the same view as the oracle's SQL. */
interface Case {
  sort: Sort;
  filters: ColumnFilter[];
  where: string;
}

let t: TestEngine;
let admin: pg.Client;
const datasets = new Map<string, DatasetVersionInfo>();

beforeAll(async () => {
  t = await startTestEngine();
  const file = path.join(t.home, 'crash.csv');
  await generateCrashCsv({ rows: ROWS, seed: 11, out: file });
  for (const [name, source] of [
    ['crash', file],
    ['real4401', REAL_4401],
    ['real31', REAL_31],
  ] as const) {
    await t.client.run('dataset/import', { path: source, name });
    datasets.set(name, await t.client.call('dataset/get', { dataset: name }));
  }
  admin = await adminClient(t);
});

afterAll(async () => {
  await admin?.end();
  await t?.close();
});

const q = (identifier: string) => pg.escapeIdentifier(identifier);
function id(dataset: string, name: string): string {
  const column = datasets.get(dataset)!.columns.find((c: DatasetColumn) => c.name === name);
  if (!column) throw new Error(`no column ${name} in ${dataset}`);
  return column.identifier;
}

async function oracle(dataset: string, c: Case, offset: number, limit: number): Promise<{ rows: unknown[][]; total: number }> {
  const table = `data.${q(datasets.get(dataset)!.table)}`;
  const where = c.where ? `WHERE ${c.where}` : '';
  const order = [...c.sort.map((k) => `${q(k.column)}${k.direction === 'desc' ? ' DESC' : ''}`), 'ctid'].join(', ');
  const rows = await admin.query({
    text: `SELECT * FROM ${table} ${where} ORDER BY ${order} OFFSET ${offset} LIMIT ${limit}`,
    rowMode: 'array',
    types: jsonSafeTypes,
  });
  const total = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} ${where}`);
  return { rows: rows.rows as unknown[][], total: Number(total.rows[0]!.n) };
}

function ask(browser: Browser, dataset: string, c: Case, offset: number, limit: number, total: 'wait' | 'later' = 'wait') {
  const view = datasetView.parse({ dataset, sort: c.sort, filters: c.filters });
  return browser.page({ ...view, total }, offset, limit);
}

/** Every path of one view against the oracle: first page, read-ahead, deeper direct page, row map. */
async function checkPaths(dataset: string, c: Case, offsets: number[]) {
  const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog); // no map, no cached count: a new view
  const first = await ask(browser, dataset, c, 0, 200, 'later');
  const top = await oracle(dataset, c, 0, 200);
  expect(first.rows, 'first page').toEqual(top.rows);
  if (first.totalPending) expect(first.totalRows, 'known so far').toBe(200);
  else expect(first.totalRows, 'first page total').toBe(top.total);
  expect(first.totalPending === true, 'pending only when the page is full and the view filtered').toBe(
    top.total > 200 && c.filters.length > 0,
  );
  const served = new Map<number, DatasetPage>();
  for (const offset of offsets) {
    const want = await oracle(dataset, c, offset, 200);
    const got = await ask(browser, dataset, c, offset, 200);
    expect(got.rows, `direct or read-ahead at ${offset}`).toEqual(want.rows);
    expect(got.totalRows, `total at ${offset}`).toBe(want.total);
    expect(got.totalPending).toBeUndefined();
    served.set(offset, got);
  }
  if (!c.sort.length) return;
  await browser.prepare({ dataset, sort: c.sort, filters: c.filters });
  expect(browser.maps.isReady(rowMapName(await mapOid(dataset), viewKey(datasets.get(dataset)!, c)))).toBe(true);
  for (const offset of [0, ...offsets]) {
    const fromMap = await ask(browser, dataset, c, offset, 200, 'later');
    expect(fromMap.rows, `map at ${offset}`).toEqual((await oracle(dataset, c, offset, 200)).rows);
    if (served.has(offset)) expect(fromMap).toEqual(served.get(offset));
  }
}

async function mapOid(dataset: string): Promise<number> {
  return tableOid(admin, datasets.get(dataset)!.table);
}

describe('first pages of new views', () => {
  it('sorted by a number descending (nulls first, many ties) with an equality filter', async () => {
    const year = id('crash', 'Vehicle Year');
    const state = id('crash', 'State of Registration');
    await checkPaths(
      'crash',
      { sort: [{ column: year, direction: 'desc' }], filters: [{ column: state, op: 'equals', value: 'NY' }], where: `${q(state)} = 'NY'` },
      [200, 800, 1_000, 4_000, DIRECT_WINDOW + 200],
    );
  });

  it('sorted by text ascending (nulls last) with a range filter, and by two keys in mixed directions', async () => {
    const make = id('crash', 'Vehicle Make');
    const occupants = id('crash', 'Number of Occupants');
    await checkPaths(
      'crash',
      {
        sort: [{ column: make, direction: 'asc' }],
        filters: [{ column: occupants, op: 'range', min: 1, max: 4 }],
        where: `${q(occupants)} >= 1 AND ${q(occupants)} <= 4`,
      },
      [200, 9_000, ROWS - 300],
    );
    await checkPaths(
      'crash',
      {
        sort: [
          { column: make, direction: 'asc' },
          { column: occupants, direction: 'desc' },
        ],
        filters: [],
        where: '',
      },
      [400, 2_000, ROWS - 200],
    );
  });

  it('a filter that matches nothing, and one that matches fewer rows than a page: the first page has the exact count', async () => {
    const occupants = id('crash', 'Number of Occupants');
    const cylinders = id('crash', 'Engine Cylinders');
    await checkPaths(
      'crash',
      {
        sort: [{ column: cylinders, direction: 'desc' }],
        filters: [{ column: occupants, op: 'equals', value: 2.5 }],
        where: 'FALSE',
      },
      [0, 200],
    );
    const few = await oracle('crash', { sort: [], filters: [], where: `${q(occupants)} >= 7` }, 0, 1);
    expect(few.total).toBeGreaterThan(0);
    expect(few.total).toBeLessThan(200);
    await checkPaths(
      'crash',
      {
        sort: [{ column: cylinders, direction: 'asc' }],
        filters: [{ column: occupants, op: 'range', min: 7, max: null }],
        where: `${q(occupants)} >= 7`,
      },
      [0, 100],
    );
  });

  it('on the real rows: the 4,401 complete rows and the 32 raw rows with their nulls', async () => {
    for (const name of ['Vehicle Year', 'Vehicle Make', 'Engine Cylinders']) {
      const column = id('real4401', name);
      for (const direction of ['asc', 'desc'] as const)
        await checkPaths('real4401', { sort: [{ column, direction }], filters: [], where: '' }, [200, 1_000, 4_300]);
    }
    const body = id('real4401', 'Vehicle Body Type');
    await checkPaths(
      'real4401',
      {
        sort: [{ column: id('real4401', 'Vehicle Year'), direction: 'desc' }],
        filters: [{ column: body, op: 'contains', value: 'sedan' }],
        where: `strpos(lower(${q(body)}), 'sedan') > 0`,
      },
      [200, 600],
    );
    for (const name of ['Vehicle Year', 'Number of Occupants', 'Partial VIN']) {
      const column = id('real31', name);
      for (const direction of ['asc', 'desc'] as const)
        await checkPaths('real31', { sort: [{ column, direction }], filters: [], where: '' }, [10]);
    }
  });

  it("a filter added to a sorted view: its first rows walked from the broader view's map, the same as the oracle", async () => {
    const year = id('crash', 'Vehicle Year');
    const state = id('crash', 'State of Registration');
    const occupants = id('crash', 'Number of Occupants');
    const info = datasets.get('crash')!;
    const broad: Case = {
      sort: [{ column: year, direction: 'desc' }],
      filters: [{ column: state, op: 'equals', value: 'NY' }],
      where: `${q(state)} = 'NY'`,
    };
    const refined: Case = {
      sort: broad.sort,
      filters: [...broad.filters, { column: occupants, op: 'range', min: 1, max: 2 }],
      where: `${broad.where} AND ${q(occupants)} >= 1 AND ${q(occupants)} <= 2`,
    };
    const none: Case = {
      sort: broad.sort,
      filters: [...broad.filters, { column: occupants, op: 'equals', value: 2.5 }],
      where: 'FALSE',
    };
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog);
    await browser.prepare({ dataset: 'crash', sort: broad.sort, filters: broad.filters });
    const map = { name: rowMapName(await mapOid('crash'), viewKey(info, broad)), rows: (await oracle('crash', broad, 0, 1)).total };

    // The walk itself serves these views (not the scan), with the oracle's rows.
    const params: unknown[] = [];
    const walked = await walkBroaderMap(t.engine.ctx.db, map, viewSql(info, refined, parametersBinder(params)), params, 1_000);
    expect(walked).not.toBeNull();
    const ctids = await admin.query<{ rid: string }>(
      `SELECT ctid::text AS rid FROM data.${q(info.table)} WHERE ${refined.where} ORDER BY ${q(year)} DESC, ctid LIMIT 1000`,
    );
    expect(walked!.rids).toEqual(ctids.rows.map((r) => r.rid));
    expect(walked!.complete).toBe(false);
    const noParams: unknown[] = [];
    expect(await walkBroaderMap(t.engine.ctx.db, map, viewSql(info, none, parametersBinder(noParams)), noParams, 1_000)).toEqual({
      rids: [],
      complete: true,
    });

    // Through the browser that holds the broader map: every path, the same rows and totals.
    for (const c of [refined, none]) {
      const first = await ask(browser, 'crash', c, 0, 200, 'later');
      expect(first.rows).toEqual((await oracle('crash', c, 0, 200)).rows);
      for (const offset of [200, 800, 3_000, DIRECT_WINDOW + 200]) {
        const want = await oracle('crash', c, offset, 200);
        const got = await ask(browser, 'crash', c, offset, 200);
        expect(got.rows, `at ${offset}`).toEqual(want.rows);
        expect(got.totalRows).toBe(want.total);
      }
    }
  });

  it('a broader map found emptied is not walked: the first page is scanned, and right', async () => {
    const make = id('crash', 'Vehicle Make');
    const occupants = id('crash', 'Number of Occupants');
    const info = datasets.get('crash')!;
    const broad: Case = {
      sort: [{ column: make, direction: 'desc' }],
      filters: [{ column: make, op: 'notNull' }],
      where: `${q(make)} IS NOT NULL`,
    };
    const refined: Case = {
      sort: broad.sort,
      filters: [...broad.filters, { column: occupants, op: 'notNull' }],
      where: `${broad.where} AND ${q(occupants)} IS NOT NULL`,
    };
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog);
    await browser.prepare({ dataset: 'crash', sort: broad.sort, filters: broad.filters });
    const name = rowMapName(await mapOid('crash'), viewKey(info, broad));
    await admin.query(`TRUNCATE browse.${q(name)}`); // what an unclean stop does to an unlogged table
    const params: unknown[] = [];
    const map = { name, rows: (await oracle('crash', broad, 0, 1)).total };
    expect(await walkBroaderMap(t.engine.ctx.db, map, viewSql(info, refined, parametersBinder(params)), params, 1_000)).toBeNull();
    const first = await ask(browser, 'crash', refined, 0, 200, 'later');
    expect(first.rows).toEqual((await oracle('crash', refined, 0, 200)).rows);
    const next = await ask(browser, 'crash', refined, 600, 200);
    expect(next.rows).toEqual((await oracle('crash', refined, 600, 200)).rows);
  });

  it('the count arrives with the next request, and from the cache after', async () => {
    const make = id('crash', 'Vehicle Make');
    const c: Case = {
      sort: [{ column: make, direction: 'desc' }],
      filters: [{ column: make, op: 'notNull' }],
      where: `${q(make)} IS NOT NULL`,
    };
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog);
    const first = await ask(browser, 'crash', c, 0, 200, 'later');
    expect(first.totalPending).toBe(true);
    const want = await oracle('crash', c, 0, 1);
    const counted = await ask(browser, 'crash', c, 0, 1, 'wait');
    expect(counted.totalRows).toBe(want.total);
    expect(counted.rows).toEqual(want.rows);
    const again = await ask(browser, 'crash', c, 200, 200, 'later');
    expect(again.totalPending).toBeUndefined();
    expect(again.totalRows).toBe(want.total);
  });

  it('a view changed while the row map of the previous one is being built', async () => {
    const year = id('crash', 'Vehicle Year');
    const body = id('crash', 'Vehicle Body Type');
    const a: Case = { sort: [{ column: year, direction: 'asc' }], filters: [], where: '' };
    const b: Case = { sort: [{ column: body, direction: 'desc' }], filters: [{ column: year, op: 'isNull' }], where: `${q(year)} IS NULL` };
    const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog);
    await ask(browser, 'crash', a, 0, 200); // its map starts building after this answer
    const [deepA, firstB, nextB, topA] = await Promise.all([
      ask(browser, 'crash', a, ROWS - 200, 200),
      ask(browser, 'crash', b, 0, 200, 'later'),
      ask(browser, 'crash', b, 200, 200),
      ask(browser, 'crash', a, 200, 200),
    ]);
    expect(deepA.rows).toEqual((await oracle('crash', a, ROWS - 200, 200)).rows);
    expect(firstB.rows).toEqual((await oracle('crash', b, 0, 200)).rows);
    expect(nextB.rows).toEqual((await oracle('crash', b, 200, 200)).rows);
    expect(nextB.totalRows).toBe((await oracle('crash', b, 0, 1)).total);
    expect(topA.rows).toEqual((await oracle('crash', a, 200, 200)).rows);
  });

  it('a row map build cancelled in PostgreSQL loses nothing: the first page does not wait for it, the next deep page rebuilds it', async () => {
    const cylinders = id('crash', 'Engine Cylinders');
    const c: Case = { sort: [{ column: cylinders, direction: 'asc' }], filters: [], where: '' };
    const info = datasets.get('crash')!;
    const name = rowMapName(await mapOid('crash'), viewKey(info, c));
    const holder = await adminClient(t);
    try {
      // Hold the map's build lock, so the build waits where it can be found and cancelled.
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`sparkpolar.browse.${name}`]);
      const browser = new Browser(t.engine.ctx.db, t.engine.ctx.catalog);
      const build = browser.prepare({ dataset: 'crash', sort: c.sort, filters: c.filters });
      build.catch(() => undefined);
      let cancelled = false;
      for (let i = 0; i < 200 && !cancelled; i++) {
        const { rows } = await admin.query<{ done: boolean }>(
          `SELECT pg_cancel_backend(pid) AS done FROM pg_stat_activity WHERE query LIKE 'SELECT pg_advisory_xact_lock%' AND wait_event_type = 'Lock'`,
        );
        cancelled = rows.some((r) => r.done);
        if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(cancelled).toBe(true);
      await expect(build).rejects.toThrow(/cancel/i);
      expect(browser.maps.isReady(name)).toBe(false);
      const { rows: left } = await admin.query('SELECT to_regclass($1) AS t', [`browse.${q(name)}`]);
      expect(left[0]!.t).toBeNull(); // the cancelled build left no map behind
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`sparkpolar.browse.${name}`]);
      const first = await ask(browser, 'crash', c, 0, 200, 'later');
      expect(first.rows).toEqual((await oracle('crash', c, 0, 200)).rows);
      const deep = await ask(browser, 'crash', c, ROWS - 200, 200);
      expect(deep.rows).toEqual((await oracle('crash', c, ROWS - 200, 200)).rows);
      expect(browser.maps.isReady(name)).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
