/**
 * Row maps: a view's order stored once, so any page of it costs two index lookups. OFFSET
 * 2,000,000 makes PostgreSQL walk two million rows whatever the index; keyset paging only helps
 * page-after-page scrolling, not a scrollbar dragged to the middle, which a virtual grid does all
 * the time. A map is an unlogged table (n → ctid, n the primary key) filled by one sort of the
 * view (`row_number() OVER (ORDER BY keys, ctid)`); a page is the n range, then a TID scan of the
 * table for those rows.
 *
 * Maps live in schema `browse`, are named from the view (shared by every engine on the database),
 * built under an advisory lock, committed whole, and dropped least-recently-used beyond a few per
 * process, or when their source table is gone.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';
import type { ViewSql } from './view-sql';

const SCHEMA = 'browse';
const KEEP_PER_PROCESS = 6;

export interface RowMap {
  name: string;
  rows: number;
}

export function rowMapName(viewKey: string): string {
  return `map_${createHash('sha256').update(viewKey).digest('hex').slice(0, 32)}`;
}

export class RowMaps {
  private readonly maps = new Map<string, Promise<RowMap>>();
  /** Built maps known to this process: name → rows. */
  private readonly built = new Map<string, number>();
  private cleaned: Promise<void> | null = null;

  constructor(private readonly db: Database) {}

  /** The map of a view, building it on first use. */
  async get(viewKey: string, sql: ViewSql, params: unknown[]): Promise<RowMap> {
    const name = rowMapName(viewKey);
    let map = this.maps.get(name);
    if (map) {
      this.maps.delete(name); // re-insert: most recently used last
      this.maps.set(name, map);
      return map;
    }
    map = this.build(name, sql, params).then(
      (built) => {
        this.built.set(name, built.rows);
        return built;
      },
      (err: unknown) => {
        this.maps.delete(name);
        throw err;
      },
    );
    this.maps.set(name, map);
    await this.evict();
    return map;
  }

  /** Whether the view's map is built and known to this process (a page can use it at once). */
  isReady(viewKey: string): boolean {
    return this.built.has(rowMapName(viewKey));
  }

  /** The row count of a built map (the view's count), if ready. */
  readyRows(viewKey: string): number | undefined {
    return this.built.get(rowMapName(viewKey));
  }

  /** Forgets a map that vanished (dropped by another process); the next get rebuilds it. */
  forget(name: string): void {
    this.maps.delete(name);
    this.built.delete(name);
  }

  private async build(name: string, sql: ViewSql, params: unknown[]): Promise<RowMap> {
    this.cleaned ??= this.dropOrphans().catch(() => undefined);
    await this.cleaned;
    const target = `${SCHEMA}.${quoteIdent(name)}`;
    return this.db.transaction(async (client: pg.PoolClient) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sparkpolar.browse.${name}`]);
      const existing = await client.query<{ comment: string | null }>(`SELECT obj_description(to_regclass($1), 'pg_class') AS comment`, [
        `${SCHEMA}.${name}`,
      ]);
      const known = existing.rows[0]?.comment ? (JSON.parse(existing.rows[0].comment) as { rows?: number }) : null;
      if (known && typeof known.rows === 'number') return { name, rows: known.rows };
      await client.query(`SET LOCAL work_mem = '256MB'`);
      await client.query(`CREATE UNLOGGED TABLE ${target} (n int4 NOT NULL, rid tid NOT NULL)`);
      const inserted = await client.query(
        `INSERT INTO ${target} SELECT (row_number() OVER (ORDER BY ${sql.orderBy}) - 1)::int4, ctid FROM ${sql.table} ${sql.where}`,
        params,
      );
      await client.query(`ALTER TABLE ${target} ADD PRIMARY KEY (n)`);
      const rows = inserted.rowCount ?? 0;
      await client.query(`COMMENT ON TABLE ${target} IS ${client.escapeLiteral(JSON.stringify({ source: sql.table, rows }))}`);
      return { name, rows };
    });
  }

  private async evict(): Promise<void> {
    while (this.maps.size > KEEP_PER_PROCESS) {
      const oldest = this.maps.keys().next().value as string;
      this.maps.delete(oldest);
      this.built.delete(oldest);
      await this.db.query(`DROP TABLE IF EXISTS ${SCHEMA}.${quoteIdent(oldest)}`).catch(() => undefined);
    }
  }

  /** Drops maps whose source table no longer exists (its dataset was deleted or re-imported). */
  private async dropOrphans(): Promise<void> {
    const { rows } = await this.db.query<{ name: string; comment: string | null }>(
      `SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'r'`,
      [SCHEMA],
    );
    for (const r of rows) {
      let source: string | undefined;
      try {
        source = (JSON.parse(r.comment ?? '{}') as { source?: string }).source;
      } catch {
        source = undefined;
      }
      const alive = source ? (await this.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [source])).rows[0]?.t : null;
      if (!alive) await this.db.query(`DROP TABLE IF EXISTS ${SCHEMA}.${quoteIdent(r.name)}`);
    }
  }
}
