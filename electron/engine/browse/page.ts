/**
 * `dataset/page`: one page of a sorted and filtered view of any dataset version.
 *
 * Order: the sort keys, ties broken by ctid (file order: imported tables never change), so the
 * order is total and the same on every request. Unsorted views are in file order.
 *
 * - Sorted views are served from the view's row map (row-maps.ts), built in the background after
 *   the view's count: one sort of the view, then any page anywhere is two index lookups. Until the
 *   map is ready, pages near the top are answered directly from the row ids of the view's first
 *   rows (n at least five pages, in the map's order), kept for the next pages, then a TID scan for
 *   the rows; deep pages wait for the map. Those first row ids come, fastest first, from a walk
 *   of a broader view's map (refine.ts); from the version's columnar snapshot (snapshot-top.ts:
 *   Polars-free passes over the view's columns, positions turned into ctids by the table's rows
 *   per block, each row read checked against the snapshot; while the block table is still being
 *   read, the snapshot's n-th row bounds PostgreSQL's own top-N, threshold.ts); else from a
 *   top-N over every row (`SELECT ctid … ORDER BY keys, ctid LIMIT n`).
 * - Filtered unsorted views near the top take their first rows' ids from the snapshot too, when
 *   it applies; otherwise a scan in file order until the page is full.
 * - A view that adds filters to a sorted view whose map is built (same sort) is not sorted again:
 *   its first rows are walked from that map in order (refine.ts), in milliseconds.
 * - Unsorted views near the top (offset + limit ≤ DIRECT_WINDOW) are read in physical order with
 *   no sort at all; deeper pages use the row map too.
 * - The row count is computed once per view and cached, so scrolling never recounts; an
 *   unfiltered view takes it from the catalog, a view with a map from the map. Asked with
 *   `total: 'later'` (the grid's first page), the rows do not wait for it: the count starts after
 *   the answer and the grid asks for it with a second request.
 * - Why not an index per sorted column (measured at 3.3 M rows, load ≈ 10 on 2 cores): building
 *   one takes 6–7 s per column, ×19 columns against an import of ≈ 10 s; and with a ctid
 *   tie-break a first page still sorts the whole first group of equal keys (the 308,688 nulls
 *   that come first in a descending sort of Vehicle Year: 390–440 ms). A backward index walk does
 *   not return equal keys in reverse ctid order either (checked on PostgreSQL 18).
 * - The first page never waits for ANALYZE (a top-N scan has one plan whatever the statistics);
 *   the map build, whose sort does, analyses first.
 * - A request the client cancels (`signal`: the grid scrolled past the page, or the view changed)
 *   stops at once: its own statements are cancelled in PostgreSQL, a view's first row ids are
 *   stopped once no request waits for them, and the count and the row map, kept for the next
 *   requests, go on without it (./cancel.ts).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { datasetView, type DatasetPage, type DatasetView } from '../../../shared/contract/dataset';
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Catalog } from '../catalog/catalog';
import { pgError, type Database } from '../db/database';
import { cancellableQuery, SharedWork, unlessAborted, withCancellableClient } from './cancel';
import { rowMapName, RowMaps, type MapSource, type RowMap } from './row-maps';
import { MapLineage, walkBroaderMap } from './refine';
import { SnapshotTops, type RowCheck } from './snapshot-top';
import { atOrBefore } from './threshold';
import { TableStats } from './stats';
import { jsonSafeTypes, type Cell } from './values';
import { parametersBinder, selectList, viewSql, type ValidView, type ViewSql } from './view-sql';

export const DIRECT_WINDOW = 10_000;
/** Session settings under which a query without ORDER BY returns rows in physical (file) order. */
export const FILE_ORDER_SETTINGS =
  'SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off';
const COUNT_CACHE_SIZE = 500;
/** Row ids a first page of a sorted view reads ahead (5 pages of the grid), and how many views keep them. */
const TOP_ROWS = 1_000;
const TOP_CACHE_SIZE = 20;

interface TopRows {
  rids: string[];
  /** Fewer than asked: these are all the view's rows. */
  complete: boolean;
  /** Computed from the snapshot: what the rows read by these ids must hold. */
  check?: RowCheck;
}

