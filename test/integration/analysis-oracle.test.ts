/**
 * Every catalog analysis, run by the engine (PostgreSQL → Polars) on imported files, equals the
 * independent DuckDB oracle reading the same file: the 4,401 real rows, the 32 raw rows (with
 * every cleaning option), a generated dataset of 200,000 rows, and a CSV that is not about
 * crashes (crash analyses not applicable, generic ones correct).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import type { AnalysisRun, CleaningOptions } from '../../shared/contract/analysis';
import { compareResults } from '../../shared/results-compare';
import type { DatasetColumn } from '../../shared/types';
import { generateCrashCsv } from '../../electron/engine/generate/generate';
import { REAL_31, REAL_4401 } from '../support/analysis-fixtures';
import { oracleRunOn, OracleSession, type OracleResult } from '../support/oracle';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

let t: TestEngine;
let work: string;

beforeAll(async () => {
  t = await startTestEngine();
  work = tempHome('analysis-oracle');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function importFile(file: string, name: string): Promise<DatasetColumn[]> {
  const result = await t.client.run('dataset/import', { path: file, name });
  expect(result.rejected).toBe(0);
  return result.columns;
}

async function run(
  dataset: string,
  cleaning?: CleaningOptions,
  extra: { analyses?: string[]; params?: Record<string, Record<string, unknown>> } = {},
): Promise<AnalysisRun> {
  return t.client.run('analysis/run', { dataset, ...(cleaning ? { cleaning } : {}), ...extra, fresh: true });
}

/** Lists every analysis where the engine and the oracle disagree (status, or table contents). */
function disagreements(engine: AnalysisRun, oracle: OracleResult[]): string[] {
  const problems: string[] = [];
  expect(engine.results.map((r) => r.id)).toEqual(oracle.map((r) => r.id));
  engine.results.forEach((r, i) => {
    const o = oracle[i]!;
    if (r.status !== o.status)
      return problems.push(`${r.id}: engine ${r.status} (${r.reason ?? ''}) vs oracle ${o.status} (${o.reason ?? ''})`);
    if (r.status !== 'ok') return;
    const cmp = compareResults(r.table!, o.table!);
    if (!cmp.match)
      problems.push(
        `${r.id}: ${cmp.differenceCount} difference(s): ${cmp.differences
          .slice(0, 3)
          .map((d) => d.message)
          .join(' | ')}`,
      );
  });
  return problems;
}

const ORIGINAL: CleaningOptions = { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true };
const ALL_ON: CleaningOptions = { sentinelsAsNull: true, mergeMakes: true, dropOriginalNulls: true };
const NO_DROP: CleaningOptions = { sentinelsAsNull: true, mergeMakes: true, dropOriginalNulls: false };

