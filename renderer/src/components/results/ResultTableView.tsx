import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResultTable } from '../../../../shared/api';
import { csvTable } from '../../../../shared/csv';
import { formatNumber } from '../../format';

const MAX_ROWS = 500;

/** The catalog's result column names in the UI language (dataset column names stay as in the file). */
function columnLabel(name: string, t: TFunction): string {
  return /^[a-z][a-z0-9_]*$/.test(name) ? t(`resultColumn.${name}`, { defaultValue: name.replace(/_/g, ' ') }) : name;
}

function show(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return type === 'float' ? formatNumber(value, 4) : formatNumber(value);
  if (typeof value === 'boolean') return value ? '✓' : '';
  return String(value);
}

/** A result table as the engine produced it (first rows when long). */
export function ResultTableView({ table, label }: { table: ResultTable; label: string }) {
  const { t } = useTranslation();
  const rows = table.rows.slice(0, MAX_ROWS);
  return (
    // Focusable so that a table wider or taller than its box can be scrolled from the keyboard.
    <div className="result-table scroll-box" tabIndex={0} role="region" aria-label={label}>
      <table className="data-table compact" aria-label={label}>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.name} scope="col" className={c.type === 'integer' || c.type === 'float' ? 'num' : undefined}>
                {columnLabel(c.name, t)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td
                  key={j}
                  className={
                    table.columns[j]?.type === 'integer' || table.columns[j]?.type === 'float' ? 'num' : cell === null ? 'null' : undefined
                  }
                >
                  {show(cell, table.columns[j]?.type ?? 'text')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length > MAX_ROWS ? (
        <p className="muted">{t('analyses.firstRows', { shown: formatNumber(MAX_ROWS), total: formatNumber(table.rows.length) })}</p>
      ) : null}
    </div>
  );
}

/** One-row results (counts, duplicates) as key figures. */
export function KpiView({ table }: { table: ResultTable }) {
  const { t } = useTranslation();
  const row = table.rows[0] ?? [];
  return (
    <dl className="kpis">
      {table.columns.map((c, i) => (
        <div key={c.name} className="kpi">
          <dt>{columnLabel(c.name, t)}</dt>
          <dd>{show(row[i], c.type)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A result table as the CSV every export writes: RFC 4180, formula-like text neutralised. */
export function resultCsv(table: ResultTable): string {
  return csvTable(
    table.columns.map((c) => c.name),
    table.rows,
  );
}
