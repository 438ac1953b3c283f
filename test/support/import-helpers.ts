/**
 * Helpers for the importer's tests: fixture paths, an independent reading of a CSV (csv-parse),
 * the imported table read back as text from PostgreSQL, and synthetic files written at test time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Database } from '../../electron/engine/db/database';
import { quoteIdent } from '../../electron/engine/db/sql';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/csv', name);
export { REAL_4401, REAL_31 } from './real-data';

/** The file read by csv-parse: header and records as strings. */
export function readCsvIndependently(
  file: string,
  options: { delimiter?: string; encoding?: string } = {},
): { header: string[]; records: string[][] } {
  const bytes = fs.readFileSync(file);
  const text = new TextDecoder(options.encoding ?? 'utf-8').decode(bytes); // drops a BOM
  const all = parse(text, { delimiter: options.delimiter ?? ',', skip_empty_lines: true, relax_column_count: false }) as string[][];
  return { header: all[0] ?? [], records: all.slice(1) };
}

/** Every row of `data.<table>` with each column cast to text (NULL stays null), in physical order. */
export async function tableAsText(db: Database, table: string, identifiers: string[]): Promise<Array<Array<string | null>>> {
  const cols = identifiers.map((c) => `${quoteIdent(c)}::text`).join(', ');
  const pool = await db.pool();
  const { rows } = await pool.query<Array<string | null>>({
    text: `SELECT ${cols} FROM data.${quoteIdent(table)} ORDER BY ctid`,
    rowMode: 'array',
  });
  return rows;
}

export async function tableExists(db: Database, table: string): Promise<boolean> {
  const { rows } = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`data.${quoteIdent(table)}`]);
  return rows[0]?.t != null;
}

export async function dataTables(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'data' AND c.relkind = 'r' ORDER BY 1",
  );
  return rows.map((r) => r.name);
}

/** A CSV cell as the writer of a file would quote it. */
export function csvCell(value: string, delimiter = ','): string {
  return value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes `rows` data rows produced by `row(i)` after `header`, streaming (files of many MB). */
export async function writeCsv(file: string, header: string[], rows: number, row: (i: number) => string[], eol = '\n'): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(header.map((h) => csvCell(h)).join(',') + eol);
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    batch.push(
      row(i)
        .map((v) => csvCell(v))
        .join(',') + eol,
    );
    if (batch.length >= 5000) {
      await write(batch.join(''));
      batch = [];
    }
  }
  await write(batch.join(''));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