describe('engine results equal the DuckDB oracle', () => {
  it('on the 4,401 real rows, for every analysis of the catalog, with the original cleaning and with all options', async () => {
    const columns = await importFile(REAL_4401, 'real4401');
    const session = await OracleSession.open({ file: REAL_4401, columns });
    try {
      for (const cleaning of [ORIGINAL, ALL_ON]) {
        const engine = await run('real4401', cleaning);
        expect(engine.results).toHaveLength(ANALYSES.length);
        expect(engine.results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
        expect(disagreements(engine, await oracleRunOn(session, { cleaning }))).toEqual([]);
      }
    } finally {
      session.close();
    }
  }, 600_000);

  it('on the raw rows (nulls, sentinels, out-of-state make codes) under every cleaning choice', async () => {
    const columns = await importFile(REAL_31, 'raw31');
    const session = await OracleSession.open({ file: REAL_31, columns });
    try {
      for (const cleaning of [ORIGINAL, ALL_ON, NO_DROP, { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: false }]) {
        const engine = await run('raw31', cleaning);
        expect(disagreements(engine, await oracleRunOn(session, { cleaning }))).toEqual([]);
      }
      // The raw rows really exercise the cleaning: sentinels exist, the drop removes rows, makes merge.
      const engine = await run('raw31', NO_DROP, { analyses: ['clean-sentinels', 'clean-null-drop', 'clean-make-merge', 'desc-make'] });
      const byId = Object.fromEntries(engine.results.map((r) => [r.id, r.table!]));
      expect(byId['clean-sentinels']!.rows.length).toBeGreaterThan(0);
      expect(byId['clean-null-drop']!.rows[0]![2]).toBeGreaterThan(0);
      expect(byId['clean-make-merge']!.rows.some((r) => r[1] === 'CHEV')).toBe(true);
      expect(byId['desc-make']!.rows.some((r) => r[0] === 'CHEV' || r[0] === 'CHEVR')).toBe(false);
    } finally {
      session.close();
    }
  }, 600_000);

  it('on a generated dataset of 200,000 rows', async () => {
    const file = path.join(work, 'generated-200k.csv');
    await generateCrashCsv({ rows: 200_000, seed: 20240601, out: file });
    const columns = await importFile(file, 'generated200k');
    const session = await OracleSession.open({ file, columns });
    try {
      const engine = await run('generated200k', ORIGINAL);
      expect(engine.rows).toBe(200_000);
      expect(engine.results.filter((r) => r.status !== 'ok').map((r) => r.id)).toEqual([]);
      expect(disagreements(engine, await oracleRunOn(session, { cleaning: ORIGINAL }))).toEqual([]);
      const cleaned = await run('generated200k', ALL_ON);
      expect(disagreements(cleaned, await oracleRunOn(session, { cleaning: ALL_ON }))).toEqual([]);
      // Parameters reach both engines the same way: top N with "other", two dimensions, filters, every aggregate.
      const params: Record<string, Record<string, unknown>> = {
        'desc-make': { topN: 5 },
        'desc-vehicle-age': { topN: 7 },
        'trend-make': { topN: 3 },
        'generic-value-counts': { column: 'Partial VIN', topN: 10 },
        'generic-histogram': { column: 'Vehicle Year', bins: 37 },
        'generic-correlation': { method: 'spearman', columns: ['Vehicle Year', 'Number of Occupants', 'Engine Cylinders'] },
        'generic-profile': { topValues: 5 },
      };
      const withParams = await run('generated200k', ORIGINAL, { analyses: Object.keys(params), params });
      expect(
        disagreements(
          withParams,
          await oracleRunOn(session, { cleaning: ORIGINAL, analyses: Object.entries(params).map(([id, p]) => ({ id, params: p })) }),
        ),
      ).toEqual([]);
      for (const aggregate of ['count', 'sum', 'mean', 'min', 'max', 'median']) {
        const p = {
          dimensions: ['State of Registration', 'Fuel Type'],
          aggregate,
          measure: aggregate === 'count' ? null : 'Number of Occupants',
          filter: { column: 'Year', op: 'ge', value: 2018 },
          topN: 3,
        };
        const e = await run('generated200k', ORIGINAL, { analyses: ['generic-group-by'], params: { 'generic-group-by': p } });
        expect(e.results[0]!.table!.rows.at(-1)!.at(-1)).toBe(true); // the other bucket is there
        expect(
          disagreements(e, await oracleRunOn(session, { cleaning: ORIGINAL, analyses: [{ id: 'generic-group-by', params: p }] })),
        ).toEqual([]);
      }
    } finally {
      session.close();
    }
  }, 900_000);

  it('on a CSV that is not about crashes: crash analyses are not applicable, generic ones are right', async () => {
    const file = path.join(work, 'shops.csv');
    const lines = ['city,category,amount,qty,member,day'];
    const cities = ['Lyon', 'Paris', 'Nice', 'Zürich', 'Ávila', ''];
    for (let i = 0; i < 500; i++) {
      const city = cities[(i * 7) % cities.length]!;
      const amount = i % 13 === 0 ? '' : ((i * 37) % 1000) / 8 + 0.125;
      const qty = i % 17 === 0 ? '' : String((i * 11) % 9);
      lines.push(
        `${city},${['a', 'b', 'c', 'Not Entered'][i % 4]},${amount},${qty},${i % 3 === 0 ? 'true' : 'false'},2024-0${1 + (i % 9)}-1${i % 10}`,
      );
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const columns = await importFile(file, 'shops');
    expect(columns.map((c) => c.type)).toEqual(expect.arrayContaining(['text', 'integer', 'boolean', 'date']));
    const session = await OracleSession.open({ file, columns });
    try {
      const engine = await run('shops', ORIGINAL);
      const notApplicable = engine.results.filter((r) => r.status === 'not-applicable').map((r) => r.id);
      expect(engine.results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(notApplicable).toContain('desc-body-type');
      expect(notApplicable).toContain('clean-null-drop');
      expect(engine.results.filter((r) => r.status === 'ok').map((r) => r.id)).toEqual(
        expect.arrayContaining([
          'explore-describe',
          'clean-nulls',
          'clean-sentinels',
          'generic-profile',
          'generic-histogram',
          'generic-value-counts',
          'generic-group-by',
          'generic-correlation',
        ]),
      );
      expect(disagreements(engine, await oracleRunOn(session, { cleaning: ORIGINAL }))).toEqual([]);
      const applicable = await t.client.call('analysis/applicable', { dataset: 'shops' });
      expect(applicable.filter((a) => !a.applicable).map((a) => a.id)).toEqual(notApplicable);
    } finally {
      session.close();
    }
  }, 600_000);
});
