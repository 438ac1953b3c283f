/**
 * Snapshot columns kept in memory between views: the next views of a version mostly sort and
 * filter the same few columns, and reading them again from Parquet costs tens of milliseconds
 * at 3.3 M rows. Only narrow columns are kept (codes, whole numbers, dates, booleans; never
 * plain text), within a byte budget, least recently used out first. Each use checks the
 * snapshot is still this version's (its metadata), so a dropped or replaced snapshot is not served.
 */
import pl, { type DataType } from 'nodejs-polars';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { CodedFrame, Labels } from '../analysis/dictionary';
import { dtypeOf } from '../analysis/ops/read';
import { readSnapshot, snapshotColumns } from '../analysis/snapshot';

const BUDGET_BYTES = 96 * 1024 * 1024;

/** Bytes per value of the kept column types. */
function width(dtype: DataType): number | null {
  for (const [type, bytes] of [
    [pl.UInt8, 1],
    [pl.Bool, 1],
    [pl.UInt16, 2],
    [pl.Int32, 4],
    [pl.Date, 4],
    [pl.UInt32, 4],
    [pl.Int64, 8],
  ] as const)
    if (dtype.equals(type)) return bytes;
  return null;
}

interface Kept {
  series: pl.Series;
  labels: Labels | undefined;
  bytes: number;
}

export class SnapshotColumns {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;

  constructor(private readonly home: string) {}

  /** These columns of the version's valid snapshot (null when it does not hold them all). */
  read(info: DatasetVersionInfo, columns: string[]): CodedFrame | null {
    const valid = new Set(snapshotColumns(this.home, info));
    if (columns.some((c) => !valid.has(c))) return null;
    const version = `${info.table}\u0000${info.importedAt}\u0000`;
    const missing = columns.filter((c) => !this.kept.has(version + c));
    if (missing.length) {
      const read = readSnapshot(this.home, info, missing);
      if (!read) return null;
      const found = new Map(missing.map((c) => [c, { series: read.frame.getColumn(c), labels: read.dictionaries[c] }]));
      // Kept for the next views when narrow; used now in any case.
      for (const [c, f] of found) {
        const w = width(dtypeOf(read.frame, c));
        if (w !== null) this.keep(version + c, { ...f, bytes: w * read.frame.height });
      }
      return this.assemble(columns, (c) => found.get(c) ?? this.touch(version + c)!);
    }
    return this.assemble(columns, (c) => this.touch(version + c)!);
  }

  private assemble(columns: string[], get: (c: string) => { series: pl.Series; labels: Labels | undefined }): CodedFrame {
    const parts = columns.map((c) => ({ c, ...get(c) }));
    const dictionaries: Record<string, Labels> = {};
    for (const p of parts) if (p.labels) dictionaries[p.c] = p.labels;
    return { frame: pl.DataFrame(parts.map((p) => p.series.alias(p.c))), dictionaries };
  }

  private touch(key: string): Kept | undefined {
    const entry = this.kept.get(key);
    if (entry) {
      this.kept.delete(key);
      this.kept.set(key, entry);
    }
    return entry;
  }

  private keep(key: string, entry: Kept): void {
    if (entry.bytes > BUDGET_BYTES) return;
    this.kept.set(key, entry);
    this.bytes += entry.bytes;
    while (this.bytes > BUDGET_BYTES) {
      const [oldest, value] = this.kept.entries().next().value as [string, Kept];
      this.kept.delete(oldest);
      this.bytes -= value.bytes;
    }
  }
}
