import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Database } from '../../electron/engine/db/database';
import { ensureEmbeddedServer } from '../../electron/engine/db/embedded-server';
import { silentLogger } from '../../electron/engine/log';
import { tempHome } from '../support/pg';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../..');

async function serverVersion(s: { host: string; port: number; user: string; password: string }): Promise<string> {
  const client = new pg.Client({ ...s, database: 'postgres' });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await client.end();
  return rows[0]!.v;
}

describe('embedded PostgreSQL', () => {
  it('starts in the data folder, lets a second caller join it, and stops only when its starter stops', async () => {
    const home = tempHome('pg');
    const first = await ensureEmbeddedServer(home, silentLogger);
    try {
      expect(first.startedHere).toBe(true);
      expect(await serverVersion(first)).toMatch(/^18\./);
      const second = await ensureEmbeddedServer(home, silentLogger);
      expect(second.startedHere).toBe(false);
      expect(second.port).toBe(first.port);
      await second.stop(); // a joiner's stop leaves the server running
      expect(await serverVersion(first)).toMatch(/^18\./);
    } finally {
      await first.stop();
    }
    await expect(serverVersion(first)).rejects.toThrow();
  });

  it('starts afresh when the data folder was deleted but its cluster was kept elsewhere (root)', async () => {
    const home = tempHome('pg-reuse');
    const first = await ensureEmbeddedServer(home, silentLogger);
    await first.stop();
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(home, { recursive: true });
    const again = await ensureEmbeddedServer(home, silentLogger);
    try {
      expect(again.startedHere).toBe(true);
      expect(await serverVersion(again)).toMatch(/^18\./);
    } finally {
      await again.stop();
    }
  });

  it('runs migrations on first use and reports the server version', async () => {
    const home = tempHome('db');
    const db = new Database({ kind: 'embedded', home }, silentLogger);
    try {
      const info = await db.info();
      expect(info.mode).toBe('embedded');
      expect(info.serverVersion).toMatch(/^PostgreSQL 18/);
      expect(info.startedHere).toBe(true);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM studio.schema_migrations');
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('reports an unreachable external server as PG_UNAVAILABLE', async () => {
    const db = new Database({ kind: 'external', url: 'postgresql://nobody:pw@127.0.0.1:1/none' }, silentLogger);
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'PG_UNAVAILABLE' });
    const info = await db.info();
    expect(info.serverVersion).toBeNull();
    expect(info.location).not.toContain('pw');
  });
});

describe('sparkpolar CLI', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [path.join(repo, 'bin/sparkpolar.js'), ...args], { cwd: repo, env: { ...process.env, ...env } });

  it('doctor --json prints one JSON object with the embedded server version and the Polars version', async () => {
    const home = tempHome('cli');
    const { stdout } = await cli(['--home', home, 'doctor', '--json']);
    const info = JSON.parse(stdout);
    expect(info.database.serverVersion).toMatch(/^PostgreSQL 18/);
    expect(info.database.mode).toBe('embedded');
    expect(info.polars).toBe('0.25.2');
    expect(info.home).toBe(home);
  });

  it('exits non-zero with a one-line reason on stderr when something is wrong', async () => {
    const err = (await cli(['--database-url', 'postgresql://x:y@127.0.0.1:1/z', 'doctor']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(err.code).not.toBe(0);
    const unknown = (await cli(['no-such-command']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/i);
  });
});
