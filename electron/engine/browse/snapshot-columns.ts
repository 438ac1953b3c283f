/**
 * Snapshot columns as numbers (./typed-view), kept in memory between views: the next views of a
 * version mostly sort and filter the same few columns, and reading and converting them again
 * costs tens to hundreds of milliseconds at 3.3 M rows. Within a byte budget, least recently
 * used out first. The caller checks the version's snapshot is still valid before each use.
 */
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import type { CodedFrame } from '../analysis/dictionary';
import { numberColumn, type NumberColumn } from './typed-view';

const BUDGET_BYTES = 192 * 1024 * 1024;

export class NumberColumns {
  private readonly kept = new Map<string, NumberColumn>();
  private bytes = 0;

  /**
   * These columns of the version as numbers, reading the missing ones through `load`; null when
   * they cannot be read or one has a type this path does not hold.
   */
  get(info: DatasetVersionInfo, columns: DatasetColumn[], load: (ids: string[]) => CodedFrame | null): Map<string, NumberColumn> | null {
    const version = `${info.table}\u0000${info.importedAt}\u0000`;
    const out = new Map<string, NumberColumn>();
    const missing: DatasetColumn[] = [];
    for (const c of columns) {
      const kept = this.kept.get(version + c.identifier);
      if (kept) {
        this.kept.delete(version + c.identifier); // most recently used last
        this.kept.set(version + c.identifier, kept);
        out.set(c.identifier, kept);
      } else missing.push(c);
    }
    if (missing.length) {
      const coded = load(missing.map((c) => c.identifier));
      if (!coded) return null;
      for (const c of missing) {
        const numbers = numberColumn(coded, c);
        if (!numbers) return null;
        out.set(c.identifier, numbers);
        this.keep(version + c.identifier, numbers);
      }
    }
    return out;
  }

  private keep(key: string, column: NumberColumn): void {
    if (column.values.byteLength > BUDGET_BYTES) return;
    this.kept.set(key, column);
    this.bytes += column.values.byteLength;
    while (this.bytes > BUDGET_BYTES) {
      const [oldest, value] = this.kept.entries().next().value as [string, NumberColumn];
      this.kept.delete(oldest);
      this.bytes -= value.values.byteLength;
    }
  }
}
