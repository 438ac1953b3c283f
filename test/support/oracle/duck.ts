/**
 * A DuckDB session holding one dataset as the tables `raw`, `prepared` and `cleaned` (the
 * catalog's stages), loaded straight from the CSV or Parquet file, not from PostgreSQL.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CRASH, MAKE_BRANDS, ORIGINAL_NULL_DROP_COLUMNS, SENTINELS } from '../../../shared/analyses';
import type { CleaningOptions, ResultCell } from '../../../shared/contract/analysis';
import type { ColumnType, DatasetColumn } from '../../../shared/types';

export const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
export const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

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

export interface OracleSource {
  file: string;
  columns: DatasetColumn[];
  /** CSV delimiter (default ","). */
  delimiter?: string;
}

export class OracleSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly columns: DatasetColumn[],
  ) {}

  static async open(source: OracleSource): Promise<OracleSession> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const conn = await instance.connect();
    const s = new OracleSession(instance, conn, source.columns);
    await s.load(source);
    return s;
  }

  private async load(source: OracleSource): Promise<void> {
    const cols = source.columns;
    let from: string;
    if (/\.parquet$/i.test(source.file)) {
      const probe = await this.conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(source.file)})`);
      const names = new Set(probe.getRowsJS().map((r) => String(r[0])));
      const pick = (c: DatasetColumn) => (names.has(c.identifier) ? c.identifier : c.name);
      from = `(SELECT ${cols.map((c) => `CAST(${q(pick(c))} AS ${DUCK_TYPES[c.type]}) AS ${q(c.identifier)}`).join(', ')} FROM read_parquet(${lit(source.file)}))`;
    } else {
      const columns = `{${cols.map((c) => `${lit(c.identifier)}: ${lit(DUCK_TYPES[c.type])}`).join(', ')}}`;
      // Same CSV semantics as PostgreSQL's COPY: an unquoted empty field is null, "" is an empty string.
      from = `read_csv(${lit(source.file)}, header = true, delim = ${lit(source.delimiter ?? ',')}, quote = '"', escape = '"', allow_quoted_nulls = false, columns = ${columns}, auto_detect = false, null_padding = false)`;
    }
    await this.conn.run(`CREATE TABLE raw AS SELECT row_number() OVER () AS __row, * FROM ${from}`);
  }

  /** (Re)builds `prepared` and `cleaned` for these cleaning options. */
  async clean(cleaning: CleaningOptions): Promise<{ dropped: boolean }> {
    const exprs = this.columns.map((c) => {
      let e = q(c.identifier);
      if (c.type === 'text' && cleaning.sentinelsAsNull) e = `CASE WHEN ${e} IN (${SENTINELS.map(lit).join(', ')}) THEN NULL ELSE ${e} END`;
      if (c.type === 'text' && cleaning.mergeMakes && c.name === CRASH.make) {
        e = `CASE ${e} ${Object.entries(MAKE_BRANDS)
          .map(([code, brand]) => `WHEN ${lit(code)} THEN ${lit(brand)}`)
          .join(' ')} ELSE ${e} END`;
      }
      return `${e} AS ${q(c.identifier)}`;
    });
    await this.conn.run('DROP TABLE IF EXISTS prepared; DROP TABLE IF EXISTS cleaned');
    await this.conn.run(`CREATE TABLE prepared AS SELECT __row, ${exprs.join(', ')} FROM raw`);
    const seven = ORIGINAL_NULL_DROP_COLUMNS.map((n) => this.columns.find((c) => c.name === n));
    const dropped = cleaning.dropOriginalNulls && seven.every(Boolean);
    const where = dropped ? ` WHERE ${seven.map((c) => `${q(c!.identifier)} IS NOT NULL`).join(' AND ')}` : '';
    await this.conn.run(`CREATE TABLE cleaned AS SELECT * FROM prepared${where}`);
    return { dropped };
  }

  async rows(sql: string): Promise<ResultCell[][]> {
    const reader = await this.conn.runAndReadAll(sql);
    return reader.getRowsJS().map((r) => r.map(toCell));
  }

  async one(sql: string): Promise<ResultCell[]> {
    return (await this.rows(sql))[0] ?? [];
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function toCell(v: unknown): ResultCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}
