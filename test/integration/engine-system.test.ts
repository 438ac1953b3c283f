import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { startTestEngine, type TestEngine } from '../support/pg';

describe('engine over the wire protocol', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => t.close());

  it('reports the real PostgreSQL server version and the Polars version', async () => {
    const info = await t.client.call('system/info', {});
    expect(info.database.mode).toBe('external');
    expect(info.database.serverVersion).toMatch(/^PostgreSQL 1[5-9]/);
    expect(info.polars).toBe('0.25.2');
    expect(info.host).toBe('test');
  });

  it('applies migrations once, creating the catalog tables', async () => {
    const { rows } = await t.engine.ctx.db.query<{ version: number }>('SELECT version FROM studio.schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(expect.arrayContaining([1, 100, 150, 200, 300, 400]));
    const browse = await t.engine.ctx.db.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'browse'");
    expect(browse.rows[0]?.n).toBe(1);
    const tables = await t.engine.ctx.db.query("SELECT to_regclass('studio.dataset_versions') AS t");
    expect(tables.rows[0]?.t).toBe('studio.dataset_versions');
  });

  it('survives a connection lost between two statements of a checked-out client, and keeps serving', async () => {
    const db = t.engine.ctx.db;
    const next = await db.withClient(async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Waits on 'end', not 'error': a listener of the test's own on 'error' would hide the crash.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended;
      return client.query('SELECT 1').then(
        () => null,
        (err: unknown) => err,
      );
    });
    expect(next).toBeInstanceOf(Error);
    const { rows } = await db.query<{ n: number }>('SELECT 1 AS n');
    expect(rows[0]?.n).toBe(1);
  });

  it('rejects an invalid request with INVALID_REQUEST and an unknown method with UNKNOWN_METHOD', async () => {
    await expect(t.client.call('job/cancel', { jobId: '' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const err = await (t.client.call as (m: string, p: unknown) => Promise<unknown>)('nope/nothing', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('UNKNOWN_METHOD');
  });
});
