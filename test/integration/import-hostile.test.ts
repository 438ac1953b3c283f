/**
 * A malicious CSV cannot exhaust memory (#15.3): a header of millions of delimiters fails with
 * CSV_TOO_WIDE in a process whose heap is far smaller than per-column state for them would take;
 * a data line of millions of delimiters is one rejected row; a line longer than the record cap
 * fails with CSV_MALFORMED naming it. Each leaves the dataset imported before it whole.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../electron/engine/ingest/pass';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { REAL_31 } from '../support/real-data';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

describe('hostile CSV shapes', () => {
  let t: TestEngine;
  let dir: string;
  let keptRows: number;

  async function countRows(table: string): Promise<number> {
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM data.${pg.escapeIdentifier(table)}`);
      return Number(rows[0]!.n);
    } finally {
      await db.end();
    }
  }

  async function keptIsWhole(): Promise<void> {
    const info = await t.client.call('dataset/get', { dataset: 'kept' });
    expect(await countRows(info.table)).toBe(keptRows);
  }

  beforeAll(async () => {
    t = await startTestEngine();
    dir = tempHome('hostile-csv');
    const kept = await t.client.run('dataset/import', { path: REAL_31, name: 'kept' });
    keptRows = kept.rows;
    expect(await countRows(kept.table)).toBe(keptRows);
  });
  afterAll(() => t.close());

  it('refuses a header of ten million columns with CSV_TOO_WIDE inside a 64 MB heap', async () => {
    const file = path.join(dir, 'commas.csv');
    fs.writeFileSync(file, ','.repeat(10_000_000) + '\n1\n');
    // Per-column state for 10 M columns would need gigabytes: a small heap shows none is built.
    const script = `
      import { profileFile } from ${JSON.stringify(path.join(repo, 'electron/engine/ingest/sample.ts'))};
      profileFile(${JSON.stringify(file)}).then(
        () => console.log(JSON.stringify({ ok: true })),
        (err) => console.log(JSON.stringify({ code: err.code, message: err.message })),
      );
    `;
    const { stdout } = await run(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repo,
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      code: 'CSV_TOO_WIDE',
      message: 'The file has 10,000,001 columns; a PostgreSQL table holds at most 1,600.',
    });
    const err = await t.client.run('dataset/import', { path: file, name: 'commas' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CSV_TOO_WIDE' });
    await keptIsWhole();
  });

  it('rejects a data line of millions of delimiters as one bad row', async () => {
    const file = path.join(dir, 'wide-row.csv');
    fs.writeFileSync(file, `a,b\n1,x\n${','.repeat(5_000_000)}\n2,y\n`);
    const r = await t.client.run('dataset/import', { path: file, name: 'wide-row' });
    expect(r.rows).toBe(2);
    expect(r.rejected).toBe(1);
    expect(await countRows(r.table)).toBe(2);
    const rejects = await t.client.call('dataset/rejects', { dataset: 'wide-row' });
    expect(rejects.rows[0]).toMatchObject({ line: 3 });
    expect(rejects.rows[0]!.reason).toMatch(/^5,000,001 fields|^5000001 fields/);
    await keptIsWhole();
  });

  it('fails on a line longer than the record cap with CSV_MALFORMED naming the line', async () => {
    const file = path.join(dir, 'long-line.csv');
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, 'a,b\n1,x\n2,');
    const block = Buffer.alloc(4 * 1024 * 1024, 'y');
    for (let written = 0; written <= MAX_RECORD_BYTES; written += block.length) fs.writeSync(out, block);
    fs.writeSync(out, '\n3,z\n');
    fs.closeSync(out);
    const before = await t.client.call('dataset/list', {});
    const err = await t.client.run('dataset/import', { path: file, name: 'long-line' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CSV_MALFORMED', details: { line: 3 } });
    expect((await t.client.call('dataset/list', {})).map((d) => d.dataset)).toEqual(before.map((d) => d.dataset));
    fs.rmSync(file);
    await keptIsWhole();
  });
});
