/**
 * The dataset file the Spark job reads: one version exported from PostgreSQL through the analyses'
 * loader into Parquet (default) or CSV, with physical column names `c00`, `c01`, … (the plan maps
 * them back to display names) so no Spark reader trips over spaces or `/` in headers. A version's
 * table never changes after import, so the export is made once and reused; its SHA-256 names the
 * uploaded file, which is how an identical upload is recognised and skipped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { decodeColumns } from '../analysis/dictionary';
import { loadDataset } from '../analysis/source';
import type { PlanColumn } from './job-contract';

export interface ExportedDataset {
  file: string;
  format: 'parquet' | 'csv';
  bytes: number;
  sha256: string;
  rows: number;
  columns: PlanColumn[];
  /** Whether this call wrote the file (false: reused). */
  created: boolean;
}

interface ExportMeta {
  table: string;
  importedAt: string;
  rows: number;
  bytes: number;
  sha256: string;
  columns: PlanColumn[];
}

export function planColumns(info: DatasetVersionInfo): PlanColumn[] {
  const width = Math.max(2, String(info.columns.length - 1).length);
  return info.columns.map((c, i) => ({ file: `c${String(i).padStart(width, '0')}`, name: c.name, type: c.type }));
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export async function exportDataset(
  deps: { db: Database; home: string },
  info: DatasetVersionInfo,
  format: 'parquet' | 'csv',
  signal?: AbortSignal,
  onProgress?: (rows: number) => void,
): Promise<ExportedDataset> {
  const dir = path.join(deps.home, 'spark', 'exports');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${info.table}.${format}`);
  const metaFile = `${file}.json`;
  const columns = planColumns(info);
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ExportMeta;
    if (
      meta.table === info.table &&
      meta.importedAt === info.importedAt &&
      meta.rows === info.rows &&
      fs.statSync(file).size === meta.bytes
    ) {
      return { file, format, bytes: meta.bytes, sha256: meta.sha256, rows: meta.rows, columns: meta.columns, created: false };
    }
  } catch {
    // no usable export yet
  }
  const loaded = await loadDataset(
    deps,
    info,
    info.columns.map((c) => c.identifier),
    { ...(signal ? { signal } : {}), onProgress: (p) => onProgress?.(p.rows) },
  );
  signal?.throwIfAborted();
  // Text leaves as text: the analyses' coded columns are decoded.
  const renamed = decodeColumns(loaded).rename(Object.fromEntries(info.columns.map((c, i) => [c.identifier, columns[i]!.file])));
  const tmp = `${file}.tmp-${process.pid}`;
  if (format === 'parquet') renamed.writeParquet(tmp, { compression: 'zstd' });
  else renamed.writeCSV(tmp, { includeHeader: true });
  fs.renameSync(tmp, file);
  const bytes = fs.statSync(file).size;
  const sha256 = await sha256File(file);
  const meta: ExportMeta = { table: info.table, importedAt: info.importedAt, rows: info.rows, bytes, sha256, columns };
  fs.writeFileSync(metaFile, JSON.stringify(meta));
  return { file, format, bytes, sha256, rows: info.rows, columns, created: true };
}
