/**
 * The original set (★) is the original notebook, exactly (docs/analyses.md, "The original set"):
 * each ★ analysis is pinned here to the notebook's own definition (grouping, ordering, input
 * frame), written independently as PostgreSQL SQL over the imported real rows. The notebook:
 * `count()`, the null count per column and the duplicate count on the raw frame; `dropna` on its
 * seven columns; then one `groupBy(…).count()` per question on the cleaned frame, ordered by count
 * descending (the year distribution by year). Ties, which the notebook left to chance, follow the
 * catalog's rule: keys ascending in code-point order, nulls last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import type { AnalysisRun, ResultTable } from '../../shared/contract/analysis';
import type { DatasetVersionInfo } from '../../shared/types';
import { REAL_31, REAL_4401 } from '../support/real-data';
import { startTestEngine, type TestEngine } from '../support/pg';

/** The notebook's `dropna(subset=[…])` columns. */
const NOTEBOOK_DROPNA = [
  'Vehicle Year',
  'State of Registration',
  'Number of Occupants',
  'Engine Cylinders',
  'Vehicle Make',
  'Event Type',
  'Partial VIN',
];

/** The notebook's twelve group-bys: id → (grouping expression names, order). */
const NOTEBOOK_GROUPS: Record<string, { keys: string[]; byKey?: boolean }> = {
  'desc-body-type': { keys: ['Vehicle Body Type'] },
  'desc-crash-year': { keys: ['Year'], byKey: true },
  'desc-occupants': { keys: ['Number of Occupants'] },
  'desc-factor1': { keys: ['Contributing Factor 1'] },
  'desc-factor-pair': { keys: ['Contributing Factor 1', 'Contributing Factor 2'] },
  'desc-state': { keys: ['State of Registration'] },
  'desc-direction': { keys: ['Direction of Travel'] },
  'desc-vehicle-age-2025': { keys: ['2025 - Vehicle Year'] },
  'desc-fuel': { keys: ['Fuel Type'] },
  'desc-cylinders': { keys: ['Engine Cylinders'] },
  'desc-action': { keys: ['Action Prior to Accident'] },
  'desc-event-type': { keys: ['Event Type'] },
};
const NOTEBOOK_OTHER = [
  'explore-counts',
  'explore-schema',
  'explore-head',
  'explore-describe',
  'clean-nulls',
  'clean-null-drop',
  'clean-duplicates',
];

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function sql(text: string): Promise<unknown[][]> {
  const result = await t.engine.ctx.db.withClient((c) => c.query({ text, rowMode: 'array' }));
  return result.rows as unknown[][];
}

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function tableOf(run: AnalysisRun, id: string): ResultTable {
  const r = run.results.find((x) => x.id === id);
  expect(r?.status, `${id}: ${r?.reason ?? ''}`).toBe('ok');
  return r!.table!;
}

