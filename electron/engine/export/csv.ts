/** Small CSV and naming helpers shared by the exporters. */
import { csvField } from '../../../shared/csv';
import type { DatasetColumn } from '../../../shared/types';

/** One CSV record with a LF end (PostgreSQL's COPY output uses LF too). */
export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',') + '\n';
}

/** Display names made unique (`x`, `x (2)`), for headers, JSON keys and Parquet columns. */
export function uniqueNames(columns: Array<Pick<DatasetColumn, 'name' | 'identifier'>>): string[] {
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const base = c.name.trim() || c.identifier;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}
