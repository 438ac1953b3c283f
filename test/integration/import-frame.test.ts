/**
 * One parse, two destinations: an import builds the analyses' frame from its own parse, and that
 * frame is trusted only once proven equal to the committed PostgreSQL table. Each case checks the
 * proof's verdict AND, independently, the frame against the table as PostgreSQL sends it back
 * (`loadFromPostgres`), so a proof that passed a wrong frame would fail here.
 */
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import type { JobProgress } from '../../shared/contract/jobs';
import { analysisRunProgress } from '../../shared/contract/analysis';
import { ANALYSES, ORIGINAL_CLEANING } from '../../shared/analyses';
import { compareResults } from '../../shared/results-compare';
import { decodeColumns } from '../../electron/engine/analysis/dictionary';
import { offerImportFrame, pendingImportFrames, startEarlyRun } from '../../electron/engine/analysis/import-frame';
import { planAnalyses, runAnalyses } from '../../electron/engine/analysis/runner';
import { frameChecksums, tableChecksums } from '../../electron/engine/analysis/snapshot-proof';
import { loadFromPostgres } from '../../electron/engine/analysis/load';
import { hashText } from '../../electron/engine/analysis/pg-hash';
import { readSnapshot, snapshotColumns, snapshotDir } from '../../electron/engine/analysis/snapshot';
import { Catalog } from '../../electron/engine/catalog/catalog';
import { importCsv } from '../../electron/engine/ingest/import';
import type { JobContext } from '../../electron/engine/jobs/manager';
import { silentLogger, type Logger } from '../../electron/engine/log';
import { REAL_4401, writeCsv } from '../support/import-helpers';
import pg from 'pg';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

let t: TestEngine;
let dir: string;
const db = () => t.engine.ctx.db;

beforeAll(async () => {
  // The test engine is given a database URL, exactly as `--database-url` does: an external PostgreSQL.
  t = await startTestEngine();
  dir = tempHome('import-frame');
}, 120_000);
afterAll(async () => t?.close());

/** Imports a file and waits for the proof of the frame it built; returns the verdict too. */
async function importAndProve(file: string, name: string, extra: Record<string, unknown> = {}) {
  const result = await t.client.run('dataset/import', { path: file, name, ...extra });
  const pending = pendingImportFrames(t.home);
  const verdicts = await Promise.all(pending);
  const info = await new Catalog(db()).get(name, result.version);
  return { result, info, offered: pending.length, proven: verdicts.every(Boolean) && verdicts.length > 0 };
}

/**
 * Holds the table locked until `release` is called, so the proof (which scans the table) cannot
 * answer before a run has started on the offered frame.
 */
async function lockTable(table: string) {
  const locker = new pg.Client({ connectionString: t.databaseUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE data.${pg.escapeIdentifier(table)} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await locker.query('COMMIT');
    await locker.end();
  };
}

/** Removes the snapshot the import's proof wrote, so a frame can be offered again. */
function dropSnapshotFiles(table: string) {
  for (const ext of ['parquet', 'json']) fs.rmSync(path.join(snapshotDir(t.home), `${table}.${ext}`), { force: true });
}

/** The snapshot the import left, decoded, against the committed table read back from PostgreSQL. */
async function expectSnapshotEqualsTable(name: string) {
  const info = await new Catalog(db()).get(name);
  const ids = info.columns.map((c) => c.identifier);
  expect(snapshotColumns(t.home, info)).toEqual(ids);
  const snapshot = readSnapshot(t.home, info, ids)!;
  const table = await loadFromPostgres(db(), info, { encode: false, streams: 1 });
  const decoded = decodeColumns(snapshot);
  expect(decoded.height).toBe(info.rows);
  expect(decoded.frameEqual(table.frame, true)).toBe(true);
  return { info, decoded };
}

describe('PostgreSQL hashtext in JavaScript', () => {
  it('gives the server’s value for every length of the tail and for multi-byte text', async () => {
    const values = ['', 'a', 'ab', 'abc', 'abcd', 'Ünïcødé 🚗', 'x'.repeat(1000)];
    for (let n = 5; n <= 40; n++) values.push(Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7 + n) % 90))).join(''));
    const { rows } = await db().query<{ h: number }>(
      'SELECT hashtext(v) AS h FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [values],
    );
    expect(rows.map((r) => r.h)).toEqual(values.map(hashText));
  });
});

