/**
 * PostgreSQL as a Polars data source: `COPY (SELECT <needed columns>) TO STDOUT (FORMAT csv)`
 * read straight off the connection (./copy-out: CopyData payloads copied into row-aligned
 * batches, no per-row objects) and parsed by Polars' native CSV reader with the types the
 * catalog gives. Category-like text columns (judged on a sample of the table's first rows) are
 * parsed straight into Polars categoricals, about twice as fast as parsing strings, then re-coded
 * as one- or two-byte codes into a sorted dictionary (./dictionary); near-unique text (a VIN)
 * stays String. The choice only changes speed and memory, never a value.
 *
 * On PostgreSQL 14+ the table is read as several block ranges (TID range scans) on separate
 * connections at once, so the server's CSV formatting (the bottleneck of `psql \copy`) uses more
 * than one core; the ranges are concatenated in block order, which keeps the table's row order.
 */
import pl from 'nodejs-polars';
import type pg from 'pg';
import { cancelledError, StudioError, throwIfCancelled } from '../../../shared/errors';
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { pgError } from '../db/database';
import { qualifiedTable } from '../catalog/catalog';
import { quoteIdent } from '../db/sql';
import { CARDINALITY_SAMPLE_ROWS, isCategoryLike, wireColumn, type WireColumn } from './columns';
import { CopyOut } from './copy-out';
import { encodeColumns, type CodedFrame } from './dictionary';

export interface LoadOptions {
  /** Identifiers of the columns to load; every column when absent. */
  columns?: string[];
  signal?: AbortSignal;
  onProgress?: (p: { rows: number; bytes: number }) => void;
  /** Parallel COPY streams (block ranges); default: 2 on PostgreSQL 14+, else 1. */
  streams?: number;
  /** Bytes per parsed batch. */
  batchBytes?: number;
  /** Tables smaller than this many 8 kB pages are read as one stream (default 256). */
  minPagesToSplit?: number;
  /** Encode category-like text columns as codes (default true); false: every text column as strings. */
  encode?: boolean;
}

export interface LoadResult extends CodedFrame {
  bytes: number;
  ms: number;
  streams: number;
}

const DEFAULT_BATCH = 16 * 1024 * 1024;

/** Loads a dataset version (or some of its columns) from PostgreSQL into a Polars DataFrame. */
export async function loadFromPostgres(db: Database, info: DatasetVersionInfo, options: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const wanted = options.columns ? options.columns.map((id) => findColumn(info.columns, id)) : info.columns;
  if (!wanted.length) throw new StudioError('INVALID_REQUEST', 'Load at least one column.');
  const table = qualifiedTable(info.table);
  throwIfCancelled(options.signal);
  const categorical = options.encode === false ? new Set<string>() : await categoryLikeColumns(db, table, wanted);
  const wire = wanted.map((c) => wireColumn(c, categorical.has(c.identifier)));
  const ranges = await blockRanges(db, table, options.streams, options.minPagesToSplit ?? 256);
  const progress = { rows: 0, bytes: 0 };
  const parts = await Promise.all(ranges.map((range) => copyRange(db, table, wire, range, options, progress)));
  options.signal?.throwIfAborted?.();
  const frames = parts.flat();
  let frame = frames.length ? (frames.length === 1 ? frames[0]! : pl.concat(frames, { how: 'vertical', rechunk: true })) : emptyFrame(wire);
  const casts = wire.filter((w) => w.finalType).map((w) => pl.col(w.column.identifier).cast(w.finalType!));
  if (casts.length) frame = frame.withColumns(...casts);
  const coded = encodeColumns(frame, [...categorical]);
  return { ...coded, bytes: progress.bytes, ms: performance.now() - started, streams: ranges.length };
}

function findColumn(columns: DatasetColumn[], identifier: string): DatasetColumn {
  const c = columns.find((x) => x.identifier === identifier);
  if (!c) throw new StudioError('INVALID_REQUEST', `No column "${identifier}" in the dataset.`);
  return c;
}

function emptyFrame(wire: WireColumn[]): pl.DataFrame {
  return pl.DataFrame(Object.fromEntries(wire.map((w) => [w.column.identifier, pl.Series(w.column.identifier, [], w.wire)])));
}

