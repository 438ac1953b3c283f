/**
 * A filter added to a sorted view needs no new sort. The order (keys, ctid) does not depend on the
 * filters, so the rows of the refined view, in order, are the rows of the broader view's row map
 * that pass the added filters, in the map's order. A first page is then a walk of that map from
 * its start (index order on n, one TID lookup per row), stopping at the rows wanted: milliseconds,
 * where a new top-N scans the whole table.
 *
 * The walk is bounded (WALK_ROWS map rows): a filter too selective to fill the rows wanted within
 * it is answered by the scan instead. A walk that covered the whole map has every row of the view.
 */
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';
import type { ViewSql } from './view-sql';

const WALK_ROWS = 100_000;

/** A built map, as a possible broader view of later views. */
interface Lineage {
  version: string;
  sort: string;
  filters: Set<string>;
  rows: number;
}

export interface Refined {
  rids: string[];
  /** Every row of the view (the walk covered the whole broader map). */
  complete: boolean;
}

const versionOf = (info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>) => `${info.table}\u0000${info.importedAt}`;

/** The views of this process's built maps, to find a broader view of a new one. */
export class MapLineage {
  private readonly views = new Map<string, Lineage>();

  /** Notes that map `name` holds view `sql` of this version, with `rows` rows. */
  record(name: string, info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>, sql: ViewSql, rows: number): void {
    this.views.set(name, {
      version: versionOf(info),
      sort: JSON.stringify(sql.sort),
      filters: new Set(sql.filters.map((f) => JSON.stringify(f))),
      rows,
    });
  }

  /** Keeps only the maps still built (evicted or dropped ones can never serve a walk). */
  prune(ready: (name: string) => boolean): void {
    for (const name of this.views.keys()) if (!ready(name)) this.views.delete(name);
  }

  /** A built map of the same version and sort whose filters are a strict subset of the view's: the narrowest. */
  broader(
    info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>,
    sql: ViewSql,
    ready: (name: string) => boolean,
  ): { name: string; rows: number } | null {
    if (!sql.sort.length || !sql.filters.length) return null;
    const version = versionOf(info);
    const sort = JSON.stringify(sql.sort);
    const filters = new Set(sql.filters.map((f) => JSON.stringify(f)));
    let best: { name: string; rows: number; filters: number } | null = null;
    for (const [name, view] of this.views) {
      if (view.version !== version || view.sort !== sort || view.filters.size >= filters.size) continue;
      if (![...view.filters].every((f) => filters.has(f)) || !ready(name)) continue;
      if (!best || view.filters.size > best.filters) best = { name, rows: view.rows, filters: view.filters.size };
    }
    return best && { name: best.name, rows: best.rows };
  }
}

/**
 * The first `want` row ids of the view, walked from a broader view's map; null when the walk's
 * bound ends before them, or the map does not hold what it promised (the caller scans instead).
 */
export async function walkBroaderMap(
  db: Database,
  map: { name: string; rows: number },
  sql: ViewSql,
  params: unknown[],
  want: number,
): Promise<Refined | null> {
  const table = `browse.${quoteIdent(map.name)}`;
  // n is dense from 0: its highest value says whether the map still holds every row (an unclean stop empties unlogged tables).
  const top = await db.query<{ n: number | null }>(`SELECT max(n) AS n FROM ${table}`);
  if (Number(top.rows[0]?.n ?? -1) + 1 !== map.rows) return null;
  const n = params.length;
  // The view's conditions in a subquery on the data table, where its column names resolve first.
  const { rows } = await db.query<{ rid: string }>(
    `SELECT m.rid::text AS rid FROM ${table} m
     WHERE m.n < $${n + 1} AND EXISTS (SELECT 1 FROM ${sql.table} ${sql.where} AND ${sql.table}.ctid = m.rid)
     ORDER BY m.n LIMIT $${n + 2}`,
    [...params, WALK_ROWS, want],
  );
  const complete = map.rows <= WALK_ROWS;
  if (rows.length < want && !complete) return null;
  return { rids: rows.map((r) => r.rid), complete: rows.length < want };
}
