/**
 * CSV cells as every CSV the app writes them (the exports, "Copy row"): RFC 4180 quoting, and
 * formula neutralisation (CSV injection): a text cell starting with = + - @, tab or CR gets a
 * leading apostrophe, which spreadsheet programs show as text and never evaluate. Only CSV needs
 * it: XLSX cells are typed strings, never formulas.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

export function needsNeutralising(text: string): boolean {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!);
}

export function neutraliseText(text: string): string {
  return needsNeutralising(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: only fields holding a comma, quote, CR or LF are quoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record without its line end: text neutralised (unless `raw`) then quoted; null is empty. */
export function csvRecord(values: ReadonlyArray<string | number | boolean | null | undefined>, options: { raw?: boolean } = {}): string {
  return values
    .map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? csvField(options.raw ? v : neutraliseText(v)) : String(v)))
    .join(',');
}

/** A whole table as CSV: the header, then one record per row, each ended by `lineEnd`. */
export function csvTable(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>,
  options: { raw?: boolean; lineEnd?: '\n' | '\r\n' } = {},
): string {
  const end = options.lineEnd ?? '\r\n';
  let text = csvRecord(header, options) + end;
  for (const row of rows) text += csvRecord(row, options) + end;
  return text;
}
