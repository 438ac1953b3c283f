/** A result table as CSV text for files a script reads (`sparkpolar analyze --out`): LF line ends, text as it is. */
import type { ResultTable } from '../../../shared/contract/analysis';
import { csvTable } from '../../../shared/csv';

export function resultTableCsv(table: ResultTable): string {
  return csvTable(
    table.columns.map((c) => c.name),
    table.rows,
    { raw: true, lineEnd: '\n' },
  );
}
