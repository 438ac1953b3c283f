/**
 * Snapshot columns as codes (./typed-view), kept in memory between views: the next views of a
 * version mostly sort and filter the same few columns, and reading and converting them again
 * costs tens of milliseconds at 3.3 M rows. Within a byte budget, least recently used out
 * first. The caller checks the version's snapshot is still valid before each use.
 */
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import type { CodedFrame } from '../analysis/dictionary';
import { codeColumn, type CodeColumn } from './typed-view';

const BUDGET_BYTES = 192 * 1024 * 1024;

const keyOf = (info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>, identifier: string) =>
  `${info.table}\u0000${info.importedAt}\u0000${identifier}`;

export class CodeColumns {
  private readonly kept = new Map<string, CodeColumn>();
  private bytes = 0;

  /**
   * These columns of the version as codes, reading the missing ones through `load`; null when
   * they cannot be read or one has a type this path does not hold.
   */
  get(info: DatasetVersionInfo, columns: DatasetColumn[], load: (ids: string[]) => CodedFrame | null): Map<string, CodeColumn> | null {
    const out = new Map<string, CodeColumn>();
    const missing: DatasetColumn[] = [];
    for (const c of columns) {
      const kept = this.kept.get(keyOf(info, c.identifier));
      if (kept) {
        this.kept.delete(keyOf(info, c.identifier)); // most recently used last
        this.kept.set(keyOf(info, c.identifier), kept);
        out.set(c.identifier, kept);
      } else missing.push(c);
    }
    if (missing.length) {
      const coded = load(missing.map((c) => c.identifier));
      if (!coded) return null;
      for (const c of missing) {
        const codes = codeColumn(coded, c);
        if (!codes) return null;
        out.set(c.identifier, codes);
        this.keep(keyOf(info, c.identifier), codes);
      }
    }
    return out;
  }

  /** Whether this column of the version is kept. */
  has(info: DatasetVersionInfo, identifier: string): boolean {
    return this.kept.has(keyOf(info, identifier));
  }

  /**
   * Reads a column ahead of the views that will ask for it, when its codes fit in what the budget
   * has left (nothing kept is dropped for it). False when the budget is full or the version's
   * columns cannot be read; true otherwise (a column this path does not hold is skipped).
   */
  readAhead(info: DatasetVersionInfo, column: DatasetColumn, load: (ids: string[]) => CodedFrame | null): boolean {
    if (this.has(info, column.identifier)) return true;
    if (this.bytes + info.rows * 2 > BUDGET_BYTES) return false;
    const coded = load([column.identifier]);
    if (!coded) return false;
    const codes = codeColumn(coded, column);
    if (!codes) return true;
    if (this.bytes + codes.codes.byteLength > BUDGET_BYTES) return false;
    this.keep(keyOf(info, column.identifier), codes);
    return true;
  }

  private keep(key: string, column: CodeColumn): void {
    if (column.codes.byteLength > BUDGET_BYTES) return;
    this.kept.set(key, column);
    this.bytes += column.codes.byteLength;
    while (this.bytes > BUDGET_BYTES) {
      const [oldest, value] = this.kept.entries().next().value as [string, CodeColumn];
      this.kept.delete(oldest);
      this.bytes -= value.codes.byteLength;
    }
  }
}
