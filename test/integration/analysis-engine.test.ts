/**
 * The analysis engine around the analyses: PostgreSQL → Polars loading (single and parallel
 * streams, in table order), the snapshot, the result cache, persisted runs, cancellation,
 * errors, and the `sparkpolar analyze` CLI (--json and --out).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../../shared/analyses';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { codeType, decodeColumns } from '../../electron/engine/analysis/dictionary';
import { loadFromPostgres } from '../../electron/engine/analysis/load';
import { planAnalyses, planColumns, runAnalyses } from '../../electron/engine/analysis/runner';
import { snapshotColumns } from '../../electron/engine/analysis/snapshot';
import { loadDataset } from '../../electron/engine/analysis/source';
import { generateCrashLikeCsv, loadCsvAsDataset, REAL_4401, repoRoot } from '../support/analysis-fixtures';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

const run = promisify(execFile);
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.client.run('dataset/import', { path: REAL_4401, name: 'crashes' });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('loading PostgreSQL into Polars', () => {
  it('reads the same frame, in table order, with one stream or several block ranges, typed from the catalog', async () => {
    const work = tempHome('load');
    const file = path.join(work, 'g.csv');
    await generateCrashLikeCsv(file, 30_000, 5);
    const { db } = t.engine.ctx;
    await loadCsvAsDataset(db, file, 'load30k');
    const info = await new Catalog(db).get('load30k');
    const one = await loadFromPostgres(db, info, { streams: 1 });
    const three = await loadFromPostgres(db, info, { streams: 3, minPagesToSplit: 1, batchBytes: 256 * 1024 });
    expect(three.streams).toBe(3);
    expect(one.frame.height).toBe(30_000);
    expect(three.frame.frameEqual(one.frame, true)).toBe(true);
    expect(one.frame.getColumn('year').dtype.equals(pl.Int32)).toBe(true);
    // Category-like text arrives as codes into a sorted dictionary; the near-unique VIN stays plain strings.
    expect(one.frame.getColumn('fuel_type').dtype.equals(pl.UInt8)).toBe(true);
    expect(one.frame.getColumn('vehicle_make').dtype.equals(codeType(one.dictionaries.vehicle_make!.length))).toBe(true);
    expect(one.dictionaries.partial_vin).toBeUndefined();
    expect(one.frame.getColumn('partial_vin').dtype.equals(pl.String)).toBe(true);
    const makes = one.dictionaries.vehicle_make!;
    expect([...makes].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(makes);
    const plain = await loadFromPostgres(db, info, { streams: 1, encode: false });
    expect(plain.dictionaries).toEqual({});
    expect(plain.frame.getColumn('vehicle_make').dtype.equals(pl.String)).toBe(true);
    expect(decodeColumns(one).getColumn('vehicle_make').toArray()).toEqual(plain.frame.getColumn('vehicle_make').toArray());
    expect(decodeColumns(three).frameEqual(plain.frame, true)).toBe(true);
    // Table order is file order: the first and last case ids are those of the file's first and last rows.
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    const ids = one.frame.getColumn('case_vehicle_id').toArray();
    expect(ids[0]).toBe(Number(lines[1]!.split(',')[1]));
    expect(ids.at(-1)).toBe(Number(lines.at(-1)!.split(',')[1]));
    // The generator repeats whole rows: the hash-then-compare duplicate count equals a plain unique().
    const dup = await runAnalyses({
      columns: info.columns,
      frame: one.frame,
      plan: planAnalyses(info.columns, ['clean-duplicates']),
      cleaning: { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: false },
    });
    const distinct = one.frame.unique().height;
    expect(distinct).toBeLessThan(30_000);
    expect(dup.results[0]!.table!.rows).toEqual([[30_000, distinct, 30_000 - distinct]]);
    const some = await loadFromPostgres(db, info, { columns: ['event_type', 'year'] });
    expect(some.frame.columns).toEqual(['event_type', 'year']);
    expect(some.frame.getColumn('event_type').toArray()).toEqual(one.frame.getColumn('event_type').toArray());
  }, 300_000);

  it('round-trips awkward text (quoted newlines, quotes, commas, empty vs null, non-ASCII) and reports SQL errors', async () => {
    const { db } = t.engine.ctx;
    const file = path.join(tempHome('tricky'), 'tricky.csv');
    const values = ['plain', 'two\nlines', 'say "hi"', 'a,b', '', null, 'Zürich – ÆØÅ 東京', 'crlf\r\nend'];
    const csvField = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
    fs.writeFileSync(file, 'txt,n\n' + values.map((v, i) => `${csvField(v)},${i}`).join('\n') + '\n');
    await loadCsvAsDataset(db, file, 'tricky', { n: 'integer' });
    const info = await new Catalog(db).get('tricky');
    const { frame } = await loadFromPostgres(db, info, { batchBytes: 16 });
    expect(frame.getColumn('txt').dtype.equals(pl.String)).toBe(true);
    expect(frame.getColumn('txt').toArray()).toEqual(values);
    expect(frame.getColumn('n').toArray()).toEqual(values.map((_, i) => i));
    // The same values repeated are category-like, so they take the categorical parse: same values.
    const repeated = Array.from({ length: 4 }, () => values).flat();
    const catFile = path.join(tempHome('tricky-cat'), 'tricky-cat.csv');
    fs.writeFileSync(catFile, 'txt,n\n' + repeated.map((v, i) => `${csvField(v)},${i}`).join('\n') + '\n');
    await loadCsvAsDataset(db, catFile, 'tricky-cat', { n: 'integer' });
    const cat = await loadFromPostgres(db, await new Catalog(db).get('tricky-cat'), { batchBytes: 16 });
    expect(cat.frame.getColumn('txt').dtype.equals(pl.UInt8)).toBe(true);
    expect(decodeColumns(cat).getColumn('txt').toArray()).toEqual(repeated);
    await db.query(`DROP TABLE data.${'"'}${info.table}${'"'}`);
    await expect(loadFromPostgres(db, info, {})).rejects.toMatchObject({ code: 'PG_ERROR' });
    expect((await db.query('SELECT 2 AS two')).rows[0]).toEqual({ two: 2 });
  }, 60_000);

  it('keeps a snapshot per version that reloads the same data, extends it with new columns, and ignores it once stale', async () => {
    const { db } = t.engine.ctx;
    const home = tempHome('snap');
    const info = await new Catalog(db).get('crashes');
    const [year, make, event] = ['Year', 'Vehicle Make', 'Event Type'].map((n) => info.columns.find((c) => c.name === n)!.identifier) as [
      string,
      string,
      string,
    ];
    const first = await loadDataset({ db, home }, info, [year, make]);
    expect(first.source).toBe('postgres');
    const again = await loadDataset({ db, home }, info, [make]);
    expect(again.source).toBe('snapshot');
    expect(again.dictionaries[make]).toEqual(first.dictionaries[make]);
    expect(again.frame.getColumn(make).toArray()).toEqual(first.frame.getColumn(make).toArray());
    const wider = await loadDataset({ db, home }, info, [year, event]);
    expect(wider.source).toBe('postgres');
    expect(snapshotColumns(home, info).sort()).toEqual([event, make, year].sort());
    expect((await loadDataset({ db, home }, info, [event, make, year])).source).toBe('snapshot');
    // A re-import of the same table name at another time is a different dataset version.
    const stale = { ...info, importedAt: new Date(Date.parse(info.importedAt) + 1000).toISOString() };
    expect(snapshotColumns(home, stale)).toEqual([]);
    expect((await loadDataset({ db, home }, stale, [year])).source).toBe('postgres');
  }, 120_000);
});

describe('analysis/run', () => {
  it('caches results by version, analysis, parameters and cleaning; reloads from the snapshot; persists runs', async () => {
    const ids = ['desc-body-type', 'clean-sentinels', 'generic-value-counts'];
    const first = await t.client.run('analysis/run', { dataset: 'crashes', analyses: ids });
    // The import built the frame from its own parse (proven, then kept as the snapshot): no reload.
    expect(['import', 'snapshot']).toContain(first.loadSource);
    expect(first.results.map((r) => [r.id, r.status, Boolean(r.cached)])).toEqual(ids.map((id) => [id, 'ok', false]));
    for (const r of first.results) {
      expect(r.rowsIn).toBe(4401);
      expect(r.rowsOut).toBe(r.table!.rows.length);
      expect(r.timings.computeMs).toBeGreaterThanOrEqual(0);
    }
    const cached = await t.client.run('analysis/run', { dataset: 'crashes', analyses: ids });
    expect(cached.loadSource).toBe('cache');
    expect(cached.results.every((r) => r.cached)).toBe(true);
    expect(cached.results.map((r) => r.table)).toEqual(first.results.map((r) => r.table));

    const fresh = await t.client.run('analysis/run', { dataset: 'crashes', analyses: ids, fresh: true });
    expect(fresh.loadSource).toBe('snapshot');
    expect(fresh.results.some((r) => r.cached)).toBe(false);

    // Other parameters or cleaning options are other cache entries; the raw-stage sentinel report ignores cleaning.
    const other = await t.client.run('analysis/run', {
      dataset: 'crashes',
      analyses: ids,
      params: { 'desc-body-type': { topN: 3 } },
      cleaning: { sentinelsAsNull: true, mergeMakes: false, dropOriginalNulls: true },
    });
    expect(other.results.map((r) => Boolean(r.cached))).toEqual([false, true, false]);
    expect(other.results[0]!.table!.rows).toHaveLength(4);
    expect(other.results[0]!.table!.rows[3]!.at(-1)).toBe(true);
    expect(other.cleaning.sentinelsAsNull).toBe(true);

    const runs = await t.client.call('analysis/runs', { dataset: 'crashes' });
    expect(runs.slice(0, 4).map((r) => r.runId)).toEqual([other.runId, fresh.runId, cached.runId, first.runId]);
    // Each run names the import it read, as the catalog gives it: version numbers restart after a delete.
    const { importedAt } = await t.client.call('dataset/get', { dataset: 'crashes' });
    expect(runs.slice(0, 4).map((r) => r.importedAt)).toEqual(Array(4).fill(importedAt));
    expect(first.importedAt).toBe(importedAt);
    expect(await t.client.call('analysis/get-run', { runId: first.runId })).toEqual(first);
    await expect(t.client.call('analysis/get-run', { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 300_000);

  it('runs the whole catalog by default and says which analyses apply', async () => {
    const all = await t.client.run('analysis/run', { dataset: 'crashes' });
    expect(all.results.map((r) => r.id)).toEqual(ANALYSES.map((a) => a.id));
    expect(all.results.filter((r) => r.status !== 'ok')).toEqual([]);
    const applicable = await t.client.call('analysis/applicable', { dataset: 'crashes' });
    expect(applicable.every((a) => a.applicable)).toBe(true);
  }, 600_000);

  it('rejects unknown analyses and datasets, and reports bad parameters as a failed analysis', async () => {
    await expect(t.client.run('analysis/run', { dataset: 'crashes', analyses: ['no-such-analysis'] })).rejects.toMatchObject({
      code: 'ANALYSIS_NOT_FOUND',
    });
    await expect(t.client.run('analysis/run', { dataset: 'nope' })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    const bad = await t.client.run('analysis/run', {
      dataset: 'crashes',
      analyses: ['generic-histogram', 'desc-fuel'],
      params: { 'generic-histogram': { column: 'Vehicle Make' } },
    });
    expect(bad.results.map((r) => r.status)).toEqual(['failed', 'ok']);
    expect(bad.results[0]!.reason).toMatch(/Vehicle Make/);
  }, 120_000);

  it('stops at the next analysis when cancelled', async () => {
    const controller = new AbortController();
    const job = t.client.run(
      'analysis/run',
      { dataset: 'crashes', fresh: true },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'analyze') controller.abort();
        },
      },
    );
    await expect(job).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 120_000);

  it('runAnalyses and the loader honour an aborted signal', async () => {
    const { db } = t.engine.ctx;
    const info = await new Catalog(db).get('crashes');
    const aborted = AbortSignal.abort();
    await expect(loadFromPostgres(db, info, { signal: aborted })).rejects.toMatchObject({ code: 'CANCELLED' });
    const plan = planAnalyses(info.columns, ['desc-body-type']);
    const needed = planColumns(info.columns, plan, { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true });
    const frame = (await loadFromPostgres(db, info, { columns: needed.map((n) => info.columns.find((c) => c.name === n)!.identifier) }))
      .frame;
    expect((await runAnalyses({ columns: info.columns, frame, plan })).results[0]!.status).toBe('ok');
    await expect(runAnalyses({ columns: info.columns, frame, plan, signal: aborted })).rejects.toMatchObject({ code: 'CANCELLED' });
    // The pool is still healthy after the cancelled COPY.
    expect((await db.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  }, 120_000);
});

describe('sparkpolar analyze', () => {
  it('prints one JSON document with every result, and writes <id>.csv files and timings.json', async () => {
    const home = tempHome('cli');
    const out = path.join(home, 'results');
    const cli = path.join(repoRoot, 'bin/sparkpolar.js');
    const args = [
      '--database-url',
      t.databaseUrl,
      '--home',
      home,
      'analyze',
      'crashes',
      '--analyses',
      'desc-body-type,explore-counts,desc-crash-year',
      '--json',
      '--out',
      out,
    ];
    const { stdout } = await run(process.execPath, [cli, ...args], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    const doc = JSON.parse(stdout);
    expect(doc.dataset).toBe('crashes');
    expect(doc.version).toBe(1);
    expect(doc.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ['desc-body-type', 'ok'],
      ['explore-counts', 'ok'],
      ['desc-crash-year', 'ok'],
    ]);
    const counts = doc.results[1];
    expect(counts.columns).toEqual(['rows', 'columns']);
    expect(counts.rows).toEqual([[4401, 19]]);
    expect(typeof counts.ms).toBe('number');
    const csv = fs.readFileSync(path.join(out, 'desc-body-type.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('Vehicle Body Type,count,share,other');
    expect(csv.slice(1)).toEqual(doc.results[0].rows.map((r: unknown[]) => r.map((v) => (v === null ? '' : String(v))).join(',')));
    const timings = JSON.parse(fs.readFileSync(path.join(out, 'timings.json'), 'utf8'));
    expect(timings.analyses.map((a: { id: string }) => a.id)).toEqual(['desc-body-type', 'explore-counts', 'desc-crash-year']);
    expect(timings.analyses[0]).toEqual(expect.objectContaining({ rowsIn: 4401, rowsOut: doc.results[0].rows.length }));
    expect(['postgres', 'snapshot', 'import', 'cache']).toContain(timings.loadSource);
  }, 180_000);
});
