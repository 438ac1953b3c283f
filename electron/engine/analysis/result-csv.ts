/** A result table as CSV text (RFC 4180): header row, then the rows in result order; null is empty. */
import type { ResultCell, ResultTable } from '../../../shared/contract/analysis';

function field(value: ResultCell | string): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultTableCsv(table: ResultTable): string {
  const lines = [table.columns.map((c) => field(c.name)).join(',')];
  for (const row of table.rows) lines.push(row.map(field).join(','));
  return lines.join('\n') + '\n';
}
