/** `dataset/sample` (the app's "Load sample dataset" and `sparkpolar demo`): generate, then import. */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_HEADER } from '../../electron/engine/generate';
import { startTestEngine, type TestEngine } from '../support/pg';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.close());

describe('dataset/sample', () => {
  it('generates the sample into the data folder and imports it with the five numeric columns typed', async () => {
    const phases = new Set<string>();
    const result = await t.client.run('dataset/sample', { rows: 3000, seed: 5 }, { onProgress: (p) => p.phase && phases.add(p.phase) });
    expect(result.dataset).toBe('ny-crash-sample');
    expect(result.rows).toBe(3000);
    expect(result.file.startsWith(t.home)).toBe(true);
    expect(phases.has('generate')).toBe(true);
    const records = parse(fs.readFileSync(result.file), { bom: true }) as string[][];
    expect(records[0]).toEqual(CRASH_HEADER);
    expect(records.length - 1).toBe(result.rows);
    const info = await t.client.call('dataset/get', { dataset: 'ny-crash-sample' });
    expect(info.rows).toBe(3000);
    expect(info.rejected).toBe(0);
    const numeric = info.columns
      .filter((c) => c.type !== 'text')
      .map((c) => c.name)
      .sort();
    expect(numeric).toEqual(['Case Vehicle ID', 'Engine Cylinders', 'Number of Occupants', 'Vehicle Year', 'Year']);
    const page = await t.client.call('dataset/page', { dataset: 'ny-crash-sample', limit: 5 });
    expect(page.rows.map((r) => r.map((v) => (v === null ? '' : String(v))))).toEqual(records.slice(1, 6));
  });

  it('loads the same sample again as a new version without generating it again', async () => {
    const again = await t.client.run('dataset/sample', { rows: 3000, seed: 5 });
    expect(again.generateSeconds).toBe(0);
    expect(again.version).toBe(2);
  });
});
