/**
 * A cleaning toggle re-runs only the analyses it can change: the others are served from the
 * result cache, and every served result equals the same analysis computed afresh with the new
 * options, floats within the oracle tests' tolerance (on the raw rows, where sentinels, make codes and null rows all occur).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisRun, CleaningOptions } from '../../shared/contract/analysis';
import { compareResults } from '../../shared/results-compare';
import { REAL_31 } from '../support/analysis-fixtures';
import { startTestEngine, type TestEngine } from '../support/pg';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.client.run('dataset/import', { path: REAL_31, name: 'raw31' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const ORIGINAL: CleaningOptions = { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true };

const run = (cleaning: CleaningOptions, fresh = false): Promise<AnalysisRun> =>
  t.client.run('analysis/run', { dataset: 'raw31', cleaning, fresh });

const rerun = (r: AnalysisRun) =>
  r.results
    .filter((x) => x.status === 'ok' && !x.cached)
    .map((x) => x.id)
    .sort();

describe('a cleaning toggle', () => {
  it.each([
    ['merging make codes', { mergeMakes: true }, ['desc-make', 'trend-make'], ['corr-pearson', 'desc-body-type', 'clean-make-merge']],
    [
      'sentinels as nulls',
      { sentinelsAsNull: true },
      ['desc-body-type', 'explore-describe', 'corr-pearson'],
      ['explore-counts', 'clean-out-of-range', 'clean-sentinels'],
    ],
    ['keeping the null rows', { dropOriginalNulls: false }, ['desc-body-type', 'corr-pearson'], ['explore-describe', 'clean-sentinels']],
  ] as Array<[string, Partial<CleaningOptions>, string[], string[]]>)(
    'for %s re-runs only what it affects, and what it serves from the cache is what a fresh run computes',
    async (_what, toggle, affected, unaffected) => {
      await run(ORIGINAL);
      const toggled = await run({ ...ORIGINAL, ...toggle });
      const fresh = await run({ ...ORIGINAL, ...toggle }, true);
      const ran = rerun(toggled);
      for (const id of affected) expect(ran).toContain(id);
      for (const id of unaffected) expect(ran).not.toContain(id);
      expect(ran.length).toBeLessThan(fresh.results.filter((r) => r.status === 'ok').length);
      // Floats may differ in the last bits: Polars sums in chunks, and a fresh run reads the snapshot, not PostgreSQL.
      expect(toggled.results.map((r) => [r.id, r.status])).toEqual(fresh.results.map((r) => [r.id, r.status]));
      const differing = toggled.results
        .filter((r, i) => r.table && !compareResults(r.table, fresh.results[i]!.table!).match)
        .map((r) => r.id);
      expect(differing).toEqual([]);
    },
    120_000,
  );
});
