/**
 * A result table as Parquet (types kept: Int64, Float64, Boolean, String) and as CSV, and back.
 * CSV cells that a spreadsheet would run as a formula are neutralised like every export does.
 */
import pl, { type DataType } from 'nodejs-polars';
import { neutraliseText } from '../export/neutralise';
import type { ResultCell, ResultCellType, ResultTable } from '../../../shared/contract/analysis';

const DTYPES: Record<ResultCellType, DataType> = { integer: pl.Int64, float: pl.Float64, boolean: pl.Bool, text: pl.Utf8 };

function frameOf(table: ResultTable, transform?: (cell: ResultCell) => ResultCell): pl.DataFrame {
  const series = table.columns.map((col, i) => {
    const values = table.rows.map((row) => {
      const cell = row[i] ?? null;
      const v = transform ? transform(cell) : cell;
      if (v === null) return null;
      if (col.type === 'text') return String(v);
      if (col.type === 'boolean') return typeof v === 'boolean' ? v : v === 'true' || v === 1;
      return typeof v === 'number' ? v : Number(v);
    });
    return pl.Series(col.name, values, DTYPES[col.type]);
  });
  return pl.DataFrame(series);
}

export function resultToParquet(table: ResultTable): Buffer {
  return frameOf(table).writeParquet();
}

/** Text a spreadsheet would evaluate gets a leading quote, as in every CSV export (export/neutralise.ts). */
export function neutraliseFormula(cell: ResultCell): ResultCell {
  return typeof cell === 'string' ? neutraliseText(cell) : cell;
}

export function resultToCsv(table: ResultTable): Buffer {
  if (!table.columns.length) return Buffer.from('');
  return frameOf(table, neutraliseFormula).writeCSV();
}

function cellType(dtype: string): ResultCellType {
  if (/Int|UInt/.test(dtype)) return 'integer';
  if (/Float|Decimal/.test(dtype)) return 'float';
  if (/Bool/.test(dtype)) return 'boolean';
  return 'text';
}

/**
 * Reads a result back from its Parquet bytes. Polars' DataFrame answers a property named like one
 * of its columns with that column (a result column called `columns` or `rows` hides those
 * methods), so everything is read from the Series list.
 */
export function resultFromParquet(bytes: Buffer): ResultTable {
  const series = pl.readParquet(bytes).getColumns();
  const columns = series.map((s) => ({ name: s.name, type: cellType(String(s.dtype)) }));
  const values = series.map((s) => s.toArray() as unknown[]);
  const height = values[0]?.length ?? 0;
  const rows: ResultCell[][] = [];
  for (let r = 0; r < height; r++) rows.push(values.map((col) => toCell(col[r])));
  return { columns, rows };
}

function toCell(v: unknown): ResultCell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  return v as ResultCell;
}