describe('the frame an import builds', () => {
  it('all rows accepted (the real rows): proven, kept as the snapshot, equal to the table', async () => {
    const { result, offered, proven } = await importAndProve(REAL_4401, 'real');
    expect(result.rejected).toBe(0);
    expect(offered).toBe(1);
    expect(proven).toBe(true);
    await expectSnapshotEqualsTable('real');
  });

  it('builds no frame when asked not to (the CLI import, after which no run follows)', async () => {
    const { offered, result } = await importAndProve(REAL_4401, 'no-frame', { analysisFrame: false });
    expect(offered).toBe(0);
    expect(snapshotColumns(t.home, await new Catalog(db()).get('no-frame', result.version))).toEqual([]);
  });

  it('rejected rows are left out of the frame as they are of the table', async () => {
    const file = path.join(dir, 'rejects.csv');
    fs.writeFileSync(
      file,
      ['id,amount,label', '1,10,a', '2,20', '3,x30,c', '4,40,"d,e"', '5,50,f,extra', '6,60,"g ""h"""', '7,,i', ''].join('\n'),
    );
    const { result, proven } = await importAndProve(file, 'rejects', { typeMismatch: 'reject', types: { amount: 'integer' } });
    expect(result.rejected).toBe(3);
    expect(result.rows).toBe(4);
    expect(proven).toBe(true);
    const { decoded } = await expectSnapshotEqualsTable('rejects');
    expect(decoded.getColumn('id').toArray()).toEqual([1, 4, 6, 7]);
  });

  it('a column widened to text after the sample: the frame of the reload, with the text type', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'widen.csv');
    const rows = 130_000;
    await writeCsv(file, ['id', 'amount', 'day', 'ratio', 'label'], rows, (i) => [
      String(i + 1),
      i === rows - 1 ? 'n/a' : String((i * 7919) % 100_000),
      `20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}`,
      String((i % 1000) / 7),
      `item ${i % 300} ${'x'.repeat(30)}`,
    ]);
    const { result, proven } = await importAndProve(file, 'widen');
    expect(result.widened.map((w) => [w.identifier, w.to])).toEqual([['amount', 'text']]);
    expect(Object.fromEntries(result.columns.map((c) => [c.identifier, c.type]))).toEqual({
      id: 'integer',
      amount: 'text',
      day: 'date',
      ratio: 'numeric',
      label: 'text',
    });
    expect(proven).toBe(true);
    const { decoded } = await expectSnapshotEqualsTable('widen');
    expect(decoded.getColumn('amount').get(rows - 1)).toBe('n/a');
  });

  it('quoted empty strings stay empty text, empty fields are nulls, in typed and text columns', async () => {
    const file = path.join(dir, 'empties.csv');
    fs.writeFileSync(file, ['n,t,u', '1,"",x', ',,""', '"",a,', '4,"",""', ''].join('\r\n'));
    const { proven } = await importAndProve(file, 'empties');
    expect(proven).toBe(true);
    const { decoded } = await expectSnapshotEqualsTable('empties');
    expect(decoded.toRecords()).toEqual([
      { n: 1, t: '', u: 'x' },
      { n: null, t: null, u: '' },
      { n: null, t: 'a', u: null },
      { n: 4, t: '', u: '' },
    ]);
  });

  it('booleans, timestamps and dates in every spelling the import accepts: a frame, proven, equal to the table', async () => {
    const file = path.join(dir, 'typed.csv');
    fs.writeFileSync(
      file,
      [
        'id,flag,at,day,us',
        '1,true,2020-01-02 03:04:05,2020-01-02,12/31/2020 11:59 PM',
        '2,FALSE,2020-01-02T03:04:05Z,2020-1-2,1/2/2021 3:04 AM',
        '3,t,2020-1-2 3:04,1999-12-31,2/29/2024 12:00 AM',
        '4,F,2020-01-02,2000-02-29,7/4/1976 12:30 PM',
        '5,Yes,2020-01-02 03:04:05.123456,"2020-03-04","3/4/2020 1:02:03 PM"',
        '6,no,2021-12-31T23:59:59.5,,',
        '7,,"",,""',
        '8,"","2022-06-30 00:00:00",2022-6-30,6/30/2022 0:00',
        '',
      ].join('\n'),
    );
    const { result, offered, proven } = await importAndProve(file, 'typed');
    expect(Object.fromEntries(result.columns.map((c) => [c.identifier, c.type]))).toEqual({
      id: 'integer',
      flag: 'boolean',
      at: 'timestamp',
      day: 'date',
      us: 'timestamp',
    });
    expect(result.rejected).toBe(0);
    expect(offered).toBe(1);
    expect(proven).toBe(true);
    const { decoded } = await expectSnapshotEqualsTable('typed');
    expect(decoded.getColumn('flag').toArray()).toEqual([true, false, true, false, true, false, null, null]);
    expect(
      decoded
        .getColumn('at')
        .cast(pl.Int64)
        .toArray()
        .map((us) => (us === null ? null : new Date(Number(us) / 1000).toISOString())),
    ).toEqual([
      '2020-01-02T03:04:05.000Z',
      '2020-01-02T03:04:05.000Z',
      '2020-01-02T03:04:00.000Z',
      '2020-01-02T00:00:00.000Z',
      '2020-01-02T03:04:05.123Z',
      '2021-12-31T23:59:59.500Z',
      null,
      '2022-06-30T00:00:00.000Z',
    ]);
    // The microseconds, which a Date cannot show.
    expect(String(decoded.getColumn('at').cast(pl.Int64).toArray()[4])).toBe('1577934245123456');
  });

  it('cancelled mid-import: no frame offered, no snapshot, no run, no cached result', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'cancel.csv');
    await writeCsv(file, ['id', 'label'], 400_000, (i) => [String(i), `row ${i} ${'y'.repeat(40)}`]);
    const controller = new AbortController();
    const job: JobContext = {
      jobId: 'cancel',
      signal: controller.signal,
      progress: (p: JobProgress) => {
        if (p.phase === 'load' && (p.rows ?? 0) > 0) controller.abort();
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new StudioError('CANCELLED', 'Cancelled by the user.');
      },
    };
    const before = fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : [];
    const request = { path: file, name: 'cancelled', onError: 'skip' as const, typeMismatch: 'widen' as const, deleteSourceAfter: false };
    const err = await importCsv({ db: db(), home: t.home, log: silentLogger, catalog: t.engine.ctx.catalog }, request, job).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(pendingImportFrames(t.home)).toEqual([]);
    expect(fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : []).toEqual(before);
    const runs = await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM studio.analysis_runs WHERE dataset = 'cancelled'`);
    expect(runs.rows[0]!.n).toBe(0);
  });

  it('a frame that differs from the table is discarded, logged, and the run computes from PostgreSQL', async () => {
    await t.client.run('dataset/import', { path: REAL_4401, name: 'tampered' });
    await Promise.all(pendingImportFrames(t.home));
    const info = await new Catalog(db()).get('tampered');
    // Start over without the proven snapshot, then offer a frame with one changed value.
    dropSnapshotFiles(info.table);
    const good = await loadFromPostgres(db(), info, { streams: 1 });
    const id = info.columns.find((c) => c.name === 'Vehicle Year')!.identifier;
    const year = good.frame.getColumn(id).toArray() as number[];
    year[17] = year[17]! + 1;
    const bad = { frame: good.frame.withColumns(pl.Series(id, year, pl.Int32)), dictionaries: good.dictionaries };
    const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log: Logger = { ...silentLogger, warn: (message, fields) => void warnings.push({ message, fields }) };
    const release = await lockTable(info.table);
    const verdict = offerImportFrame({ db: db(), home: t.home, log }, info, bad);

    const seen: boolean[] = [];
    const run = await t.client
      .run(
        'analysis/run',
        { dataset: 'tampered', analyses: ['explore-describe', 'desc-vehicle-age'], fresh: true },
        {
          onProgress: (p) => {
            seen.push(analysisRunProgress(p.details)?.provisional ?? false);
            if (p.phase === 'prove') void release();
          },
        },
      )
      .finally(release);
    expect(await verdict).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields?.differences).toEqual([`${id}.sum`]);
    // The snapshot now on disk is the one the reload from PostgreSQL wrote: the table's value.
    expect(readSnapshot(t.home, info, [id])!.frame.getColumn(id).get(17)).toBe(year[17]! - 1);
    expect(run.loadSource).toBe('postgres');
    // The provisional results were replaced by results over the table: the same as a fresh run from PostgreSQL.
    const again = await t.client.run('analysis/run', {
      dataset: 'tampered',
      analyses: ['explore-describe', 'desc-vehicle-age'],
      fresh: true,
    });
    run.results.forEach((r, i) => expect(compareResults(r.table!, again.results[i]!.table!).match).toBe(true));
    expect(run.results.every((r) => r.status === 'ok')).toBe(true);
    expect(seen).toContain(true);
  });
});

describe('streaming a run', () => {
  it('reports every finished result in its progress, originals first, provisional until the proof answers', async () => {
    await t.client.run('dataset/import', { path: REAL_4401, name: 'streamed' });
    await Promise.all(pendingImportFrames(t.home));
    // Offer the import's frame again, with the proof held back until the run waits for it.
    const info = await new Catalog(db()).get('streamed');
    const ids = info.columns.map((c) => c.identifier);
    const frame = readSnapshot(t.home, info, ids)!;
    dropSnapshotFiles(info.table);
    const release = await lockTable(info.table);
    const verdict = offerImportFrame({ db: db(), home: t.home, log: silentLogger }, info, frame);
    const progress: Array<{ ids: string[]; provisional: boolean }> = [];
    const run = await t.client
      .run(
        'analysis/run',
        { dataset: 'streamed' },
        {
          onProgress: (p) => {
            const r = analysisRunProgress(p.details);
            if (r) progress.push({ ids: r.results.map((x) => x.id), provisional: r.provisional });
            if (p.phase === 'prove') void release();
          },
        },
      )
      .finally(release);
    expect(await verdict).toBe(true);
    expect(run.loadSource).toBe('import');
    // Results only accumulate: each report extends the one before.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.ids.slice(0, progress[i - 1]!.ids.length)).toEqual(progress[i - 1]!.ids);
    const streamed = progress.at(-1)!.ids;
    const computed = run.results.filter((r) => r.status === 'ok').map((r) => r.id);
    expect([...streamed].sort()).toEqual([...computed].sort());
    const original = new Set(ANALYSES.filter((s) => s.original).map((s) => s.id));
    const firstOther = streamed.findIndex((id) => !original.has(id));
    expect(streamed.slice(firstOther).some((id) => original.has(id))).toBe(false);
    expect(progress.some((p) => p.provisional)).toBe(true);
  });
});

const ORIGINAL_IDS = ANALYSES.filter((s) => s.original).map((s) => s.id);

/** The original analyses computed over the committed table as PostgreSQL sends it back. */
async function originalsFromTable(name: string) {
  const info = await new Catalog(db()).get(name);
  const loaded = await loadFromPostgres(db(), info, { streams: 1 });
  const ran = await runAnalyses({
    columns: info.columns,
    frame: loaded.frame,
    dictionaries: loaded.dictionaries,
    plan: planAnalyses(info.columns, ORIGINAL_IDS),
    cleaning: { ...ORIGINAL_CLEANING },
  });
  return new Map(ran.results.map((r) => [r.id, r]));
}

/**
 * Holds an uncommitted dataset row of this name, so an import of the same name waits in its
 * catalog step: after its COPY, its frame and the start of its early run, before its COMMIT.
 */
async function holdCatalogName(name: string) {
  const holder = new pg.Client({ connectionString: t.databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('INSERT INTO studio.datasets (name) VALUES ($1)', [name]);
  const waitingImport = async () => {
    for (let i = 0; i < 1200; i++) {
      const { rows } = await holder.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))`,
      );
      if (rows[0]) return rows[0].pid;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the import never reached its catalog step');
  };
  return { holder, waitingImport, release: async () => holder.query('ROLLBACK').then(() => holder.end()) };
}

