/**
 * The DuckDB peer (`@duckdb/node-api`, in-process, in-memory): the CSV is loaded once into a
 * table typed like the product's catalog, then the original set runs as SQL. DuckDB is a dev
 * dependency, so it is imported lazily and reported "not available" when absent.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnType, DatasetColumn } from '../../../shared/types';
import { NotAvailable } from '../protocol';
import type { SqlPlan } from './original-sql';

const DUCK_TYPES: Record<ColumnType, string> = {
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  numeric: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  text: 'VARCHAR',
};

export const DUCK_TABLE = 'crash';

export class DuckPeer {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly version: string,
  ) {}

  static async open(): Promise<DuckPeer> {
    let api: typeof import('@duckdb/node-api');
    try {
      api = await import('@duckdb/node-api');
    } catch (err) {
      throw new NotAvailable(`@duckdb/node-api cannot be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
    const instance = await api.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    return new DuckPeer(instance, connection, api.version());
  }

  /** Loads the CSV into an in-memory table, each column typed as the product typed it. */
  async loadCsv(file: string, columns: DatasetColumn[]): Promise<number> {
    const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const types = columns.map((c) => `${literal(c.name)}: ${literal(DUCK_TYPES[c.type])}`).join(', ');
    await this.connection.run(
      `CREATE OR REPLACE TABLE ${DUCK_TABLE} AS SELECT * FROM read_csv(${literal(file)}, header = true, delim = ',', quote = '"', types = {${types}})`,
    );
    const reader = await this.connection.runAndReadAll(`SELECT count(*) FROM ${DUCK_TABLE}`);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  /** Runs a plan's shared work and every query, reading each result completely. */
  async runPlan(plan: SqlPlan): Promise<void> {
    for (const sql of plan.prepare) await this.connection.run(sql);
    for (const q of plan.queries) {
      const reader = await this.connection.runAndReadAll(q.sql);
      reader.getRows();
    }
  }

  async cleanup(plan: SqlPlan): Promise<void> {
    for (const sql of plan.cleanup) await this.connection.run(sql);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
