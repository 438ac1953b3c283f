/**
 * The benchmark's SQL peers must do the work the product does, or their times mean nothing: the
 * original set written as SQL gives the same answers in DuckDB (on the CSV) and in PostgreSQL
 * (on the product's imported table), on the real 4,401 rows and on generated rows. Also: the psql peer loads the same
 * file, BOM and all, into a table typed like the product's, with the same row count and values.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import type { DatasetVersionInfo } from '../../shared/types';
import { qualifiedTable } from '../../electron/engine/catalog/catalog';
import { quoteIdent } from '../../electron/engine/db/sql';
import { generatedInput } from '../../tools/bench/data';
import { DUCK_TABLE, DuckPeer } from '../../tools/bench/peers/duckdb';
import { buildOriginalPlan, ORIGINAL_IDS } from '../../tools/bench/peers/original-sql';
import { copyInCommand, createTableSql, Psql } from '../../tools/bench/peers/psql';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { REAL_4401 } from '../support/real-data';

const REAL = REAL_4401;

/** Numbers from either engine (bigint, numeric strings, doubles) compared at 1e-9 relative; the rest as text. */
function normalize(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return Number(value);
  return value;
}

function expectSameRows(a: unknown[][], b: unknown[][], label: string): void {
  expect(a.length, label).toBe(b.length);
  a.forEach((row, i) => {
    row.forEach((cell, j) => {
      const x = normalize(cell);
      const y = normalize(b[i]![j]);
      if (typeof x === 'number' && typeof y === 'number')
        expect(Math.abs(x - y), `${label} [${i}][${j}] ${x} vs ${y}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      else expect(y, `${label} [${i}][${j}]`).toEqual(x);
    });
  });
}

const inputs: Array<{ name: string; file: () => Promise<string>; rows: number }> = [
  { name: 'the real 4,401 rows', file: async () => REAL, rows: 4401 },
  // Generated rows have the nulls and sentinels the real complete rows lack: the null-row drop matters.
  {
    name: '3,000 generated rows',
    file: async () => (await generatedInput(path.join(tempHome('bench-peers'), 'cache'), 3000)).file,
    rows: 3000,
  },
];

describe.each(inputs)('benchmark peers on $name', ({ file, rows: expectedRows }) => {
  let t: TestEngine;
  let dataset: DatasetVersionInfo;
  let duck: DuckPeer;
  let csv: string;

  beforeAll(async () => {
    t = await startTestEngine();
    csv = await file();
    const imported = await t.client.run('dataset/import', { path: csv, name: 'peers' });
    expect(imported.rejected).toBe(0);
    dataset = await t.client.call('dataset/get', { dataset: imported.dataset });
    duck = await DuckPeer.open();
    expect(await duck.loadCsv(csv, dataset.columns)).toBe(expectedRows);
  }, 120_000);
  afterAll(async () => {
    duck?.close();
    await t?.close();
  });

  it('covers exactly the catalog entries marked original', () => {
    expect(ORIGINAL_IDS).toEqual(ANALYSES.filter((a) => a.original).map((a) => a.id));
    const plan = buildOriginalPlan({ sql: DUCK_TABLE, name: DUCK_TABLE }, dataset.columns, 'duckdb');
    for (const id of ORIGINAL_IDS)
      expect(
        plan.queries.some((q) => q.id === id || q.id.startsWith(`${id}:`)),
        id,
      ).toBe(true);
  });

  it('gives the same answers in DuckDB and in PostgreSQL for every query of the original set', async () => {
    const duckPlan = buildOriginalPlan(
      { sql: DUCK_TABLE, name: DUCK_TABLE },
      dataset.columns.map((c) => ({ ...c, identifier: c.name })),
      'duckdb',
    );
    const pgPlan = buildOriginalPlan({ sql: qualifiedTable(dataset.table), name: dataset.table }, dataset.columns, 'postgres');
    expect(pgPlan.queries.map((q) => q.id)).toEqual(duckPlan.queries.map((q) => q.id));

    for (const sql of duckPlan.prepare) await duck.connection.run(sql);
    const duckRows: unknown[][][] = [];
    for (const q of duckPlan.queries) duckRows.push((await duck.connection.runAndReadAll(q.sql)).getRowsJS() as unknown[][]);
    await duck.cleanup(duckPlan);

    const pgRows = await t.engine.ctx.db.withClient(async (client) => {
      const out: unknown[][][] = [];
      for (const sql of pgPlan.prepare) await client.query(sql);
      for (const q of pgPlan.queries) out.push((await client.query({ text: q.sql, rowMode: 'array' })).rows as unknown[][]);
      for (const sql of pgPlan.cleanup) await client.query(sql);
      return out;
    });

    duckPlan.queries.forEach((q, i) => {
      // Type names differ by engine (INTEGER vs integer); the schema query is compared on names only.
      if (q.id === 'explore-schema')
        expectSameRows(
          duckRows[i]!.map((r) => r.slice(0, 2)),
          pgRows[i]!.map((r) => r.slice(0, 2)),
          q.id,
        );
      else expectSameRows(duckRows[i]!, pgRows[i]!, q.id);
    });
    // Non-trivial answers: the group counts add up to the rows the null-row drop kept.
    const drop = duckRows[duckPlan.queries.findIndex((q) => q.id === 'clean-null-drop')]![0]!.map(Number);
    expect(drop[0]).toBe(expectedRows);
    const body = duckPlan.queries.findIndex((q) => q.id.startsWith('desc-body-type'));
    const total = duckRows[body]!.reduce((s, r) => s + Number(r[1]), 0);
    expect(total).toBe(drop[1]);
  });

  it('psql \\copy loads the same file, BOM and all, into a table typed like the product one', async () => {
    const conn = await t.engine.ctx.db.connectionInfo();
    const psql = new Psql('psql', conn);
    await t.engine.ctx.db.query('CREATE SCHEMA IF NOT EXISTS bench');
    const table = `bench.${quoteIdent('psql_copy_check')}`;
    await psql.run([createTableSql(table, dataset.columns), copyInCommand(table, csv)], { singleTransaction: true });
    const cols = dataset.columns.map((c) => quoteIdent(c.identifier)).join(', ');
    const { rows } = await t.engine.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM (SELECT ${cols} FROM ${table} EXCEPT ALL SELECT ${cols} FROM ${qualifiedTable(dataset.table)}) d`,
    );
    expect(rows[0]!.n).toBe(0);
    const count = await t.engine.ctx.db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${table}`);
    expect(count.rows[0]!.n).toBe(expectedRows);
  });
});
