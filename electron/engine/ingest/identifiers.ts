/**
 * SQL identifiers derived from header names. The display name is kept as written; the
 * identifier is that name made safe: control characters removed, spaces trimmed, empty names
 * become `column_N`, at most 63 bytes (PostgreSQL would silently truncate longer ones and merge
 * them), unique without regard to case (Spark and Polars users often are case-insensitive), and
 * never a PostgreSQL system column name. Identifiers are always quoted when used, so `select`
 * or `x"; DROP TABLE t; --` are ordinary names.
 */

export const MAX_IDENTIFIER_BYTES = 63;

const SYSTEM_COLUMNS = ['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid', 'oid'];

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function cleanName(name: string): string {
  return name
    .replace(/[\u0000-\u001f\u007f]+/g, ' ') // eslint-disable-line no-control-regex
    .replace(/\s+/g, ' ')
    .trim();
}

export function safeIdentifiers(headers: readonly string[]): string[] {
  const taken = new Set(SYSTEM_COLUMNS);
  return headers.map((header, index) => {
    let base = truncateUtf8(cleanName(header), MAX_IDENTIFIER_BYTES);
    if (!base) base = `column_${index + 1}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
      const suffix = `_${n}`;
      candidate = truncateUtf8(base, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
