/**
 * Row maps: a view's order stored once, so any page of it costs two index lookups. OFFSET
 * 2,000,000 makes PostgreSQL walk two million rows whatever the index; keyset paging only helps
 * page-after-page scrolling, not a scrollbar dragged to the middle, which a virtual grid does all
 * the time. A map is an unlogged table (n → ctid, n the primary key) filled by one sort of the
 * view (`row_number() OVER (ORDER BY keys, ctid)`); a page is the n range, then a TID scan of the
 * table for those rows.
 *
 * A map belongs to one table, not to a name: a deleted dataset imported again reuses its table
 * name, and its old ctids would point at other rows. So a map is named from its table's OID
 * (`m<oid>_<view hash>`, the view hash covering the version's import time), dropped with its table
 * (`dropRowMaps`, called by the catalog's delete in the same transaction) and, on a process's
 * first build, swept when its table is gone. Maps are unlogged (a cache: no WAL for a sort that
 * can be redone), so after an unclean PostgreSQL stop they come back empty: a map is trusted only
 * when its highest n says it holds every row, and a page that finds fewer rows than the map
 * promised drops it (see `Browser.fromMap`).
 *
 * Maps live in schema `browse`, are shared by every engine on the database, built under an
 * advisory lock, committed whole, and dropped least-recently-used beyond a few per process.
 */
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

/** What a map was built from, in its COMMENT. */
interface MapComment {
  oid: number;
  importedAt: string;
  rows: number;
}

/** The table a map belongs to: its OID, and its version's import time. */
export interface MapSource {
  oid: number;
  importedAt: string;
}

/** `m<table oid>_<view key>`: the OID prefix lets a table's maps be found and dropped with it. */
export function rowMapName(oid: number, viewKey: string): string {
  return `m${oid}_${viewKey.slice(0, 40)}`;
}

function qualified(name: string): string {
  return `${SCHEMA}.${quoteIdent(name)}`;
}

/** Drops every map of these tables (by OID); run inside the transaction that drops the tables. */
export async function dropRowMaps(client: pg.PoolClient, oids: number[]): Promise<void> {
  if (!oids.length) return;
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname = $1 AND c.relkind = 'r' AND substring(c.relname from '^m([0-9]+)_')::oid = ANY($2::oid[])`,
    [SCHEMA, oids],
  );
  for (const r of rows) await client.query(`DROP TABLE IF EXISTS ${qualified(r.name)}`);
}

export class RowMaps {
  private readonly maps = new Map<string, Promise<RowMap>>();
  /** Built maps known to this process: name → rows. */
  private readonly built = new Map<string, number>();
  private cleaned: Promise<void> | null = null;

  constructor(private readonly db: Database) {}

  /** The map of a view, building it on first use. */
  async get(name: string, source: MapSource, sql: ViewSql, params: unknown[]): Promise<RowMap> {
    let map = this.maps.get(name);
    if (map) {
      this.maps.delete(name); // re-insert: most recently used last
      this.maps.set(name, map);
      return map;
    }
    map = this.build(name, source, sql, params).then(
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

  /** Whether the map is built and known to this process (a page can use it at once). */
  isReady(name: string): boolean {
    return this.built.has(name);
  }

  /** The row count of a built map (the view's count), if ready. */
  readyRows(name: string): number | undefined {
    return this.built.get(name);
  }

  /** Forgets a map that vanished (dropped by another process); the next get rebuilds it. */
  forget(name: string): void {
    this.maps.delete(name);
    this.built.delete(name);
  }

  /** Forgets and drops a map found not to hold what it promised; the next get rebuilds it. */
  async discard(name: string): Promise<void> {
    this.forget(name);
    await this.db.query(`DROP TABLE IF EXISTS ${qualified(name)}`);
  }

  private async build(name: string, source: MapSource, sql: ViewSql, params: unknown[]): Promise<RowMap> {
    this.cleaned ??= this.dropOrphans().catch(() => undefined);
    await this.cleaned;
    const target = qualified(name);
    return this.db.transaction(async (client: pg.PoolClient) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sparkpolar.browse.${name}`]);
      const existing = await client.query<{ comment: string | null; present: boolean }>(
        `SELECT to_regclass($1) IS NOT NULL AS present, obj_description(to_regclass($1), 'pg_class') AS comment`,
        [target],
      );
      if (existing.rows[0]?.present) {
        const known = parseComment(existing.rows[0].comment);
        if (known && known.oid === source.oid && known.importedAt === source.importedAt && (await holdsRows(client, target, known.rows)))
          return { name, rows: known.rows };
        await client.query(`DROP TABLE ${target}`); // emptied by a crash, or not this table's
      }
      await client.query(`SET LOCAL work_mem = '256MB'`);
      await client.query(`CREATE UNLOGGED TABLE ${target} (n int4 NOT NULL, rid tid NOT NULL)`);
      const inserted = await client.query(
        `INSERT INTO ${target} SELECT (row_number() OVER (ORDER BY ${sql.orderBy}) - 1)::int4, ctid FROM ${sql.table} ${sql.where}`,
        params,
      );
      await client.query(`ALTER TABLE ${target} ADD PRIMARY KEY (n)`);
      const comment: MapComment = { oid: source.oid, importedAt: source.importedAt, rows: inserted.rowCount ?? 0 };
      await client.query(`COMMENT ON TABLE ${target} IS ${client.escapeLiteral(JSON.stringify(comment))}`);
      return { name, rows: comment.rows };
    });
  }

  private async evict(): Promise<void> {
    while (this.maps.size > KEEP_PER_PROCESS) {
      const oldest = this.maps.keys().next().value as string;
      this.forget(oldest);
      await this.db.query(`DROP TABLE IF EXISTS ${qualified(oldest)}`).catch(() => undefined);
    }
  }

  /** Drops maps whose table is gone (dropped outside the catalog's delete) or of an older naming. */
  private async dropOrphans(): Promise<void> {
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE s.nspname = $1 AND c.relkind = 'r' AND NOT EXISTS (
         SELECT 1 FROM pg_class t JOIN pg_namespace ts ON ts.oid = t.relnamespace
         WHERE ts.nspname = 'data' AND c.relname ~ '^m[0-9]+_' AND t.oid = substring(c.relname from '^m([0-9]+)_')::oid)`,
      [SCHEMA],
    );
    for (const r of rows) await this.db.query(`DROP TABLE IF EXISTS ${qualified(r.name)}`);
  }
}

function parseComment(comment: string | null): MapComment | null {
  try {
    const c = JSON.parse(comment ?? '') as Partial<MapComment>;
    return typeof c.oid === 'number' && typeof c.importedAt === 'string' && typeof c.rows === 'number' ? (c as MapComment) : null;
  } catch {
    return null;
  }
}

/** Whether a map holds all its rows: n is dense from 0, so its highest n tells (one index probe). */
async function holdsRows(client: pg.PoolClient, target: string, rows: number): Promise<boolean> {
  const { rows: r } = await client.query<{ n: number }>(`SELECT coalesce(max(n) + 1, 0) AS n FROM ${target}`);
  return Number(r[0]?.n) === rows;
}
