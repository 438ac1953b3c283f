/**
 * The proof that a frame built by an import holds exactly what PostgreSQL committed: the row
 * count and, per column, a checksum computed once by the server over the table and once here
 * over the frame. Text: non-null count and the sum of PostgreSQL's `hashtext` of every value
 * (hashed here once per distinct value, times its count). Whole numbers and dates: count, sum,
 * min and max, exactly. Floating-point: count, min and max exactly, the sum within 1e-9 relative
 * (the two sides add in different orders).
 *
 * The table side is one scan with every column's figures. It may run inside the import's own
 * transaction, just before COMMIT: the table was created by that transaction, so nobody else can
 * see or change it, and what the scan sees is exactly what commits. The frame side of a plain
 * (uncoded) text column — a hash per row, the costly part — is summed batch by batch while the
 * import parses (`PlainTextHashes`); everything else is summed over the final frame, which is
 * cheap (coded text is hashed once per dictionary value).
 */
import pl from 'nodejs-polars';
import type { ColumnType, DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';
import { qualifiedTable } from '../catalog/catalog';
import type { CodedFrame } from './dictionary';
import { hashText } from './pg-hash';

/** One column's checksum: named figures, as decimal text (exact) or numbers (floats). */
export type ColumnChecksum = Record<string, string | number | null>;

export interface Checksums {
  rows: number;
  columns: Record<string, ColumnChecksum>;
}

const FLOAT_SUM_TOLERANCE = 1e-9;

/** The aggregates each type is checked by, as SQL over the quoted column. */
function sqlFigures(type: ColumnType, q: string): Record<string, string> {
  switch (type) {
    case 'text':
      return { n: `count(${q})`, hash: `sum(hashtext(${q}))` };
    case 'integer':
    case 'bigint':
      return { n: `count(${q})`, sum: `sum(${q})`, min: `min(${q})`, max: `max(${q})` };
    case 'date':
      return {
        n: `count(${q})`,
        sum: `sum(${q} - DATE '1970-01-01')`,
        min: `min(${q}) - DATE '1970-01-01'`,
        max: `max(${q}) - DATE '1970-01-01'`,
      };
    case 'double':
    case 'numeric':
      return { n: `count(${q})`, fsum: `sum(${q}::float8)`, min: `min(${q})::float8`, max: `max(${q})::float8` };
    case 'boolean':
      return { n: `count(${q})`, sum: `count(*) FILTER (WHERE ${q})` };
    case 'timestamp':
      return {
        n: `count(${q})`,
        fsum: `sum(extract(epoch FROM ${q}))::float8 * 1000000`,
        min: `(extract(epoch FROM min(${q})) * 1000000)::int8`,
        max: `(extract(epoch FROM max(${q})) * 1000000)::int8`,
      };
  }
}

const exact = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : String(v));
const float = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The checksums of the committed table (one scan). */
export async function tableChecksums(db: Database, info: DatasetVersionInfo, columns: DatasetColumn[]): Promise<Checksums> {
  const { rows } = await db.query<Record<string, string | null>>(tableChecksumsSql(qualifiedTable(info.table), columns));
  return tableChecksumsFrom(rows[0]!, columns);
}

/** The one query that computes a table's checksums (quoted, schema-qualified name). */
export function tableChecksumsSql(table: string, columns: DatasetColumn[]): string {
  const selects = ['count(*) AS "rows"'];
  columns.forEach((c, i) => {
    for (const [name, sql] of Object.entries(sqlFigures(c.type, quoteIdent(c.identifier))))
      selects.push(`(${sql})::text AS "c${i}_${name}"`);
  });
  return `SELECT ${selects.join(', ')} FROM ${table}`;
}

/** The checksums from the row `tableChecksumsSql` returns. */
export function tableChecksumsFrom(row: Record<string, string | null>, columns: DatasetColumn[]): Checksums {
  const out: Checksums = { rows: Number(row.rows), columns: {} };
  columns.forEach((c, i) => {
    const figures: ColumnChecksum = {};
    for (const name of Object.keys(sqlFigures(c.type, ''))) {
      const v = row[`c${i}_${name}`] ?? null;
      const isFloat = name === 'fsum' || ((c.type === 'double' || c.type === 'numeric') && name !== 'n');
      figures[name] = isFloat ? float(v) : v;
    }
    out.columns[c.identifier] = figures;
  });
  return out;
}

/**
 * The same checksums over a frame (coded text decoded through its dictionary). `plainText`: the
 * hash sums of uncoded text columns already summed while the frame was built (PlainTextHashes).
 */
