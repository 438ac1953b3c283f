/**
 * Adding an analysis means writing it in every place that implements the catalog (see "Adding an
 * analysis" in docs/architecture.md). This test fails, naming the id, when one is missing: the
 * Polars op, the PySpark function, the DuckDB oracle, the SQL peer (original set), the EN/FR text
 * and a chart kind the charts draw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPS } from '../../electron/engine/analysis/ops';
import { CALIBRATION } from '../../electron/engine/generate/calibration';
import { ANALYSES, CHART_KINDS } from '../../shared/analyses';
import { hintsFor } from '../../shared/charts';
import { stringAt } from '../../shared/i18n';
import type { DatasetColumn } from '../../shared/types';
import { buildOriginalPlan, ORIGINAL_IDS } from '../../tools/bench/peers/original-sql';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The PySpark job's `ANALYSES = { "id": function, … }` table. */
function sparkTable(source: string): Map<string, string> {
  const body = /^ANALYSES = \{\n([\s\S]*?)^\}/m.exec(source)?.[1] ?? '';
  return new Map([...body.matchAll(/^\s+"([^"]+)": (\w+),/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('every catalog analysis has all its implementations', () => {
  const ids = ANALYSES.map((a) => a.id);

  it('has unique ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a Polars op for its kind', () => {
    const missing = ANALYSES.filter((a) => typeof OPS[a.op.kind] !== 'function').map((a) => `${a.id} (${a.op.kind})`);
    expect(missing).toEqual([]);
  });

  it('has a PySpark function in resources/spark/sparkpolar_job.py, and the job has no id the catalog lacks', () => {
    const source = read('resources/spark/sparkpolar_job.py');
    const table = sparkTable(source);
    expect(ids.filter((id) => !table.has(id))).toEqual([]);
    expect([...table.keys()].filter((id) => !ids.includes(id))).toEqual([]);
    const undefinedFunctions = [...new Set(table.values())].filter((fn) => !new RegExp(`^def ${fn}\\(`, 'm').test(source));
    expect(undefinedFunctions).toEqual([]);
  });

  it('has a DuckDB oracle case for its kind (test/support/oracle)', () => {
    const oracle = read('test/support/oracle/index.ts');
    const missing = ANALYSES.filter((a) => !oracle.includes(`case '${a.op.kind}':`)).map((a) => `${a.id} (${a.op.kind})`);
    expect(missing).toEqual([]);
  });

  it('has a SQL peer query when it belongs to the original set (tools/bench/peers/original-sql.ts)', () => {
    const columns: DatasetColumn[] = CALIBRATION.header.map((name, i) => ({ name, identifier: `c${i}`, type: 'text' }));
    for (const dialect of ['duckdb', 'postgres'] as const) {
      const plan = buildOriginalPlan({ sql: 'bench_table', name: 'bench_table' }, columns, dialect);
      // A query id is the analysis id, with `:<detail>` when one analysis takes several queries.
      expect([...new Set(plan.queries.map((q) => q.id.split(':')[0]))].sort()).toEqual([...ORIGINAL_IDS].sort());
    }
    expect(ORIGINAL_IDS.length).toBeGreaterThan(0);
  });

  it('has its title and description in English and French', () => {
    const missing = ANALYSES.flatMap((a) =>
      (['title', 'description'] as const).flatMap((field) =>
        (['en', 'fr'] as const).filter((lang) => !stringAt(lang, a[field])?.trim()).map((lang) => `${a.id}.${field}.${lang}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('has a chart kind the charts draw', () => {
    const bad = ANALYSES.filter((a) => !(CHART_KINDS as readonly string[]).includes(a.chart)).map((a) => `${a.id}: ${a.chart}`);
    expect(bad).toEqual([]);
    for (const a of ANALYSES) expect(hintsFor(a).kind, a.id).toBe(a.chart === 'kpi' ? 'table' : a.chart);
  });
});
