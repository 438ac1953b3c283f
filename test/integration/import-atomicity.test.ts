/**
 * Versions, atomicity and the edge cases generated at test time: re-import creates a version; a
 * cancelled import and a killed CLI import leave no table and the previous version current and
 * intact; type widening with a reload; a 10 MB field; 2,000 and 1,600 columns; a file larger than
 * the free disk space.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { importCsv } from '../../electron/engine/ingest/import';
import type { JobContext } from '../../electron/engine/jobs/manager';
import { silentLogger } from '../../electron/engine/log';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { REAL_31, csvCell, dataTables, readCsvIndependently, repoRoot, tableAsText, writeCsv } from '../support/import-helpers';

const ROWS = 130_000;
/** ~12 MB: the last line lies beyond the sampled head and every probe. */
async function writeLateBreakFile(file: string): Promise<void> {
  await writeCsv(file, ['id', 'amount', 'flag', 'label'], ROWS, (i) => {
    const last = i === ROWS - 1;
    return [
      String(i + 1),
      last ? '3000000000' : String((i * 7919) % 100_000),
      last ? 'maybe' : i % 3 ? 'true' : 'false',
      `item ${i}, batch ${i % 97} ${'x'.repeat(40)}`,
    ];
  });
}

function jobContext(onProgress: (p: JobProgress, controller: AbortController) => void = () => undefined): JobContext {
  const controller = new AbortController();
  return {
    jobId: 'test',
    signal: controller.signal,
    progress: (p) => onProgress(p, controller),
    throwIfCancelled: () => {
      if (controller.signal.aborted) throw new StudioError('CANCELLED', 'Cancelled by the user.');
    },
  };
}