export function frameChecksums(coded: CodedFrame, columns: DatasetColumn[], plainText: Readonly<Record<string, string>> = {}): Checksums {
  const { frame, dictionaries } = coded;
  const out: Checksums = { rows: frame.height, columns: {} };
  const aggs: pl.Expr[] = [];
  for (const [i, c] of columns.entries()) {
    const col = pl.col(c.identifier);
    const p = `c${i}_`;
    aggs.push(col.count().alias(`${p}n`));
    if (c.type === 'integer' || c.type === 'bigint' || c.type === 'date' || c.type === 'boolean') {
      const whole = col.cast(pl.Int64);
      aggs.push(whole.sum().alias(`${p}sum`));
      if (c.type !== 'boolean') aggs.push(whole.min().alias(`${p}min`), whole.max().alias(`${p}max`));
    } else if (c.type === 'double' || c.type === 'numeric') {
      aggs.push(col.sum().alias(`${p}fsum`), col.min().alias(`${p}min`), col.max().alias(`${p}max`));
    } else if (c.type === 'timestamp') {
      const us = col.cast(pl.Int64);
      aggs.push(us.cast(pl.Float64).sum().alias(`${p}fsum`), us.min().alias(`${p}min`), us.max().alias(`${p}max`));
    }
  }
  const row = frame.select(...aggs).toRecords()[0] as Record<string, unknown>;
  for (const [i, c] of columns.entries()) {
    const p = `c${i}_`;
    const n = Number(row[`${p}n`]);
    if (c.type === 'text') {
      const labels = dictionaries[c.identifier];
      const hash = labels
        ? codedHashSum(frame, c.identifier, labels)
        : (plainText[c.identifier] ?? plainHashSum(frame.getColumn(c.identifier)));
      out.columns[c.identifier] = { n: String(n), hash: n ? hash : null };
    } else if (c.type === 'double' || c.type === 'numeric') {
      out.columns[c.identifier] = {
        n: String(n),
        fsum: n ? float(row[`${p}fsum`]) : null,
        min: float(row[`${p}min`]),
        max: float(row[`${p}max`]),
      };
    } else if (c.type === 'timestamp') {
      out.columns[c.identifier] = {
        n: String(n),
        fsum: n ? float(row[`${p}fsum`]) : null,
        min: exact(row[`${p}min`]),
        max: exact(row[`${p}max`]),
      };
    } else if (c.type === 'boolean') {
      out.columns[c.identifier] = { n: String(n), sum: String(row[`${p}sum`] ?? 0) };
    } else {
      out.columns[c.identifier] = {
        n: String(n),
        sum: n ? exact(row[`${p}sum`]) : null,
        min: exact(row[`${p}min`]),
        max: exact(row[`${p}max`]),
      };
    }
  }
  return out;
}

/** Adds hashes into an exact sum: partial sums stay exact in a double up to 2^53, flushed well before. */
class HashSum {
  private sum = 0n;
  private partial = 0;

  add(hash: number, times = 1): void {
    // A hash times a count passes 2^53 from a few million rows on: that product is made exactly.
    if (times !== 1) {
      this.sum += BigInt(hash) * BigInt(times);
      return;
    }
    this.partial += hash;
    if (Math.abs(this.partial) > 2 ** 52) {
      this.sum += BigInt(this.partial);
      this.partial = 0;
    }
  }

  total(): bigint {
    return this.sum + BigInt(this.partial);
  }
}

/**
 * Σ hashtext(value) over the non-null values of a coded column: the codes are counted in one
 * pass over a typed array (a group-by per column cost more than the rest of the proof), then
 * each dictionary value is hashed once.
 */
function codedHashSum(frame: pl.DataFrame, column: string, labels: readonly string[]): string {
  const series = frame.getColumn(column);
  const withoutNulls = series.nullCount() ? frame.select(pl.col(column).cast(pl.Int32).fillNull(pl.lit(-1))).getColumn(column) : series;
  const codes = withoutNulls.toTypedArray() as ArrayLike<number>;
  const counts = new Float64Array(labels.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code >= 0) counts[code]!++;
  }
  const sum = new HashSum();
  counts.forEach((n, code) => {
    if (n) sum.add(hashText(labels[code]!), n);
  });
  return sum.total().toString();
}

/** Σ hashtext(value) over the non-null values of a plain text column: one hash per row. */
function plainHashSum(series: pl.Series): string {
  const sum = new HashSum();
  addPlainHashes(series, sum);
  return sum.total().toString();
}

function addPlainHashes(series: pl.Series, sum: HashSum): void {
  for (const v of series.toArray() as Array<string | null>) if (v !== null && v !== undefined) sum.add(hashText(v));
}

/** The hash sums of plain text columns, added batch by batch as an import parses them. */
export class PlainTextHashes {
  private readonly sums = new Map<string, HashSum>();

  add(column: string, series: pl.Series): void {
    let sum = this.sums.get(column);
    if (!sum) this.sums.set(column, (sum = new HashSum()));
    addPlainHashes(series, sum);
  }

  result(): Record<string, string> {
    return Object.fromEntries([...this.sums].map(([c, s]) => [c, s.total().toString()]));
  }
}

/** The figures that differ, as `column.figure` (empty when the frame equals the table). */
export function checksumDifferences(table: Checksums, frame: Checksums): string[] {
  const out: string[] = [];
  if (table.rows !== frame.rows) out.push('rows');
  for (const [column, figures] of Object.entries(table.columns)) {
    const mine = frame.columns[column];
    if (!mine) {
      out.push(column);
      continue;
    }
    for (const [name, expected] of Object.entries(figures)) {
      if (!same(name, expected, mine[name] ?? null)) out.push(`${column}.${name}`);
    }
  }
  return out;
}

function same(name: string, a: string | number | null, b: string | number | null): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (name !== 'fsum') return a === b;
    return a === b || Math.abs(a - b) <= FLOAT_SUM_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
  return String(a) === String(b);
}
