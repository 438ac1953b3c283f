/** Domain types shared by every process. */

/** The column types the importer infers; each maps to one PostgreSQL type (see `pgType`). */
export type ColumnType = 'integer' | 'bigint' | 'double' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'text';

export const PG_TYPES: Record<ColumnType, string> = {
  integer: 'int4',
  bigint: 'int8',
  double: 'float8',
  numeric: 'numeric',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  text: 'text',
};

export const NUMERIC_TYPES: readonly ColumnType[] = ['integer', 'bigint', 'double', 'numeric'];

export interface DatasetColumn {
  /** The header as the file has it, for display. */
  name: string;
  /** The SQL identifier (unquoted form; always quoted when used). */
  identifier: string;
  type: ColumnType;
}

/** One imported version of a dataset, as the catalog (studio.dataset_versions) records it. */
export interface DatasetVersionInfo {
  dataset: string;
  version: number;
  /** Table name inside the `data` schema. */
  table: string;
  sourcePath: string | null;
  sourceBytes: number | null;
  sha256: string | null;
  rows: number;
  columns: DatasetColumn[];
  rejected: number;
  rejectsPath: string | null;
  importedAt: string;
  durationMs: number | null;
  /** Detected file facts: encoding, delimiter, line ending, header line. */
  options: Record<string, unknown>;
}

export interface DatasetSummary extends DatasetVersionInfo {
  /** Number of versions kept for this name. */
  versions: number;
}
