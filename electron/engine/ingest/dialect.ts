/**
 * Which delimiter and line ending a file uses, from the decoded start of the file. Speed does not
 * matter here, so the candidates are tried with csv-parse (a well-kept parser): the delimiter
 * whose records agree best on one field count (and splits the header most) wins.
 */
import { parse } from 'csv-parse/sync';

export type Delimiter = ',' | ';' | '\t' | '|';
export type LineEnding = 'CRLF' | 'LF' | 'CR';

export interface Dialect {
  delimiter: Delimiter;
  lineEnding: LineEnding;
}

const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];
const SNIFF_LINES = 50;

/** The line break ending the first record (outside quotes); LF when there is none. */
export function firstLineEnding(text: string): LineEnding {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === '\n') return 'LF';
    else if (!inQuote && c === '\r') return text[i + 1] === '\n' ? 'CRLF' : 'CR';
  }
  return 'LF';
}

function fieldCounts(text: string, delimiter: Delimiter, complete: boolean): number[] {
  try {
    const records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      to_line: SNIFF_LINES,
    }) as string[][];
    // Without the whole file, the last record may be cut short.
    if (!complete && records.length > 1) records.pop();
    return records.map((r) => r.length);
  } catch {
    return [];
  }
}

/**
 * `text` is the decoded start of the file (BOM removed); `complete` says whether it is the whole file.
 */
export function sniffDialect(text: string, complete: boolean): Dialect {
  const lineEnding = firstLineEnding(text);
  // Delimiters whose records mostly agree with the header compete on how many fields they
  // give; otherwise the most consistent one wins.
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of CANDIDATES) {
    const counts = fieldCounts(text, delimiter, complete);
    const header = counts[0] ?? 0;
    if (header < 2) continue;
    const consistency = counts.filter((n) => n === header).length / counts.length;
    const score = consistency >= 0.8 ? 1 + header : consistency;
    if (score > best.score) best = { delimiter, score };
  }
  return { delimiter: best.delimiter, lineEnding };
}
