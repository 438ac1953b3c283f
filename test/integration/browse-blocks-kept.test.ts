/**
 * The block table (rows per heap block, browse/blocks.ts) read by one process is kept in the
 * database, so the first sorted view of a new process answers its row ids from the snapshot
 * without scanning the table again, and they are PostgreSQL's own. The kept copy is not used once
 * rows were changed by hand, and it goes with the dataset.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetView } from '../../shared/contract/dataset';
import type { DatasetVersionInfo } from '../../shared/types';
import { parametersBinder, viewSql } from '../../electron/engine/browse';
import { SnapshotTops } from '../../electron/engine/browse/snapshot-top';
import { pendingImportFrames } from '../../electron/engine/analysis/import-frame';
import { mulberry32 } from '../../electron/engine/generate/random';
import { startTestEngine, type TestEngine, adminClient, tableOid } from '../support/pg';

const WANT = 500;
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

const q = (identifier: string) => pg.escapeIdentifier(identifier);

async function imported(name: string): Promise<{ info: DatasetVersionInfo; oid: number }> {
  const random = mulberry32(name.length);
  const lines = ['kind,n,note'];
  for (let i = 0; i < 5_000; i++)
    lines.push(`${['a', 'b', 'c', ''][Math.floor(random() * 4)]},${Math.floor(random() * 100)},"${'x'.repeat(Math.floor(random() * 60))}"`);
  const file = path.join(t.home, `${name}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  await t.client.run('dataset/import', { path: file, name });
  await Promise.all(pendingImportFrames(t.home));
  const info = await t.client.call('dataset/get', { dataset: name });
  return { info, oid: await tableOid(admin, info.table) };
}

const view = (info: DatasetVersionInfo) => {
  const [kind, n] = ['kind', 'n'].map((name) => info.columns.find((c) => c.name === name)!.identifier) as [string, string];
  return {
    sql: viewSql(
      info,
      datasetView.parse({ dataset: info.dataset, sort: [{ column: n, direction: 'desc' }], filters: [{ column: kind, op: 'notNull' }] }),
      parametersBinder([]),
    ),
    oracle: `SELECT ctid::text AS rid FROM data.${q(info.table)} WHERE ${q(kind)} IS NOT NULL ORDER BY ${q(n)} DESC, ctid LIMIT ${WANT}`,
  };
};

async function kept(oid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await admin.query<{ name: string | null }>(`SELECT to_regclass($1)::text AS name`, [`browse."m${oid}_blocks"`]);
    if (rows[0]?.name) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('the block table kept between processes', () => {
  it('serves a new process’s first view with PostgreSQL’s row ids, without the bound', async () => {
    const { info, oid } = await imported('kept');
    const { sql, oracle } = view(info);
    const first = new SnapshotTops(t.engine.ctx.db, t.home);
    expect(await first.top(info, oid, sql, WANT, 'wait')).toHaveProperty('rids');
    expect(await kept(oid)).toBe(true);
    // A new process (a new SnapshotTops): its first view does not wait for a scan.
    const next = new SnapshotTops(t.engine.ctx.db, t.home);
    const top = await next.top(info, oid, sql, WANT, 'ifReady');
    expect(next.lastReason).toBe('');
    expect(top && 'rids' in top ? top.rids : top).toEqual((await admin.query<{ rid: string }>(oracle)).rows.map((r) => r.rid));
    // Without a kept copy the same first view is the bound on PostgreSQL's top-N.
    await admin.query(`DROP TABLE browse."m${oid}_blocks"`);
    const bare = await new SnapshotTops(t.engine.ctx.db, t.home).top(info, oid, sql, WANT, 'ifReady');
    expect(bare).toHaveProperty('at');
  });

  it('is not used after rows were changed by hand, and goes with the dataset', async () => {
    const { info, oid } = await imported('changed');
    const { sql } = view(info);
    expect(await new SnapshotTops(t.engine.ctx.db, t.home).top(info, oid, sql, WANT, 'wait')).toHaveProperty('rids');
    expect(await kept(oid)).toBe(true);
    await admin.query(`DELETE FROM data.${q(info.table)} WHERE ctid = '(0,2)'`);
    await admin.query(`INSERT INTO data.${q(info.table)} SELECT * FROM data.${q(info.table)} LIMIT 1`);
    await admin.query('SELECT pg_stat_force_next_flush()');
    const tops = new SnapshotTops(t.engine.ctx.db, t.home);
    expect(await tops.top(info, oid, sql, WANT, 'ifReady')).not.toHaveProperty('rids');
    expect(await tops.top(info, oid, sql, WANT, 'wait')).toBeNull();
    expect(tops.lastReason).toMatch(/not in file order/);
    await t.client.call('dataset/delete', { dataset: 'changed' });
    const { rows } = await admin.query<{ name: string | null }>(`SELECT to_regclass($1)::text AS name`, [`browse."m${oid}_blocks"`]);
    expect(rows[0]?.name).toBeNull();
  });
});
