/**
 * A dataset version as one Parquet file, streamed: PostgreSQL COPY → a temporary CSV → Polars'
 * streaming CSV scan → Parquet, with each column's catalog type kept (so 3 million rows never sit in
 * memory at once).
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pl, { type DataType } from 'nodejs-polars';
import { to as copyTo } from 'pg-copy-streams';
import type { ColumnType, DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';
import { qualifiedTable } from '../datasets/catalog';

const POLARS: Record<ColumnType, DataType> = {
  integer: pl.Int32,
  bigint: pl.Int64,
  double: pl.Float64,
  numeric: pl.Float64,
  boolean: pl.Bool,
  date: pl.Date,
  timestamp: pl.Datetime('us'),
  text: pl.Utf8,
};

/** How a column leaves PostgreSQL so Polars reads it back as its type. */
function exported(identifier: string, type: ColumnType): string {
  const col = quoteIdent(identifier);
  if (type === 'boolean') return `${col}::text AS ${col}`;
  if (type === 'numeric') return `${col}::float8 AS ${col}`;
  if (type === 'timestamp') return `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS ${col}`;
  return col;
}

export async function writeDatasetParquet(db: Database, info: DatasetVersionInfo, csvPath: string, parquetPath: string, signal?: AbortSignal): Promise<void> {
  const select = info.columns.map((c) => exported(c.identifier, c.type)).join(', ');
  await db.withClient(async (client) => {
    const source = client.query(copyTo(`COPY (SELECT ${select} FROM ${qualifiedTable(info.table)}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    await pipeline(source, fs.createWriteStream(csvPath), signal ? { signal } : {});
  });
  const schema = Object.fromEntries(info.columns.map((c) => [c.identifier, POLARS[c.type]]));
  pl.scanCSV(csvPath, { hasHeader: true, schema }).sinkParquet(parquetPath).collectSync();
  fs.rmSync(csvPath, { force: true });
}