/**
 * Stable identity of a view of one version's table (the cache key of counts and row maps). The
 * import time is part of it: a dataset deleted and imported again reuses its table name.
 */
export function viewKey(info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>, view: Pick<ValidView, 'sort' | 'filters'>): string {
  return createHash('sha256')
    .update(JSON.stringify([info.table, info.importedAt, view.sort, view.filters]))
    .digest('hex');
}

/** Row ids that are not (or no longer) rows of the table: a map emptied by a crash, or stale. */
class StaleRowMap extends Error {}

/** Rows read by ids computed from the snapshot are not the rows the snapshot has there. */
class SnapshotMismatch extends StaleRowMap {}

/** PostgreSQL's "invalid input" errors on filter values are the caller's to fix. */
function requestError(err: unknown): never {
  const sqlstate = (err as { details?: { sqlstate?: string } }).details?.sqlstate;
  if (sqlstate?.startsWith('22'))
    throw new StudioError('INVALID_REQUEST', `A filter value does not fit its column: ${(err as Error).message}`, { sqlstate });
  throw err;
}

export class Browser {
  readonly stats: TableStats;
  readonly maps: RowMaps;
  private readonly counts = new Map<string, Promise<number>>();
  /** The settled values of `counts` (same keys). */
  private readonly finished = new Map<string, number>();
  /** Row ids of the first rows of sorted views (`topRows`), most recently used last. */
  private readonly tops = new Map<string, SharedWork<TopRows | null>>();
  /** Which view each built map holds, so a refined view's first rows can be walked from it. */
  private readonly lineage = new MapLineage();

  /** First rows of new views from the versions' columnar snapshots (with a data folder). */
  readonly snapshots: SnapshotTops | null;

  constructor(
    private readonly db: Database,
    private readonly catalog: Catalog,
    home?: string,
  ) {
    this.stats = new TableStats(db);
    this.maps = new RowMaps(db);
    this.snapshots = home === undefined ? null : new SnapshotTops(db, home);
  }

  /**
   * A page of the view. With `total: 'later'` the rows do not wait for the view's count: a count
   * not known yet is computed after the answer (it would compete with this page for the CPU), and
   * the answer says so (`totalPending`, `totalRows` then the rows known so far). Aborting `signal`
   * ends the request with CANCELLED and stops its queries.
   */
  async page(view: ValidView & { total?: 'wait' | 'later' }, offset: number, limit: number, signal?: AbortSignal): Promise<DatasetPage> {
    const info = await this.catalog.get(view.dataset, view.version);
    const params: unknown[] = [];
    const sql = viewSql(info, view, parametersBinder(params));
    const key = viewKey(info, view);
    const source = { oid: await this.stats.oid(info), importedAt: info.importedAt };
    throwIfCancelled(signal, 'Request cancelled.');
    const mapName = rowMapName(source.oid, key);
    const known = this.knownCount(key, info, sql, mapName);
    const later = view.total === 'later' && known === undefined;
    const total = later ? null : this.count(key, info, sql, params, mapName);
    let rows: Cell[][];
    try {
      const useMap = this.maps.isReady(mapName) || offset + limit > DIRECT_WINDOW;
      rows = useMap
        ? await this.fromMap(mapName, source, info, sql, params, offset, limit, signal)
        : await this.direct(mapName, source.oid, info, sql, params, offset, limit, signal);
    } catch (err) {
      total?.catch(() => undefined);
      requestError(err);
    }
    // The block table for the next sorted or filtered views of this version: one scan, started after
    // the answer of such a view (the first one takes the bound path), never while one is computed.
    if (view.sort.length || view.filters.length) this.snapshots?.warm(info, source.oid);
    const counted = total ?? this.count(key, info, sql, params, mapName);
    // After the answer, not before: the count and the map build would compete with this page for
    // the CPU. The map is built once the count is known (the grid scrolls no deeper before); the
    // build starts (or joins) in the background, and a failure is retried by the next request.
    if (view.sort.length && !this.maps.isReady(mapName))
      counted.then(() => this.mapFor(mapName, source, info, sql, params)).catch(() => undefined);
    const page = { dataset: info.dataset, version: info.version, columns: info.columns, offset, rows };
    if (!total) {
      counted.catch(() => undefined); // its failure reaches the request that waits for it
      const now = this.knownCount(key, info, sql, mapName); // a deep page may have waited for the map
      if (now !== undefined) return { ...page, totalRows: now };
      // A short page ends the view: its end is the count.
      if (rows.length < limit && (rows.length > 0 || offset === 0)) return { ...page, totalRows: offset + rows.length };
      return { ...page, totalRows: offset + rows.length, totalPending: true };
    }
    return { ...page, totalRows: await unlessAborted(total, signal).catch(requestError) };
  }

