/**
 * Planner statistics: a table just loaded by COPY may not be analysed yet (autovacuum gets to it
 * later), and without statistics the planner misjudges filter selectivity. Analyse once per
 * process, unless PostgreSQL already did.
 */
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';

export class TableStats {
  private readonly done = new Map<string, Promise<void>>();

  constructor(private readonly db: Database) {}

  analyzed(table: string): Promise<void> {
    let promise = this.done.get(table);
    if (!promise) {
      promise = (async () => {
        const { rows } = await this.db.query<{ analyzed: boolean }>(
          `SELECT (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analyzed FROM pg_stat_user_tables WHERE schemaname = 'data' AND relname = $1`,
          [table],
        );
        if (!rows[0]?.analyzed) await this.db.query(`ANALYZE data.${quoteIdent(table)}`);
      })().catch((err: unknown) => {
        this.done.delete(table);
        throw err;
      });
      this.done.set(table, promise);
    }
    return promise;
  }
}
