/**
 * A fresh database on the run's real PostgreSQL for each caller, and an engine bound to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { bridgeFromChannel, createClient, type StudioClient } from '../../shared/client';
import { channelPair } from '../../shared/rpc';
import { Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/log';

export async function freshDatabaseUrl(prefix = 't'): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A temporary data folder under the run's root (removed with it). */
export function tempHome(prefix = 'home'): string {
  const dir = fs.mkdtempSync(path.join(inject('testRoot'), `${prefix}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export interface TestEngine {
  engine: Engine;
  client: StudioClient;
  home: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** An in-process engine on a fresh database, with a typed client over the real wire protocol. */
export async function startTestEngine(options: { env?: NodeJS.ProcessEnv } = {}): Promise<TestEngine> {
  const databaseUrl = await freshDatabaseUrl();
  const home = tempHome();
  const engine = new Engine({
    home,
    databaseUrl,
    host: 'test',
    log: silentLogger,
    env: options.env ?? {},
    files: 'any',
    // Each test drives the publish queue itself; storage-publish starts engines that retry on their own.
    retryQueueInBackground: false,
  });
  const [engineSide, clientSide] = channelPair();
  engine.attach(engineSide);
  const client = createClient(bridgeFromChannel(clientSide));
  return { engine, client, home, databaseUrl, close: () => engine.close() };
}

/** A plain client on the test engine's database, for checks behind the engine's back (close it with `end()`). */
export async function adminClient(t: TestEngine): Promise<pg.Client> {
  const admin = new pg.Client({ connectionString: t.databaseUrl });
  await admin.connect();
  return admin;
}

/** The oid of an imported table (`data.<table>`), or NaN when it is gone. */
export async function tableOid(client: pg.Client, table: string): Promise<number> {
  const { rows } = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::int8 AS oid', [
    `data.${pg.escapeIdentifier(table)}`,
  ]);
  return rows[0]?.oid === null || rows[0]?.oid === undefined ? Number.NaN : Number(rows[0].oid);
}
