/**
 * Indexes made on demand: the first sort by a column builds a btree index on it, so the next
 * pages of any view sorted by that column read a few hundred index entries instead of sorting the
 * table. Imported tables never change after their import, so the index stays right; it goes away
 * with its table. Builders in several processes are serialised by an advisory lock on the index
 * name and `IF NOT EXISTS`, so a race ends with one index and no error. The table is analysed
 * once first, so the planner knows its size and value spread.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';

/** Index name in schema `data`: short, stable for a (table, column), within 63 bytes. */
export function sortIndexName(table: string, column: string): string {
  return `browse_${createHash('sha256').update(`${table}\u0000${column}`).digest('hex').slice(0, 24)}`;
}

export class OnDemandIndexes {
  private readonly ready = new Map<string, Promise<void>>();

  constructor(private readonly db: Database) {}

  /** Analyses the table once per process unless PostgreSQL already did. */
  analyzed(table: string): Promise<void> {
    return this.once(`analyze\u0000${table}`, async () => {
      const { rows } = await this.db.query<{ analyzed: boolean }>(
        `SELECT (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analyzed FROM pg_stat_user_tables WHERE schemaname = 'data' AND relname = $1`,
        [table],
      );
      if (!rows[0]?.analyzed) await this.db.query(`ANALYZE data.${quoteIdent(table)}`);
    });
  }

  /** Resolves when `data.<table>` has a btree index on `column`. */
  sortIndex(table: string, column: string): Promise<void> {
    const name = sortIndexName(table, column);
    return this.once(name, async () => {
      const exists = await this.db.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', ['data', name]);
      if (exists.rowCount) return;
      await this.db.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sparkpolar.browse.${name}`]);
        await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
        await client.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON data.${quoteIdent(table)} (${quoteIdent(column)})`);
      });
    });
  }

  private once(key: string, work: () => Promise<void>): Promise<void> {
    let promise = this.ready.get(key);
    if (!promise) {
      promise = work().catch((err: unknown) => {
        this.ready.delete(key); // a failure is retried by the next request
        throw err;
      });
      this.ready.set(key, promise);
    }
    return promise;
  }
}