  /**
   * Everything a view's pages use, ready: statistics, its row map (sorted views), its count.
   * The benchmark calls it to time pages of a prepared view apart from the view's first request.
   */
  async prepare(view: DatasetView): Promise<{ totalRows: number }> {
    const valid = datasetView.parse(view);
    const info = await this.catalog.get(valid.dataset, valid.version);
    const params: unknown[] = [];
    const sql = viewSql(info, valid, parametersBinder(params));
    const key = viewKey(info, valid);
    const oid = await this.stats.oid(info);
    const mapName = rowMapName(oid, key);
    if (valid.sort.length) await this.mapFor(mapName, { oid, importedAt: info.importedAt }, info, sql, params);
    return { totalRows: await this.count(key, info, sql, params, mapName) };
  }

  /** The view's map, built on first use once the table has statistics (the sort's plan needs them). */
  private async mapFor(name: string, source: MapSource, info: DatasetVersionInfo, sql: ViewSql, params: unknown[]): Promise<RowMap> {
    if (this.maps.isReady(name)) return this.maps.get(name, source, sql, params);
    await this.stats.analyzed(info);
    const map = await this.maps.get(name, source, sql, params);
    this.lineage.prune((n) => this.maps.isReady(n));
    this.lineage.record(name, info, sql, map.rows);
    return map;
  }

  /** The view's count if known without a query (no filter, a ready map, a finished count). */
  private knownCount(key: string, info: DatasetVersionInfo, sql: ViewSql, mapName: string): number | undefined {
    if (!sql.where) return info.rows;
    return this.maps.readyRows(mapName) ?? this.finished.get(key);
  }

  /** The view's row count, cached (`key` from `viewKey`; a ready row map of the view answers it too). */
  count(key: string, info: DatasetVersionInfo, sql: ViewSql, params: unknown[], mapName?: string): Promise<number> {
    if (!sql.where) return Promise.resolve(info.rows);
    const mapped = mapName === undefined ? undefined : this.maps.readyRows(mapName);
    if (mapped !== undefined) return Promise.resolve(mapped);
    let count = this.counts.get(key);
    if (count) {
      this.counts.delete(key);
      this.counts.set(key, count);
      return count;
    }
    count = this.db
      .query<{ n: number }>(`SELECT count(*) AS n FROM ${sql.table} ${sql.where}`, [...params])
      .then((r) => Number(r.rows[0]!.n));
    count.then(
      (n) => {
        if (this.counts.has(key)) this.finished.set(key, n);
      },
      () => this.counts.delete(key),
    );
    this.counts.set(key, count);
    if (this.counts.size > COUNT_CACHE_SIZE) {
      const oldest = this.counts.keys().next().value as string;
      this.counts.delete(oldest);
      this.finished.delete(oldest);
    }
    return count;
  }