/** Text columns with few distinct values among the table's first rows (a cheap sample: no full scan). */
async function categoryLikeColumns(db: Database, table: string, columns: DatasetColumn[]): Promise<Set<string>> {
  const text = columns.filter((c) => c.type === 'text');
  if (!text.length) return new Set();
  const ids = text.map((c) => quoteIdent(c.identifier));
  const { rows } = await db.query<Record<string, number>>(
    `SELECT count(*)::int AS n, ${ids.map((id, i) => `count(DISTINCT ${id})::int AS d${i}`).join(', ')} FROM (SELECT ${ids.join(', ')} FROM ${table} LIMIT ${CARDINALITY_SAMPLE_ROWS}) s`,
  );
  const sampled = rows[0]!.n!;
  return new Set(text.filter((_, i) => isCategoryLike(rows[0]![`d${i}`]!, sampled)).map((c) => c.identifier));
}

/** `[from, to)` block ranges; `null` bounds mean open. One unbounded range reads the whole table. */
type BlockRange = { from: number | null; to: number | null };

async function blockRanges(db: Database, table: string, streams: number | undefined, minPages: number): Promise<BlockRange[]> {
  const { rows } = await db.query<{ pages: string; v: number }>(
    `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int8)::text AS pages, current_setting('server_version_num')::int AS v`,
    [table],
  );
  const pages = Number(rows[0]!.pages);
  const n = streams ?? (rows[0]!.v >= 140000 ? 2 : 1);
  // Small tables gain nothing from splitting.
  if (n <= 1 || pages < minPages || rows[0]!.v < 140000) return [{ from: null, to: null }];
  const step = Math.ceil(pages / n);
  const out: BlockRange[] = [];
  for (let i = 0; i < n; i++) out.push({ from: i === 0 ? null : i * step, to: i === n - 1 ? null : (i + 1) * step });
  return out;
}

function rangeWhere(range: BlockRange): string {
  const conds: string[] = [];
  if (range.from !== null) conds.push(`ctid >= '(${range.from},0)'::tid`);
  if (range.to !== null) conds.push(`ctid < '(${range.to},0)'::tid`);
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

async function copyRange(
  db: Database,
  table: string,
  wire: WireColumn[],
  range: BlockRange,
  options: LoadOptions,
  progress: { rows: number; bytes: number },
): Promise<pl.DataFrame[]> {
  throwIfCancelled(options.signal);
  const pool = await db.pool();
  const client: pg.PoolClient = await pool.connect().catch((err: unknown) => {
    throw pgError(err);
  });
  // A cancelled COPY ends by destroying the connection; its late 'error' must not crash the process.
  const ignore = () => undefined;
  client.on('error', ignore);
  const schema = Object.fromEntries(wire.map((w) => [w.column.identifier, w.wire]));
  const frames: pl.DataFrame[] = [];
  const parse = (batch: Buffer) => {
    const df = pl.readCSV(batch, { hasHeader: false, schema, quoteChar: '"', sep: ',', rechunk: false });
    frames.push(df);
    progress.rows += df.height;
    progress.bytes += batch.length;
    options.onProgress?.({ ...progress });
  };
  let broken = false;
  const onAbort = () => {
    broken = true;
    copy?.abort(cancelledError());
  };
  let copy: CopyOut | null = null;
  try {
    // A plain sequential scan must start at block 0 so rows come in table order.
    if (range.from === null && range.to === null) await client.query('SET synchronize_seqscans = off');
    const sql = `COPY (SELECT ${wire.map((w) => w.select).join(', ')} FROM ${table}${rangeWhere(range)}) TO STDOUT WITH (FORMAT csv)`;
    copy = new CopyOut(sql, { batchBytes: options.batchBytes ?? DEFAULT_BATCH, onBatch: parse });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    else void client.query(copy as unknown as pg.QueryConfig);
    await copy.done.catch((err: unknown) => {
      broken = true;
      throw err instanceof StudioError ? err : pgError(err);
    });
    return frames;
  } finally {
    if (range.from === null && range.to === null && !broken) await client.query('RESET synchronize_seqscans').catch(() => (broken = true));
    options.signal?.removeEventListener('abort', onAbort);
    client.release(broken ? true : undefined);
    if (!broken) client.off('error', ignore);
  }
}