describe('import versions, atomicity and generated edge cases', () => {
  let t: TestEngine;
  let dir: string;
  let bigFile: string;
  beforeAll(async () => {
    t = await startTestEngine();
    dir = tempHome('import-files');
    bigFile = path.join(dir, 'late-break.csv');
    await writeLateBreakFile(bigFile);
  });
  afterAll(async () => t.close());

  const db = () => t.engine.ctx.db;
  const rowCount = async (table: string) =>
    Number((await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM data."${table}"`)).rows[0]!.n);
  const leftoverRejects = () => fs.readdirSync(path.join(t.home, 'rejects')).filter((f) => f.startsWith('.import-'));

  it('re-importing a name creates version 2 and makes it current; version 1 stays intact', async () => {
    const v1 = await t.client.run('dataset/import', { path: REAL_31, name: 'vehicles' });
    const v2 = await t.client.run('dataset/import', { path: REAL_31, name: 'vehicles' });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.table).not.toBe(v1.table);
    expect((await t.client.call('dataset/get', { dataset: 'vehicles' })).version).toBe(2);
    expect((await t.client.call('dataset/versions', { dataset: 'vehicles' })).map((v) => v.version)).toEqual([1, 2]);
    expect(await rowCount(v1.table)).toBe(v1.rows);
    const listed = (await t.client.call('dataset/list', {})).find((d) => d.dataset === 'vehicles');
    expect(listed).toMatchObject({ version: 2, versions: 2 });
    expect(await t.client.call('dataset/rejects', { dataset: 'vehicles' })).toEqual({ rows: [], total: 0 });
  });

  it('concurrent imports of one name number their versions in turn; same-slug names get distinct tables', async () => {
    const [a, b] = await Promise.all([
      t.client.run('dataset/import', { path: REAL_31, name: 'concurrent' }),
      t.client.run('dataset/import', { path: REAL_31, name: 'concurrent' }),
    ]);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    expect((await t.client.call('dataset/get', { dataset: 'concurrent' })).version).toBe(2);
    const [x, y] = await Promise.all([
      t.client.run('dataset/import', { path: REAL_31, name: 'same slug' }),
      t.client.run('dataset/import', { path: REAL_31, name: 'same-slug' }),
    ]);
    expect(x.table).not.toBe(y.table);
    for (const r of [a, b, x, y]) expect(await rowCount(r.table)).toBe(r.rows);
  });

  it('a cancelled import leaves no table, no rejects file, and the previous version current', async () => {
    const v1 = await t.client.run('dataset/import', { path: REAL_31, name: 'cancel-me' });
    const before = await dataTables(db());
    let loadingSeen = false;
    const job = jobContext((p, controller) => {
      if (p.phase === 'load' && (p.rows ?? 0) > 0 && !controller.signal.aborted) {
        loadingSeen = true;
        controller.abort();
      }
    });
    const request = {
      path: bigFile,
      name: 'cancel-me',
      onError: 'skip' as const,
      typeMismatch: 'widen' as const,
      deleteSourceAfter: false,
    };
    const err = await importCsv({ db: db(), home: t.home, log: silentLogger, catalog: t.engine.ctx.catalog }, request, job).catch(
      (e: unknown) => e,
    );
    expect(loadingSeen).toBe(true);
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(await dataTables(db())).toEqual(before);
    const current = await t.client.call('dataset/get', { dataset: 'cancel-me' });
    expect(current.version).toBe(1);
    expect(await rowCount(v1.table)).toBe(v1.rows);
    expect(leftoverRejects()).toEqual([]);
  });

  /**
   * Starts a CLI import of the big file under `name` while a test connection holds the dataset's
   * catalog row: the child loads every row, then waits for that lock right before it records the
   * version. Resolves once the child is waiting there.
   */
  async function cliImportHeldBeforeCommit(name: string) {
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    // pg_stat_activity is a snapshot per transaction: watch from a connection outside the blocker's.
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await watcher.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM studio.datasets WHERE name = $1 FOR UPDATE', [name]);
    const child = spawn(
      process.execPath,
      ['bin/sparkpolar.js', '--database-url', t.databaseUrl, '--home', tempHome('cli'), 'import', bigFile, '--name', name],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let waitingPid: number | null = null;
    for (let i = 0; i < 1500 && waitingPid === null; i++) {
      const { rows } = await watcher.query<{ pid: number; query: string; wait_event_type: string | null }>(
        "SELECT pid, query, wait_event_type FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'",
      );
      waitingPid = rows.find((r) => r.wait_event_type === 'Lock' && r.query.startsWith('INSERT INTO studio.datasets'))?.pid ?? null;
      if (waitingPid === null) {
        if (child.exitCode !== null) throw new Error(`the import ended before it reached the catalog step: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (waitingPid === null) {
      child.kill('SIGKILL');
      throw new Error(`the child never reached the catalog step: ${stderr}`);
    }
    return {
      child,
      exited,
      stderr: () => stderr,
      /** Releases the lock and waits until the child's server process has gone. */
      async release() {
        await blocker.query('ROLLBACK');
        for (let i = 0; i < 300; i++) {
          const { rowCount: alive } = await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [waitingPid]);
          if (!alive) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await blocker.end();
        await watcher.end();
      },
    };
  }

  it('a CLI import killed before it commits leaves no table and the previous version current', { timeout: 180_000 }, async () => {
    const v1 = await t.client.run('dataset/import', { path: REAL_31, name: 'killed' });
    const before = await dataTables(db());
    const held = await cliImportHeldBeforeCommit('killed');
    held.child.kill('SIGKILL');
    expect(await held.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await held.release();
    expect(await dataTables(db())).toEqual(before);
    expect((await t.client.call('dataset/versions', { dataset: 'killed' })).map((v) => v.version)).toEqual([1]);
    expect((await t.client.call('dataset/get', { dataset: 'killed' })).version).toBe(1);
    expect(await rowCount(v1.table)).toBe(v1.rows);
  });

  it('Ctrl-C in the CLI cancels the import cleanly: exit status 130, nothing recorded', { timeout: 180_000 }, async () => {
    const v1 = await t.client.run('dataset/import', { path: REAL_31, name: 'interrupted' });
    const before = await dataTables(db());
    const held = await cliImportHeldBeforeCommit('interrupted');
    held.child.kill('SIGINT');
    await held.release();
    expect((await held.exited).code).toBe(130);
    expect(held.stderr()).toContain('Cancelled by the user.');
    expect(await dataTables(db())).toEqual(before);
    expect((await t.client.call('dataset/versions', { dataset: 'interrupted' })).map((v) => v.version)).toEqual([1]);
    expect(await rowCount(v1.table)).toBe(v1.rows);
  });

  it('a value breaking an inferred type after the sample widens the column and every row loads', { timeout: 120_000 }, async () => {
    const r = await t.client.run('dataset/import', { path: bigFile, name: 'widened' });
    expect(Object.fromEntries(r.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'integer',
      amount: 'bigint',
      flag: 'text',
      label: 'text',
    });
    expect(r.widened).toEqual([
      { identifier: 'amount', from: 'integer', to: 'bigint', line: ROWS + 1, value: '3000000000' },
      { identifier: 'flag', from: 'boolean', to: 'text', line: ROWS + 1, value: 'maybe' },
    ]);
    expect(r.rows).toBe(ROWS);
    expect(r.rejected).toBe(0);
    const expected = readCsvIndependently(bigFile);
    const actual = await tableAsText(
      db(),
      r.table,
      r.columns.map((c) => c.identifier),
    );
    expect(actual.length).toBe(expected.records.length);
    for (let i = 0; i < actual.length; i++) {
      if (actual[i]!.join('\u0001') !== expected.records[i]!.join('\u0001')) expect(actual[i], `row ${i + 1}`).toEqual(expected.records[i]);
    }
    expect(leftoverRejects()).toEqual([]);
  });

  it('with typeMismatch reject, the breaking row goes to the rejects and the types stay', { timeout: 120_000 }, async () => {
    const r = await t.client.run('dataset/import', { path: bigFile, name: 'strict', typeMismatch: 'reject' });
    expect(r.columns.map((c) => c.type)).toEqual(['integer', 'integer', 'boolean', 'text']);
    expect(r.widened).toEqual([]);
    expect([r.rows, r.rejected]).toEqual([ROWS - 1, 1]);
    const rej = await t.client.call('dataset/rejects', { dataset: 'strict' });
    expect(rej.total).toBe(1);
    expect(rej.rows[0]).toMatchObject({ line: ROWS + 1, reason: 'column 2 ("amount"): "3000000000" is not an integer' });
  });

  it('a forced type holds: values that break it are rejected, others load', async () => {
    const file = path.join(dir, 'forced.csv');
    fs.writeFileSync(file, 'code,qty\n10,1\nA7,2\n30,3\n');
    const r = await t.client.run('dataset/import', { path: file, name: 'forced', types: { code: 'integer', qty: 'text' } });
    expect(r.columns.map((c) => c.type)).toEqual(['integer', 'text']);
    expect(await tableAsText(db(), r.table, ['code', 'qty'])).toEqual([
      ['10', '1'],
      ['30', '3'],
    ]);
    expect((await t.client.call('dataset/rejects', { dataset: 'forced' })).rows).toEqual([
      { line: 3, reason: 'column 1 ("code"): "A7" is not an integer', text: 'A7,2' },
    ]);
    await expect(t.client.run('dataset/import', { path: file, types: { nope: 'text' } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('a Latin-1 file whose first megabytes are plain ASCII is still read as Windows-1252', async () => {
    const file = path.join(dir, 'late-accents.csv');
    const lines = ['id,ville'];
    // ~5.5 MB of ASCII (beyond the 4 MB head), then accents in the last ~0.5 MB.
    for (let i = 1; i <= 120_000; i++)
      lines.push(`${i},${i <= 110_000 ? `Paris ${'x'.repeat(40)}` : i % 2 ? 'Besançon' : 'Orléans à côté'}`);
    fs.writeFileSync(file, Buffer.from(lines.join('\n') + '\n', 'latin1'));
    expect(fs.statSync(file).size).toBeGreaterThan(5 * 1024 * 1024);
    const r = await t.client.run('dataset/import', { path: file, name: 'late-accents' });
    expect(r.encoding).toBe('windows-1252');
    expect([r.rows, r.rejected]).toEqual([120_000, 0]);
    const expected = readCsvIndependently(file, { encoding: 'windows-1252' });
    expect(await tableAsText(db(), r.table, ['id', 'ville'])).toEqual(expected.records);
  });

  it('a 10 MB field imports whole', async () => {
    const file = path.join(dir, 'big-field.csv');
    let big = '';
    const words = ['alpha', 'beta "quoted"', 'gamma,comma', 'delta\r\nnewline', 'épsilon'];
    for (let i = 0; big.length < 10 * 1024 * 1024; i++) big += words[i % words.length] + ' ';
    fs.writeFileSync(file, `id,blob,n\n1,${csvCell(big)},5\n2,small,6\n`);
    const r = await t.client.run('dataset/import', { path: file, name: 'big-field' });
    expect([r.rows, r.rejected]).toEqual([2, 0]);
    const { rows } = await db().query<{ len: number; md5: string }>(
      `SELECT length(blob) AS len, md5(blob) AS md5 FROM data."${r.table}" WHERE id = 1`,
    );
    expect(rows[0]).toEqual({ len: big.length, md5: createHash('md5').update(big, 'utf8').digest('hex') });
  });

  it('2,000 columns are refused before loading; 1,600 columns import; rows wider than a page fail cleanly', async () => {
    const wide = (n: number, value: (i: number) => string) => {
      const file = path.join(dir, `wide-${n}-${value(1)}.csv`);
      const header = Array.from({ length: n }, (_, i) => `c${i + 1}`);
      fs.writeFileSync(
        file,
        `${header.join(',')}\n${header.map((_, i) => value(i)).join(',')}\n${header.map((_, i) => value(i + 7)).join(',')}\n`,
      );
      return file;
    };
    const before = await dataTables(db());
    const err = await t.client.run('dataset/import', { path: wide(2000, (i) => String(i % 10)) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CSV_TOO_WIDE', message: 'The file has 2,000 columns; a PostgreSQL table holds at most 1,600.' });
    expect(await dataTables(db())).toEqual(before);

    const file = wide(1600, (i) => String(i % 10));
    const r = await t.client.run('dataset/import', { path: file });
    expect(r.columns).toHaveLength(1600);
    expect(new Set(r.columns.map((c) => c.type))).toEqual(new Set(['integer']));
    const expected = readCsvIndependently(file);
    expect(
      await tableAsText(
        db(),
        r.table,
        r.columns.map((c) => c.identifier),
      ),
    ).toEqual(expected.records);

    // 1,600 short texts need more than the 8 kB a PostgreSQL row may take (short values are not TOASTed).
    const tables = await dataTables(db());
    const tooWide = await t.client
      .run('dataset/import', { path: wide(1600, (i) => `text value ${i}`), name: 'too-wide-rows' })
      .catch((e: unknown) => e);
    expect(tooWide).toMatchObject({ code: 'CSV_TOO_WIDE' });
    expect((tooWide as StudioError).message).toMatch(/^A row is too wide for PostgreSQL/);
    expect(await dataTables(db())).toEqual(tables);
  });

  it('a file larger than the free disk space is refused up front', async () => {
    const { rows } = await db().query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    const stats = await fs.promises.statfs(rows[0]!.dir);
    const free = stats.bavail * stats.bsize;
    const file = path.join(dir, 'huge-sparse.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    fs.truncateSync(file, free + 2 ** 30); // sparse: takes no space
    try {
      const before = await dataTables(db());
      const err = await t.client.run('dataset/import', { path: file, name: 'too-big' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DISK_FULL' });
      expect((err as StudioError).message).toMatch(
        /^Not enough disk space to import: the table needs about [\d.]+ GB and only [\d.]+ GB is free/,
      );
      expect(await dataTables(db())).toEqual(before);
      await expect(t.client.call('dataset/get', { dataset: 'too-big' })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('a missing file is FILE_NOT_FOUND', async () => {
    await expect(t.client.run('dataset/import', { path: path.join(dir, 'nope.csv') })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
