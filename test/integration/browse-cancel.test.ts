/**
 * A page request the client cancels stops in PostgreSQL, answers CANCELLED, and the engine keeps
 * answering: on the real embedded PostgreSQL, through the real wire protocol.
 *
 * The page queries are held running by a lock the test takes on the dataset's table (another
 * session's ACCESS EXCLUSIVE lock, as a long write or a VACUUM FULL would hold), so the cancel
 * always lands on a statement that PostgreSQL is executing, whatever the machine's speed; a view
 * made slow by its size would finish first on a fast machine and never on a loaded one. Whether
 * the statement was really cancelled is read from PostgreSQL itself (`pg_stat_activity`).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelPair, type WireMessage } from '../../shared/rpc';
import type { DatasetVersionInfo } from '../../shared/types';
import { startTestEngine, type TestEngine, adminClient } from '../support/pg';

let t: TestEngine;
let admin: pg.Client;
let adminPid: number;
let monitor: pg.Client;
let info: DatasetVersionInfo;

beforeAll(async () => {
  t = await startTestEngine();
  // An integer, a double (no exact form in the snapshot: PostgreSQL's own top-N sorts it) and a
  // text of distinct values (plain text: a `contains` on it is PostgreSQL's scan).
  const file = path.join(t.home, 'readings.csv');
  const lines = ['id,amount,note'];
  for (let i = 0; i < 3_000; i++) lines.push(`${i},${((i * 7919) % 3001) / 7 + 0.25},note ${(i * 104729) % 100_003}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  await t.client.run('dataset/import', { path: file, name: 'readings' });
  info = await t.client.call('dataset/get', { dataset: 'readings' });
  admin = await adminClient(t);
  adminPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  monitor = await adminClient(t);
});

afterAll(async () => {
  await admin?.end();
  await monitor?.end();
  await t?.close();
});

const table = () => `data.${pg.escapeIdentifier(info.table)}`;

/** The engine's statements waiting for the test's lock on the table (the page queries, while they run). */
async function waitingForLock(): Promise<string[]> {
  // Read from outside the locking transaction: within one, pg_stat_activity is a snapshot taken once.
  const { rows } = await monitor.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity
      WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND wait_event_type = 'Lock' AND state = 'active'`,
    [adminPid],
  );
  return rows.map((r) => r.query);
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Holds an ACCESS EXCLUSIVE lock on the table for the duration of `fn`. */
async function withTableLocked(fn: () => Promise<void>): Promise<void> {
  await admin.query('BEGIN');
  try {
    await admin.query(`LOCK TABLE ${table()} IN ACCESS EXCLUSIVE MODE`);
    await fn();
  } finally {
    await admin.query('ROLLBACK');
  }
}

describe('cancelling dataset/page', () => {
  it('the grid’s abort cancels a sorted first page in PostgreSQL; the engine answers the next requests', async () => {
    const view = { dataset: 'readings', sort: [{ column: 'amount', direction: 'desc' as const }], filters: [] };
    await withTableLocked(async () => {
      const controller = new AbortController();
      const page = t.client.call('dataset/page', { ...view, offset: 0, limit: 50, total: 'later' }, { signal: controller.signal });
      page.catch(() => undefined);
      const topN = (q: string[]) => q.filter((text) => /ORDER BY "amount" DESC, ctid LIMIT/.test(text));
      expect(topN(await until(waitingForLock, (q) => topN(q).length > 0))).toHaveLength(1);
      controller.abort();
      await expect(page).rejects.toMatchObject({ code: 'CANCELLED' });
      // PostgreSQL no longer runs it, although the lock is still held.
      expect(topN(await until(waitingForLock, (q) => topN(q).length === 0))).toEqual([]);
      expect(await t.client.call('system/ping', {})).toMatchObject({ pong: true });
    });
    // The same view, asked again with nothing in the way, is answered in full.
    const again = await t.client.call('dataset/page', { ...view, offset: 0, limit: 50, total: 'wait' });
    expect(again.rows).toHaveLength(50);
    expect(again.totalRows).toBe(info.rows);
  });

  it('answers a cancelled scan CANCELLED on the wire and stops it; a cancel for an answered id is ignored', async () => {
    const [engineSide, clientSide] = channelPair();
    const detach = t.engine.attach(engineSide);
    const received: WireMessage[] = [];
    clientSide.onMessage((m) => received.push(m));
    try {
      await withTableLocked(async () => {
        clientSide.send({
          kind: 'request',
          id: 1,
          method: 'dataset/page',
          params: { dataset: 'readings', filters: [{ column: 'note', op: 'contains', value: 'no such value anywhere' }], limit: 20 },
        });
        // The page's scan; its count, kept for the view's next requests, waits too and is not cancelled.
        const scan = (q: string[]) => q.filter((text) => /strpos.*OFFSET/s.test(text));
        expect(scan(await until(waitingForLock, (q) => scan(q).length > 0))).toHaveLength(1);
        clientSide.send({ kind: 'cancel', id: 1 });
        await until(
          async () => received.length,
          (n) => n > 0,
        );
        expect(received).toEqual([{ kind: 'error', id: 1, error: expect.objectContaining({ code: 'CANCELLED' }) }]);
        expect(scan(await until(waitingForLock, (q) => scan(q).length === 0))).toEqual([]);
      });
      clientSide.send({ kind: 'request', id: 2, method: 'dataset/page', params: { dataset: 'readings', limit: 20 } });
      await until(
        async () => received.length,
        (n) => n > 1,
      );
      clientSide.send({ kind: 'cancel', id: 2 }); // answered already: nothing happens
      clientSide.send({ kind: 'request', id: 3, method: 'system/ping', params: {} });
      await until(
        async () => received.length,
        (n) => n > 2,
      );
      expect(received.slice(1).map((m) => [m.kind, (m as { id: number }).id])).toEqual([
        ['reply', 2],
        ['reply', 3],
      ]);
      expect((received[1] as { data: { rows: unknown[] } }).data.rows).toHaveLength(20);
    } finally {
      detach();
    }
  });
});
