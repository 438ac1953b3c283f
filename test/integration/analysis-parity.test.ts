/**
 * The parity rules every engine shares (#16), checked on a small file with NaN and nulls: Polars,
 * the DuckDB oracle (what the emulator answers with) and, for the counts, PostgreSQL SQL agree.
 * - NaN is a missing value for histograms and correlations, like null (Spark drops both).
 * - A filter compared with null matches nothing, on numbers and on text; a null in an `in` list
 *   matches nothing either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisRun } from '../../shared/contract/analysis';
import { compareResults } from '../../shared/results-compare';
import type { DatasetColumn, DatasetVersionInfo } from '../../shared/types';
import { oracleRunOn, OracleSession } from '../support/oracle';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

const CSV = ['x,y,label', '1.5,2,a', 'NaN,3,b', '2.5,NaN,c', ',4,d', '4,5,e', '3,1,a', '2,NaN,'].join('\n') + '\n';

let t: TestEngine;
let file: string;
let columns: DatasetColumn[];
let session: OracleSession;

beforeAll(async () => {
  t = await startTestEngine();
  file = path.join(tempHome('parity'), 'nan.csv');
  fs.writeFileSync(file, CSV);
  columns = (await t.client.run('dataset/import', { path: file, name: 'nan' })).columns;
  session = await OracleSession.open({ file, columns });
}, 120_000);

afterAll(async () => {
  session?.close();
  await t?.close();
});

async function both(id: string, params: Record<string, unknown>) {
  const run: AnalysisRun = await t.client.run('analysis/run', { dataset: 'nan', analyses: [id], params: { [id]: params }, fresh: true });
  const polars = run.results[0]!;
  const [oracle] = await oracleRunOn(session, { analyses: [{ id, params: polars.params }] });
  expect(polars.status, polars.reason).toBe('ok');
  expect(oracle!.status, oracle!.reason).toBe('ok');
  expect(compareResults(polars.table!, oracle!.table!).match, id).toBe(true);
  return polars.table!;
}

async function sql(text: string): Promise<unknown[]> {
  const info: DatasetVersionInfo = await t.client.call('dataset/get', { dataset: 'nan' });
  const result = await t.engine.ctx.db.withClient((c) => c.query({ text: text.replace('$T', `data."${info.table}"`), rowMode: 'array' }));
  return result.rows[0] as unknown[];
}

describe('parity rules shared by Polars, Spark and the oracle', () => {
  it('reads NaN as a double, then leaves it out of histograms like null', async () => {
    expect(columns.map((c) => c.type)).toEqual(['double', 'double', 'text']);
    const table = await both('generic-histogram', { column: 'x', bins: 2 });
    const [present, lo, hi] = await sql(`SELECT count(*)::int, min(x), max(x) FROM $T WHERE x IS NOT NULL AND x <> 'NaN'`);
    expect(table.rows.reduce((s, r) => s + (r[3] as number), 0)).toBe(present);
    expect([table.rows[0]![1], table.rows.at(-1)![2]]).toEqual([lo, hi]);
  });

  it('leaves NaN out of correlations like null (pairwise complete rows)', async () => {
    const table = await both('generic-correlation', { method: 'pearson', columns: ['x', 'y'] });
    const [n, r] = await sql(
      `SELECT count(*)::int, corr(x, y) FROM $T WHERE x IS NOT NULL AND y IS NOT NULL AND x <> 'NaN' AND y <> 'NaN'`,
    );
    const xy = table.rows.find((row) => row[0] === 'x' && row[1] === 'y')!;
    expect(xy[3]).toBe(n);
    expect(Math.abs((xy[2] as number) - (r as number))).toBeLessThan(1e-12);
    await both('generic-correlation', { method: 'spearman', columns: ['x', 'y'] });
  });

  it('matches nothing when a filter compares with null, on numbers and on text', async () => {
    for (const filter of [
      { column: 'x', op: 'gt', value: null },
      { column: 'x', op: 'eq', value: null },
      { column: 'label', op: 'ne', value: null },
      { column: 'label', op: 'lt', value: null },
    ]) {
      const table = await both('generic-group-by', { dimensions: ['label'], filter });
      expect(table.rows, JSON.stringify(filter)).toEqual([]);
    }
    const some = await both('generic-group-by', { dimensions: ['label'], filter: { column: 'label', op: 'in', values: [null, 'a'] } });
    expect(some.rows.map((r) => [r[0], r[2]])).toEqual([['a', 2]]);
    const numeric = await both('generic-group-by', { dimensions: ['label'], filter: { column: 'x', op: 'in', values: [null, 3] } });
    expect(numeric.rows.map((r) => [r[0], r[2]])).toEqual([['a', 1]]);
  });
});