async function checkNotebook(file: string, name: string): Promise<void> {
  await t.client.run('dataset/import', { path: file, name });
  const info: DatasetVersionInfo = await t.client.call('dataset/get', { dataset: name });
  const ident = (col: string) => q(info.columns.find((c) => c.name === col)!.identifier);
  const raw = `data.${q(info.table)}`;
  const cleaned = `(SELECT * FROM ${raw} WHERE ${NOTEBOOK_DROPNA.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ')}) cleaned`;
  const ids = ANALYSES.filter((a) => a.original).map((a) => a.id);
  // Every group count in full (top N 0) to compare every group, and with its default top N.
  const all = Object.fromEntries(Object.keys(NOTEBOOK_GROUPS).map((id) => [id, { topN: 0 }]));
  const full = await t.client.run('analysis/run', { dataset: name, analyses: ids, params: all, fresh: true });
  const shown = await t.client.run('analysis/run', { dataset: name, analyses: Object.keys(NOTEBOOK_GROUPS), fresh: true });

  // The notebook's group-bys.
  for (const [id, def] of Object.entries(NOTEBOOK_GROUPS)) {
    const keyExprs = def.keys.map((k) => (k === '2025 - Vehicle Year' ? `(2025 - ${ident('Vehicle Year')})` : ident(k)));
    const keyOrder = def.keys.map((k, i) => {
      const text = info.columns.find((c) => c.name === k)?.type === 'text';
      return `k${i}${text ? ' COLLATE "C"' : ''} ASC NULLS LAST`;
    });
    const rows = await sql(
      `SELECT * FROM (SELECT ${keyExprs.map((e, i) => `${e} AS k${i}`).join(', ')}, count(*)::int AS n FROM ${cleaned}
       GROUP BY ${keyExprs.map((_e, i) => i + 1).join(', ')}) g
       ORDER BY ${def.byKey ? keyOrder.join(', ') : `n DESC, ${keyOrder.join(', ')}`}`,
    );
    const total = rows.reduce((s, r) => s + (r.at(-1) as number), 0);
    const expected = rows.map((r) => [...r, (r.at(-1) as number) / total, false]);
    const table = tableOf(full, id);
    expect(
      table.columns.slice(0, def.keys.length).map((c) => c.name),
      id,
    ).toEqual(def.keys.map((k) => (k === '2025 - Vehicle Year' ? 'Vehicle Age (2025 − Vehicle Year)' : k)));
    expect(table.rows, id).toEqual(expected);
    // With its default top N: the same first rows, then one "other" row holding the rest.
    const topN = ANALYSES.find((a) => a.id === id)!.params.find((p) => p.name === 'topN')!.default as number;
    const cut = tableOf(shown, id).rows;
    if (topN > 0 && expected.length > topN) {
      expect(cut.slice(0, topN), id).toEqual(expected.slice(0, topN));
      const rest = expected.slice(topN).reduce((s, r) => s + (r.at(-3) as number), 0);
      expect(cut.at(-1), id).toEqual([...def.keys.map(() => null), rest, rest / total, true]);
    } else expect(cut, id).toEqual(expected);
  }

  // count(), columns, printSchema (names in order), show(5) (file order).
  const [[rows]] = (await sql(`SELECT count(*)::int FROM ${raw}`)) as [[number]];
  expect(tableOf(full, 'explore-counts').rows).toEqual([[rows, info.columns.length]]);
  expect(tableOf(full, 'explore-schema').rows.map((r) => r[1])).toEqual(info.columns.map((c) => c.name));
  const head = await sql(`SELECT * FROM ${raw} ORDER BY ctid LIMIT 5`);
  expect(tableOf(full, 'explore-head').rows).toEqual(
    head.map((r) => r.map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v))),
  );
  // describe(): count, mean, stddev, min, max of every numeric column, on the raw frame.
  const describe = tableOf(full, 'explore-describe');
  for (const c of info.columns.filter((x) => x.type !== 'text')) {
    const [[count, mean, std, min, max]] = (await sql(
      `SELECT count(${q(c.identifier)})::int, avg(${q(c.identifier)})::float8, stddev_samp(${q(c.identifier)})::float8,
              min(${q(c.identifier)})::float8, max(${q(c.identifier)})::float8 FROM ${raw}`,
    )) as [[number, number, number, number, number]];
    const row = describe.rows.find((r) => r[0] === c.name)!;
    expect([row[2], row[6], row[10]], c.name).toEqual([count, min, max]);
    expect(relativeError(row[4] as number, mean), c.name).toBeLessThan(1e-12);
    expect(relativeError(row[5] as number, std), c.name).toBeLessThan(1e-12);
  }
  // The null count per column and the duplicate count, on the raw frame.
  const nulls = await sql(`SELECT ${info.columns.map((c) => `(count(*) - count(${q(c.identifier)}))::int`).join(', ')} FROM ${raw}`);
  expect(tableOf(full, 'clean-nulls').rows.map((r) => r.slice(0, 2))).toEqual(info.columns.map((c, i) => [c.name, nulls[0]![i]]));
  const [[distinct]] = (await sql(`SELECT count(*)::int FROM (SELECT DISTINCT * FROM ${raw}) d`)) as [[number]];
  expect(tableOf(full, 'clean-duplicates').rows).toEqual([[rows, distinct, rows - distinct]]);
  // dropna on the seven columns, then count() again.
  const [[after]] = (await sql(`SELECT count(*)::int FROM ${cleaned}`)) as [[number]];
  expect(tableOf(full, 'clean-null-drop').rows).toEqual([[rows, after, rows - after]]);
}

describe('the original set is the notebook', () => {
  it('pins every ★ analysis, and only those', () => {
    expect(
      ANALYSES.filter((a) => a.original)
        .map((a) => a.id)
        .sort(),
    ).toEqual([...NOTEBOOK_OTHER, ...Object.keys(NOTEBOOK_GROUPS)].sort());
  });

  it('matches independent SQL on the 4,401 real rows (factor 1 alone: HUMAN, ENVMT, VEHICLE)', async () => {
    await checkNotebook(REAL_4401, 'notebook4401');
    const run = await t.client.run('analysis/run', {
      dataset: 'notebook4401',
      analyses: ['desc-factor1', 'desc-factor1-description'],
      fresh: true,
    });
    expect(tableOf(run, 'desc-factor1').rows.map((r) => r[0])).toEqual(['HUMAN', 'ENVMT', 'VEHICLE']);
    // The richer variant stays available, not ★, with its own title.
    expect(
      tableOf(run, 'desc-factor1-description')
        .columns.map((c) => c.name)
        .slice(0, 2),
    ).toEqual(['Contributing Factor 1', 'Contributing Factor 1 Description']);
  }, 300_000);

  it('matches independent SQL on the 32 raw rows (nulls, the seven-column drop, duplicates before it)', async () => {
    await checkNotebook(REAL_31, 'notebook31');
  }, 300_000);
});
