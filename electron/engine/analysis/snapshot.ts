/**
 * A columnar snapshot (Parquet) of each loaded dataset version in the data folder, so an
 * unchanged dataset reloads without PostgreSQL. The snapshot is keyed by the version's table
 * (unique per version) and checked against the catalog entry (rows, columns, import time): a new
 * version, a re-import or a changed column list never reads a stale file. Columns are added to
 * the snapshot as analyses need them (tables are immutable after import, so row order matches).
 * Coded text columns are stored as their codes, with the dictionaries in the metadata file, so a
 * reload materialises one or two bytes per value (./dictionary).
 *
 * Parquet (lz4) rather than Arrow IPC: it reads back faster here, and the file is a third of
 * the size, which counts when the OS has dropped it from its cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import type { DatasetVersionInfo } from '../../../shared/types';
import { pickDictionaries, type CodedFrame, type Dictionaries } from './dictionary';

interface SnapshotMeta {
  /** 3: Parquet with coded text (2 held categoricals, 1 was Arrow IPC; neither is read). */
  format: 3;
  dataset: string;
  version: number;
  table: string;
  importedAt: string;
  rows: number;
  /** identifier → catalog type, for the columns the file holds. */
  columns: Record<string, string>;
  /** Dictionaries of the coded columns. */
  dictionaries: Dictionaries;
}

export function snapshotDir(home: string): string {
  return path.join(home, 'snapshots');
}

function files(home: string, table: string) {
  const base = path.join(snapshotDir(home), table);
  return { data: `${base}.parquet`, meta: `${base}.json`, legacy: `${base}.ipc` };
}

function readMeta(file: string): SnapshotMeta | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotMeta;
  } catch {
    return null;
  }
}

function matches(meta: SnapshotMeta | null, info: DatasetVersionInfo): meta is SnapshotMeta {
  if (!meta || meta.format !== 3) return false;
  if (meta.table !== info.table || meta.version !== info.version || meta.importedAt !== info.importedAt || meta.rows !== info.rows)
    return false;
  for (const [id, type] of Object.entries(meta.columns)) {
    if (info.columns.find((c) => c.identifier === id)?.type !== type) return false;
  }
  return true;
}

/** Identifiers of the columns the valid snapshot of this version holds (empty when none). */
export function snapshotColumns(home: string, info: DatasetVersionInfo): string[] {
  const f = files(home, info.table);
  const meta = readMeta(f.meta);
  return matches(meta, info) && fs.existsSync(f.data) ? Object.keys(meta.columns) : [];
}

/** Identifiers of the valid snapshot's columns that hold dictionary codes (empty when none). */
export function codedSnapshotColumns(home: string, info: DatasetVersionInfo): string[] {
  const meta = readMeta(files(home, info.table).meta);
  return matches(meta, info) ? Object.keys(meta.dictionaries).filter((id) => id in meta.columns) : [];
}

/** Reads these columns from the snapshot; null when it does not hold them all. */
export function readSnapshot(home: string, info: DatasetVersionInfo, columns: string[]): CodedFrame | null {
  const f = files(home, info.table);
  const meta = readMeta(f.meta);
  if (!matches(meta, info) || columns.some((c) => !(c in meta.columns))) return null;
  try {
    const frame = pl.readParquet(f.data, { columns });
    return frame.height === info.rows ? { frame, dictionaries: pickDictionaries(meta.dictionaries, columns) } : null;
  } catch {
    return null;
  }
}

/** Writes (replaces) the snapshot of a version; written aside then renamed, never half-visible. */
export function writeSnapshot(home: string, info: DatasetVersionInfo, coded: CodedFrame): void {
  const { f, tmp, meta } = beginWrite(home, info, coded);
  try {
    // lz4: decoding costs next to nothing, and it writes several times faster than zstd.
    coded.frame.writeParquet(tmp, { compression: 'lz4' });
    fs.renameSync(tmp, f.data);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fs.writeFileSync(f.meta, JSON.stringify(meta));
}

/**
 * `writeSnapshot` with the Parquet file written on Polars' threads (a lazy sink): the engine's
 * thread serves requests meanwhile (the file of 3.3 M rows takes about a second to write).
 */
export async function writeSnapshotInBackground(home: string, info: DatasetVersionInfo, coded: CodedFrame): Promise<void> {
  const { f, tmp, meta } = beginWrite(home, info, coded);
  try {
    await coded.frame.lazy().sinkParquet(tmp, { compression: 'lz4' }).collect();
    fs.renameSync(tmp, f.data);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fs.writeFileSync(f.meta, JSON.stringify(meta));
}

function beginWrite(home: string, info: DatasetVersionInfo, { frame, dictionaries }: CodedFrame) {
  const dir = snapshotDir(home);
  fs.mkdirSync(dir, { recursive: true });
  const f = files(home, info.table);
  const meta: SnapshotMeta = {
    format: 3,
    dataset: info.dataset,
    version: info.version,
    table: info.table,
    importedAt: info.importedAt,
    rows: info.rows,
    columns: Object.fromEntries(frame.columns.map((id) => [id, info.columns.find((c) => c.identifier === id)?.type ?? 'text'])),
    dictionaries: pickDictionaries(dictionaries, frame.columns),
  };
  fs.rmSync(f.meta, { force: true });
  fs.rmSync(f.legacy, { force: true });
  return { f, tmp: `${f.data}.${process.pid}.tmp`, meta };
}

/** Removes snapshots of this dataset's other versions' tables that are no longer in `keepTables`. */
export function pruneSnapshots(home: string, dataset: string, keepTables: string[]): void {
  const dir = snapshotDir(home);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const meta = readMeta(path.join(dir, name));
    if (meta && meta.dataset === dataset && !keepTables.includes(meta.table)) dropSnapshot(home, meta.table);
  }
}

/** Deletes the snapshot of one version (after a delete or re-import). */
export function dropSnapshot(home: string, table: string): void {
  const f = files(home, table);
  for (const file of [f.meta, f.data, f.legacy]) fs.rmSync(file, { force: true });
}