function jobFor(controller: AbortController): JobContext {
  return {
    jobId: 'early',
    signal: controller.signal,
    progress: () => undefined,
    throwIfCancelled: () => {
      if (controller.signal.aborted) throw new StudioError('CANCELLED', 'Cancelled by the user.');
    },
  };
}

async function leftBehind(name: string) {
  const { rows } = await db().query<{ datasets: number; runs: number; tables: number }>(
    `SELECT (SELECT count(*)::int FROM studio.datasets WHERE name = $1) AS datasets,
            (SELECT count(*)::int FROM studio.analysis_runs WHERE dataset = $1) AS runs,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'data') AS tables`,
    [name],
  );
  return rows[0]!;
}

describe('the original analyses start before the import commits', () => {
  it('a run after the import answers the originals from the frame, equal to the results over the table', async () => {
    await t.client.run('dataset/import', { path: REAL_4401, name: 'early' });
    const reports: Array<{ ids: string[]; current?: string | undefined }> = [];
    const run = await t.client.run(
      'analysis/run',
      { dataset: 'early', analyses: ORIGINAL_IDS, fresh: true },
      {
        onProgress: (p) => {
          const r = analysisRunProgress(p.details);
          if (r?.results.length) reports.push({ ids: r.results.map((x) => x.id), current: r.current });
        },
      },
    );
    await Promise.all(pendingImportFrames(t.home));
    expect(run.loadSource).toBe('import');
    // Computed before the run started: the first report already holds every original, none computing.
    const ok = run.results.filter((r) => r.status === 'ok').map((r) => r.id);
    expect(ok.length).toBeGreaterThan(10);
    expect([...reports[0]!.ids].sort()).toEqual([...ok].sort());
    expect(reports[0]!.current).toBeUndefined();
    const expected = await originalsFromTable('early');
    for (const r of run.results) expect(compareResults(r.table!, expected.get(r.id)!.table!).match, r.id).toBe(true);
  });

  it('cancelled after its early run started: nothing offered, nothing kept, no version', { timeout: 120_000 }, async () => {
    const before = fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : [];
    const tablesBefore = (await leftBehind('early-cancelled')).tables;
    const held = await holdCatalogName('early-cancelled');
    const controller = new AbortController();
    const request = {
      path: REAL_4401,
      name: 'early-cancelled',
      onError: 'skip' as const,
      typeMismatch: 'widen' as const,
      deleteSourceAfter: false,
    };
    const importing = importCsv(
      { db: db(), home: t.home, log: silentLogger, catalog: t.engine.ctx.catalog },
      request,
      jobFor(controller),
    ).catch((e: unknown) => e);
    await held.waitingImport();
    controller.abort();
    await held.release();
    expect(await importing).toMatchObject({ code: 'CANCELLED' });
    expect(pendingImportFrames(t.home)).toEqual([]);
    expect(fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : []).toEqual(before);
    expect(await leftBehind('early-cancelled')).toEqual({ datasets: 0, runs: 0, tables: tablesBefore });
  });

  it(
    'failing after its early run started (connection lost before COMMIT): nothing offered, nothing kept',
    { timeout: 120_000 },
    async () => {
      const before = fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : [];
      const tablesBefore = (await leftBehind('early-failed')).tables;
      const held = await holdCatalogName('early-failed');
      const request = {
        path: REAL_4401,
        name: 'early-failed',
        onError: 'skip' as const,
        typeMismatch: 'widen' as const,
        deleteSourceAfter: false,
      };
      const importing = importCsv(
        { db: db(), home: t.home, log: silentLogger, catalog: t.engine.ctx.catalog },
        request,
        jobFor(new AbortController()),
      ).catch((e: unknown) => e);
      const pid = await held.waitingImport();
      await held.holder.query('SELECT pg_terminate_backend($1)', [pid]);
      await held.release();
      const err = await importing;
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toMatchObject({ code: 'CANCELLED' });
      expect(pendingImportFrames(t.home)).toEqual([]);
      expect(fs.existsSync(snapshotDir(t.home)) ? fs.readdirSync(snapshotDir(t.home)) : []).toEqual(before);
      expect(await leftBehind('early-failed')).toEqual({ datasets: 0, runs: 0, tables: tablesBefore });
    },
  );

  it('a frame that differs from the table: its early results are thrown away, the run computes from PostgreSQL', async () => {
    await t.client.run('dataset/import', { path: REAL_4401, name: 'early-mismatch' });
    await Promise.all(pendingImportFrames(t.home));
    const info = await new Catalog(db()).get('early-mismatch');
    dropSnapshotFiles(info.table);
    const good = await loadFromPostgres(db(), info, { streams: 1 });
    const id = info.columns.find((c) => c.name === 'Vehicle Year')!.identifier;
    const year = good.frame.getColumn(id).toArray() as number[];
    year[17] = 1950;
    const bad = { frame: good.frame.withColumns(pl.Series(id, year, pl.Int32)), dictionaries: good.dictionaries };
    const early = startEarlyRun(info.columns, bad, silentLogger);
    const proof = { table: await tableChecksums(db(), info, info.columns), frame: frameChecksums(bad, info.columns) };
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    expect(await offerImportFrame({ db: db(), home: t.home, log }, info, bad, { proof, early })).toBe(false);
    expect(warnings).toHaveLength(1);

    const run = await t.client.run('analysis/run', { dataset: 'early-mismatch', analyses: ORIGINAL_IDS, fresh: true });
    expect(run.loadSource).toBe('postgres');
    const expected = await originalsFromTable('early-mismatch');
    for (const r of run.results) expect(compareResults(r.table!, expected.get(r.id)!.table!).match, r.id).toBe(true);
    // Results over the changed frame differ, so the run's, equal to the table's, are not the early ones.
    const overBad = await runAnalyses({
      columns: info.columns,
      frame: bad.frame,
      dictionaries: bad.dictionaries,
      plan: planAnalyses(info.columns, ORIGINAL_IDS),
      cleaning: { ...ORIGINAL_CLEANING },
    });
    expect(overBad.results.some((r) => r.status === 'ok' && !compareResults(r.table!, expected.get(r.id)!.table!).match)).toBe(true);
  });
});
