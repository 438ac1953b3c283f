/**
 * Versioned migrations of the app's own tables (schema `studio`); imported data lives in schema
 * `data`. Each migration runs once, in order, inside a transaction, under an advisory lock so two
 * processes sharing a server do not race.
 */
import type pg from 'pg';
import type { Logger } from '../log';
import { migrations } from './migrations';

const LOCK_KEY = 0x5350_4c52; // "SPLR"

export async function migrate(pool: pg.Pool, log: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query('CREATE SCHEMA IF NOT EXISTS studio');
    await client.query(
      'CREATE TABLE IF NOT EXISTS studio.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM studio.schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO studio.schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
        log.info('migration applied', { version: m.version, name: m.name });
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