  private async direct(
    mapName: string,
    oid: number,
    info: DatasetVersionInfo,
    sql: ViewSql,
    params: unknown[],
    offset: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Cell[][]> {
    // A filtered unsorted view's first rows from the snapshot too: a selective filter would
    // otherwise scan the table until the page fills.
    const fromSnapshot = !sql.sort.length && sql.where !== '' && this.snapshots !== null;
    if (sql.sort.length || fromSnapshot) {
      const top = await this.topRows(mapName, oid, info, sql, params, offset + limit, true, signal);
      try {
        if (top) return await this.rowsById(sql, top.rids.slice(offset, offset + limit), sliceCheck(top.check, offset, limit), signal);
      } catch (err) {
        if (!(err instanceof StaleRowMap)) throw err;
        if (err instanceof SnapshotMismatch) this.snapshots?.distrust(info, oid);
        this.tops.delete(mapName); // ids read from another table of the same OID: read them again
        const again = await this.topRows(mapName, oid, info, sql, params, offset + limit, false, signal);
        if (again) return this.rowsById(sql, again.rids.slice(offset, offset + limit), undefined, signal);
      }
    }
    const n = params.length;
    const select = `SELECT ${selectList(sql.columns)} FROM ${sql.table} ${sql.where}`;
    // Unsorted: physical (file) order without sorting. Only scans that return rows in physical
    // order are allowed (sequential, bitmap), and without synchronised or parallel scans.
    return withCancellableClient(this.db, signal, async (client: pg.PoolClient) => {
      await client.query('BEGIN READ ONLY');
      try {
        await client.query(FILE_ORDER_SETTINGS);
        throwIfCancelled(signal, 'Request cancelled.');
        const result = await client.query({
          text: `${select} OFFSET $${n + 1} LIMIT $${n + 2}`,
          values: [...params, offset, limit],
          rowMode: 'array',
          types: jsonSafeTypes,
        });
        return result.rows as Cell[][];
      } catch (err) {
        throw pgError(err);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  /**
   * The row ids of at least the first `rows` rows of a sorted view, in its order (`ORDER BY keys,
   * ctid LIMIT …`: the map's order). Walked from the map of a broader view (same sort, fewer
   * filters) when there is one (refine.ts); otherwise only the ids and sort keys go through
   * PostgreSQL's top-N sort, not whole rows: half the CPU of sorting the rows themselves. A few
   * pages more than asked are kept, so the next pages near the top cost nothing more while the
   * view's map is being built.
   */
  private async topRows(
    mapName: string,
    oid: number,
    info: DatasetVersionInfo,
    sql: ViewSql,
    params: unknown[],
    rows: number,
    walk = true,
    signal?: AbortSignal,
  ): Promise<TopRows | null> {
    const cached = this.tops.get(mapName);
    if (cached) {
      // Stopped because every request that waited for it gave up, or failed: computed again below.
      const top = await cached.join(signal).catch(() => {
        throwIfCancelled(signal, 'Request cancelled.');
        return undefined;
      });
      if (top && (top.complete || top.rids.length >= rows)) {
        this.tops.delete(mapName); // most recently used last
        this.tops.set(mapName, cached);
        return top;
      }
      if (this.tops.get(mapName) === cached) this.tops.delete(mapName);
    }
    const want = Math.min(DIRECT_WINDOW, Math.max(rows, TOP_ROWS));
    const broader = walk ? this.lineage.broader(info, sql, (name) => this.maps.isReady(name)) : null;
    // Shared by the requests for this view's first pages: stopped when all of them have given up.
    const work = new SharedWork(async (stop): Promise<TopRows | null> => {
      // A broader view's map is walked in milliseconds; the snapshot takes tens; the top-N, seconds.
      const walked = broader && (await walkBroaderMap(this.db, broader, sql, params, want).catch(() => null));
      if (walked) return walked;
      const fast = walk && this.snapshots ? await this.snapshots.top(info, oid, sql, want) : null;
      if (fast && 'rids' in fast) return fast;
      if (!sql.sort.length) return null; // unsorted: the caller's scan in file order
      const topN = async (bound: string, values: unknown[]) =>
        (
          await cancellableQuery<{ rid: string }>(this.db, stop, {
            text: `SELECT ctid::text AS rid FROM ${sql.table} ${bound} ORDER BY ${sql.orderBy} LIMIT $${values.length + 1}`,
            values: [...values, want],
          })
        ).rows.map((r) => r.rid);
      if (fast) {
        // Bounded by the snapshot's `want`-th row: exact when it returns `want` rows (threshold.ts).
        const values = [...params];
        const bound = atOrBefore(sql.sort, sql.columns, fast.at, parametersBinder(values), fast.beforeBlock);
        const found = await topN(sql.where ? `${sql.where} AND ${bound}` : `WHERE ${bound}`, values);
        if (found.length === want) return { rids: found, complete: false };
      }
      const found = await topN(sql.where, params);
      return { rids: found, complete: found.length < want };
    });
    work.promise.then(
      (top) => {
        if (!top && this.tops.get(mapName) === work) this.tops.delete(mapName);
      },
      () => {
        if (this.tops.get(mapName) === work) this.tops.delete(mapName);
      },
    );
    this.tops.set(mapName, work);
    if (this.tops.size > TOP_CACHE_SIZE) this.tops.delete(this.tops.keys().next().value as string);
    return work.join(signal);
  }

  /**
   * The rows of these row ids, in this order (a TID scan). A row id that is not a row fails the
   * read, and so does a row whose values differ from `check` (ids computed from the snapshot).
   */
  private async rowsById(sql: ViewSql, wanted: string[], check?: RowCheck, signal?: AbortSignal): Promise<Cell[][]> {
    if (!wanted.length) return [];
    const rows = await queryRows(
      this.db,
      `SELECT ctid::text, ${selectList(sql.columns)} FROM ${sql.table} WHERE ctid = ANY($1::tid[])`,
      [wanted],
      signal,
    );
    const byRid = new Map<string, Cell[]>();
    for (const row of rows) byRid.set(row[0] as string, row.slice(1));
    if (check && byRid.size !== wanted.length) throw new SnapshotMismatch();
    return wanted.map((rid, i) => {
      const row = byRid.get(rid);
      if (!row) throw check ? new SnapshotMismatch() : new StaleRowMap();
      if (check && check.columns.some((c, k) => row[c] !== check.cells[i]![k])) throw new SnapshotMismatch();
      return row;
    });
  }

  /**
   * A page through the view's map. The map is checked on every read at no extra cost: the n range
   * must give exactly the rows the map promised, and every row id must still be a row of the
   * table. A map that fails (emptied by an unclean PostgreSQL stop, dropped by another engine) is
   * dropped and rebuilt once.
   */
  private async fromMap(
    name: string,
    source: MapSource,
    info: DatasetVersionInfo,
    sql: ViewSql,
    params: unknown[],
    offset: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Cell[][]> {
    for (let attempt = 0; ; attempt++) {
      // The map is built for the next requests too: a cancelled request only stops waiting for it.
      const map = await unlessAborted(this.mapFor(name, source, info, sql, params), signal);
      if (offset >= map.rows) return [];
      try {
        const rids = await cancellableQuery<{ rid: string }>(this.db, signal, {
          text: `SELECT rid::text AS rid FROM browse.${quoteMapName(map.name)} WHERE n >= $1 AND n < $2 ORDER BY n`,
          values: [offset, offset + limit],
        });
        const wanted = rids.rows.map((r) => r.rid);
        if (wanted.length !== Math.min(limit, map.rows - offset)) throw new StaleRowMap();
        return await this.rowsById(sql, wanted, undefined, signal);
      } catch (err) {
        const vanished = (err as { details?: { sqlstate?: string } }).details?.sqlstate === '42P01';
        if (!(vanished || err instanceof StaleRowMap)) throw err;
        if (attempt > 0)
          throw new StudioError('PG_ERROR', `The sorted view of ${sql.table} could not be rebuilt consistently; try again.`, { map: name });
        if (vanished) this.maps.forget(map.name);
        else await this.maps.discard(map.name);
      }
    }
  }
}

/** Rows as arrays of JSON-safe cells (arrays: no clash between column names); `signal` cancels the query. */
export async function queryRows(db: Database, text: string, values: unknown[], signal?: AbortSignal): Promise<Cell[][]> {
  if (signal)
    return withCancellableClient(db, signal, async (client) => {
      try {
        return (await client.query({ text, values, rowMode: 'array', types: jsonSafeTypes })).rows as Cell[][];
      } catch (err) {
        throw pgError(err);
      }
    });
  const pool = await db.pool();
  try {
    const result = await pool.query({ text, values, rowMode: 'array', types: jsonSafeTypes });
    return result.rows as Cell[][];
  } catch (err) {
    throw pgError(err);
  }
}

function sliceCheck(check: RowCheck | undefined, offset: number, limit: number): RowCheck | undefined {
  return check && { columns: check.columns, cells: check.cells.slice(offset, offset + limit) };
}

function quoteMapName(name: string): string {
  return `"${name}"`; // generated: map_ + hex digits
}
