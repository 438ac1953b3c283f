/**
 * A version's table, ready to browse: its identity (OID) and planner statistics. A table just
 * loaded by COPY may not be analysed yet (autovacuum gets to it later), and without statistics the
 * planner misjudges filter selectivity. Analyse once per process, unless PostgreSQL already did.
 * Keyed by table name and import time: a name reused by a later import is another table.
 */
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import { qualifiedTable } from '../catalog/catalog';
import type { Database } from '../db/database';

export class TableStats {
  private readonly done = new Map<string, Promise<number>>();
  private readonly oids = new Map<string, Promise<number>>();

  constructor(private readonly db: Database) {}

  /**
   * The version's table OID, without analysing it: what a first page needs (its plan, a scan with
   * a top-N sort, does not depend on statistics), so the first page never waits for ANALYZE.
   */
  oid(info: Pick<DatasetVersionInfo, 'dataset' | 'version' | 'table' | 'importedAt'>): Promise<number> {
    const key = `${info.table}\u0000${info.importedAt}`;
    let promise = this.oids.get(key);
    if (!promise) {
      promise = this.db
        .query<{ oid: number | null }>(`SELECT to_regclass($1)::int8 AS oid`, [qualifiedTable(info.table)])
        .then(({ rows }) => Number(present(info, rows[0]?.oid)));
      promise.catch(() => this.oids.delete(key));
      this.oids.set(key, promise);
    }
    return promise;
  }

  /** Analyses the version's table if needed and answers its OID. */
  analyzed(info: Pick<DatasetVersionInfo, 'dataset' | 'version' | 'table' | 'importedAt'>): Promise<number> {
    const key = `${info.table}\u0000${info.importedAt}`;
    let promise = this.done.get(key);
    if (!promise) {
      promise = (async () => {
        const { rows } = await this.db.query<{ oid: number | null; analyzed: boolean | null }>(
          `SELECT c.oid::int8 AS oid, (s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL) AS analyzed
           FROM (SELECT to_regclass($1) AS oid) c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid`,
          [qualifiedTable(info.table)],
        );
        const oid = present(info, rows[0]?.oid);
        if (!rows[0]?.analyzed) await this.db.query(`ANALYZE ${qualifiedTable(info.table)}`);
        return Number(oid);
      })().catch((err: unknown) => {
        this.done.delete(key);
        throw err;
      });
      this.done.set(key, promise);
    }
    return promise;
  }
}

function present(info: Pick<DatasetVersionInfo, 'dataset' | 'version'>, oid: number | null | undefined): number {
  if (oid === null || oid === undefined)
    throw new StudioError('DATASET_NOT_FOUND', `The table of "${info.dataset}" version ${info.version} is gone.`, {
      dataset: info.dataset,
      version: info.version,
    });
  return oid;
}
