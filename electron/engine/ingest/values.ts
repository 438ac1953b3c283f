/**
 * Value checks on raw UTF-8 bytes (no strings on the hot path), each exactly as strict as the
 * PostgreSQL input function it guards, so COPY never fails on a value we let through. Formats
 * PostgreSQL cannot read as they are (decimal commas, US/European dates) have a `rewrite` that
 * gives the ISO text.
 */
import type { ColumnType } from '../../../shared/types';

type Bytes = Uint8Array;

const D0 = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const SLASH = 0x2f;
const COLON = 0x3a;
const SPACE = 0x20;

const isDigit = (c: number | undefined) => c !== undefined && c >= D0 && c <= D0 + 9;

function allDigits(b: Bytes, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    if ((b[i]! - D0) >>> 0 > 9) return false;
  }
  return true;
}

/** Digits ≤ the limit written as ASCII digits of the same length. */
function withinLimit(b: Bytes, s: number, limit: string): boolean {
  for (let k = 0; k < limit.length; k++) {
    const c = b[s + k]!;
    const l = limit.charCodeAt(k);
    if (c !== l) return c < l;
  }
  return true;
}

/**
 * An integer without sign `+`, leading zeros or `-0`: such values stay text so that codes like
 * ZIP `02134` keep their zeros.
 */
function integerWithin(b: Bytes, s: number, e: number, maxDigits: number, maxPos: string, maxNeg: string): boolean {
  let i = s;
  const negative = b[i] === MINUS;
  if (negative) i++;
  const n = e - i;
  if (n <= 0 || n > maxDigits) return false;
  if (b[i] === D0 && (n > 1 || negative)) return false;
  if (!allDigits(b, i, e)) return false;
  return n < maxDigits || withinLimit(b, i, negative ? maxNeg : maxPos);
}

export const isInt4 = (b: Bytes, s: number, e: number) => integerWithin(b, s, e, 10, '2147483647', '2147483648');
export const isInt8 = (b: Bytes, s: number, e: number) => integerWithin(b, s, e, 19, '9223372036854775807', '9223372036854775808');

/**
 * `-?(0|[1-9]\d*)([sep]\d+)?` : plain decimal notation with `.` or `,` as separator; not a
 * negative zero (numeric has none, so `-0.0` would read back as `0.0`).
 */
function isDecimal(b: Bytes, s: number, e: number, sep: number): boolean {
  let i = s;
  if (b[i] === MINUS) {
    i++;
    let nonZero = false;
    for (let k = i; k < e; k++) if (b[k] !== D0 && b[k] !== sep) nonZero = true;
    if (!nonZero) return false;
  }
  const intStart = i;
  while (i < e && isDigit(b[i])) i++;
  const intDigits = i - intStart;
  if (intDigits === 0) return false;
  if (intDigits > 1 && b[intStart] === D0) return false;
  if (i === e) return true;
  if (b[i] !== sep) return false;
  i++;
  if (i === e) return false;
  return allDigits(b, i, e);
}

export const isNumericDot = (b: Bytes, s: number, e: number) => isDecimal(b, s, e, DOT);
export const isNumericComma = (b: Bytes, s: number, e: number) => isDecimal(b, s, e, COMMA);

function textIs(b: Bytes, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (b[s + k] !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * A float8 value: decimal or scientific notation (no leading zeros), or NaN/Infinity; finite,
 * not flushed to zero, ≤ 15 significant digits so the stored double reads back as written.
 */
export function isDouble(b: Bytes, s: number, e: number): boolean {
  if (e - s >= 3 && b[s]! >= 0x41) return textIs(b, s, e, 'NaN') || textIs(b, s, e, 'Infinity');
  let i = s;
  if (b[i] === MINUS) {
    i++;
    if (textIs(b, i, e, 'Infinity')) return true;
  }
  const intStart = i;
  while (i < e && isDigit(b[i])) i++;
  if (i === intStart || (i - intStart > 1 && b[intStart] === D0)) return false;
  let significant = 0;
  let leading = true;
  for (let k = intStart; k < i; k++) {
    if (leading && b[k] === D0) continue;
    leading = false;
    significant++;
  }
  if (i < e && b[i] === DOT) {
    const fracStart = ++i;
    while (i < e && isDigit(b[i])) {
      if (!(leading && b[i] === D0)) {
        leading = false;
        significant++;
      }
      i++;
    }
    if (i === fracStart) return false;
  }
  if (significant > 15) return false;
  if (i === e) return true;
  if (b[i] !== 0x65 && b[i] !== 0x45) return false;
  i++;
  if (b[i] === MINUS || b[i] === 0x2b) i++;
  const expStart = i;
  while (i < e && isDigit(b[i])) i++;
  if (i !== e || i === expStart || i - expStart > 3) return false;
  const v = Number(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
  return Number.isFinite(v) && (v !== 0 || significant === 0);
}

/** The boolean spellings the import accepts (any case), each read by PostgreSQL as that value. */
export const TRUE_WORDS = ['true', 't', 'yes'];
export const FALSE_WORDS = ['false', 'f', 'no'];
const BOOL_WORDS = [...TRUE_WORDS, ...FALSE_WORDS];

/** Case-insensitive: true/false, t/f, yes/no. */
export function isBoolean(b: Bytes, s: number, e: number): boolean {
  const n = e - s;
  if (n < 1 || n > 5) return false;
  outer: for (const word of BOOL_WORDS) {
    if (word.length !== n) continue;
    for (let k = 0; k < n; k++) {
      if ((b[s + k]! | 0x20) !== word.charCodeAt(k)) continue outer;
    }
    return true;
  }
  return false;
}

/** Reads 1–2 (or exactly `exact`) digits at `i`; returns [value, next] or null. */
function digitsAt(b: Bytes, i: number, e: number, min: number, max: number): [number, number] | null {
  let v = 0;
  let k = i;
  while (k < e && k - i < max && isDigit(b[k])) {
    v = v * 10 + (b[k]! - D0);
    k++;
  }
  return k - i >= min ? [v, k] : null;
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return d <= days;
}

export interface ParsedDateTime {
  y: number;
  m: number;
  d: number;
  /** Time text `HH:MM:SS[.ffffff]`, or null for a date alone. */
  time: string | null;
}

/** `H:MM[:SS[.f{1,6}]]` at `i`, optionally followed by ` AM`/` PM` when `ampm`; must end at `e`. */
function parseTime(b: Bytes, i: number, e: number, ampm: boolean): string | null {
  const h = digitsAt(b, i, e, 1, 2);
  if (!h || b[h[1]] !== COLON) return null;
  const mi = digitsAt(b, h[1] + 1, e, 2, 2);
  if (!mi) return null;
  let k = mi[1];
  let sec = 0;
  let frac = '';
  if (b[k] === COLON) {
    const se = digitsAt(b, k + 1, e, 2, 2);
    if (!se) return null;
    sec = se[0];
    k = se[1];
    if (b[k] === DOT) {
      const fs = k + 1;
      k = fs;
      while (k < e && isDigit(b[k])) k++;
      if (k === fs || k - fs > 6) return null;
      frac = '.' + Buffer.from(b.buffer, b.byteOffset + fs, k - fs).toString('latin1');
    }
  }
  let hour = h[0];
  if (ampm && k + 3 === e && b[k] === SPACE) {
    const p = String.fromCharCode(b[k + 1]! | 0x20, b[k + 2]! | 0x20);
    if ((p !== 'am' && p !== 'pm') || hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (p === 'pm' ? 12 : 0);
    k = e;
  } else if (k + 1 === e && b[k] === 0x5a /* Z */) {
    k = e;
  }
  if (k !== e || hour > 23 || mi[0] > 59 || sec > 59) return null;
  const two = (v: number) => String(v).padStart(2, '0');
  return `${two(hour)}:${two(mi[0])}:${two(sec)}${frac}`;
}

export type DateOrder = 'iso' | 'mdy' | 'dmy';

/** A date, optionally with a time, in one of the orders; null when it is not one. */
export function parseDateTime(b: Bytes, s: number, e: number, order: DateOrder, allowTime: boolean): ParsedDateTime | null {
  let y: number, m: number, d: number, k: number;
  if (order === 'iso') {
    const py = digitsAt(b, s, e, 4, 4);
    if (!py || b[py[1]] !== MINUS) return null;
    const pm = digitsAt(b, py[1] + 1, e, 1, 2);
    if (!pm || b[pm[1]] !== MINUS) return null;
    const pd = digitsAt(b, pm[1] + 1, e, 1, 2);
    if (!pd) return null;
    [y, m, d, k] = [py[0], pm[0], pd[0], pd[1]];
  } else {
    const p1 = digitsAt(b, s, e, 1, 2);
    if (!p1) return null;
    const sep = b[p1[1]];
    if (sep !== SLASH && sep !== DOT) return null;
    if (sep === DOT && order === 'mdy') return null;
    const p2 = digitsAt(b, p1[1] + 1, e, 1, 2);
    if (!p2 || b[p2[1]] !== sep) return null;
    const py = digitsAt(b, p2[1] + 1, e, 4, 4);
    if (!py) return null;
    y = py[0];
    [m, d] = order === 'mdy' ? [p1[0], p2[0]] : [p2[0], p1[0]];
    k = py[1];
  }
  if (!validDate(y, m, d)) return null;
  if (k === e) return { y, m, d, time: null };
  if (!allowTime) return null;
  const sep = b[k];
  if (!(sep === SPACE || (order === 'iso' && sep === 0x54) /* T */)) return null;
  const time = parseTime(b, k + 1, e, order === 'mdy');
  return time ? { y, m, d, time } : null;
}

/** `YYYY-MM-DD`, and for a timestamp always ` HH:MM:SS[.f]` too (midnight when the value has no time). */
function isoText(p: ParsedDateTime, type: 'date' | 'timestamp'): string {
  const date = `${String(p.y).padStart(4, '0')}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
  return type === 'timestamp' ? `${date} ${p.time ?? '00:00:00'}` : date;
}

/** `d` digits at `i` (all within `e`). */
function digitsFrom(b: Bytes, i: number, d: number, e: number): boolean {
  if (i + d > e) return false;
  for (let k = i; k < i + d; k++) if (!isDigit(b[k])) return false;
  return true;
}

/** Already `YYYY-MM-DD` (a checked date). */
function isIsoDateText(b: Bytes, s: number, e: number): boolean {
  return (
    e - s === 10 &&
    b[s + 4] === MINUS &&
    b[s + 7] === MINUS &&
    digitsFrom(b, s, 4, e) &&
    digitsFrom(b, s + 5, 2, e) &&
    digitsFrom(b, s + 8, 2, e)
  );
}

/** Already `YYYY-MM-DD HH:MM:SS[.f{1,6}]` (a checked timestamp). */
function isIsoTimestampText(b: Bytes, s: number, e: number): boolean {
  if (e - s < 19 || !isIsoDateText(b, s, s + 10) || b[s + 10] !== SPACE) return false;
  if (b[s + 13] !== COLON || b[s + 16] !== COLON) return false;
  if (!digitsFrom(b, s + 11, 2, e) || !digitsFrom(b, s + 14, 2, e) || !digitsFrom(b, s + 17, 2, e)) return false;
  if (e - s === 19) return true;
  return b[s + 19] === DOT && e - s >= 21 && e - s <= 26 && digitsFrom(b, s + 20, e - s - 20, e);
}

/** How one column's values are checked and, if needed, rewritten for PostgreSQL. */
export interface ValueFormat {
  type: ColumnType;
  /** `iso`, `mdy`, `dmy` for dates and timestamps; `comma` for decimal commas; else `plain`. */
  format: 'plain' | 'comma' | DateOrder;
  check(b: Bytes, s: number, e: number): boolean;
  /** Present when PostgreSQL (or the analyses' frame) cannot read the value as written: the text to send instead. */
  rewrite?(b: Bytes, s: number, e: number): string;
  /** With `rewrite`: the value is already in the form `rewrite` gives, and is sent as it is. */
  canonical?(b: Bytes, s: number, e: number): boolean;
}

function dateFormat(type: 'date' | 'timestamp', order: DateOrder): ValueFormat {
  const allowTime = type === 'timestamp';
  const fmt: ValueFormat = {
    type,
    format: order,
    check: (b, s, e) => parseDateTime(b, s, e, order, allowTime) !== null,
  };
  // PostgreSQL reads every ISO spelling (`T`, `Z`, one-digit fields), but the import's frame is
  // parsed with one fixed format, so any other spelling is sent in that form: the same value for
  // PostgreSQL, whose `timestamp` ignores a `Z`. Values already in that form go as they are.
  fmt.rewrite = (b, s, e) => isoText(parseDateTime(b, s, e, order, allowTime)!, type);
  if (order === 'iso') fmt.canonical = allowTime ? isIsoTimestampText : isIsoDateText;
  return fmt;
}

export const FORMATS = {
  boolean: { type: 'boolean', format: 'plain', check: isBoolean },
  integer: { type: 'integer', format: 'plain', check: isInt4 },
  bigint: { type: 'bigint', format: 'plain', check: isInt8 },
  numeric: { type: 'numeric', format: 'plain', check: isNumericDot },
  numericComma: {
    type: 'numeric',
    format: 'comma',
    check: isNumericComma,
    rewrite: (b, s, e) =>
      Buffer.from(b.buffer, b.byteOffset + s, e - s)
        .toString('latin1')
        .replace(',', '.'),
  },
  double: { type: 'double', format: 'plain', check: isDouble },
  dateIso: dateFormat('date', 'iso'),
  dateMdy: dateFormat('date', 'mdy'),
  dateDmy: dateFormat('date', 'dmy'),
  timestampIso: dateFormat('timestamp', 'iso'),
  timestampMdy: dateFormat('timestamp', 'mdy'),
  timestampDmy: dateFormat('timestamp', 'dmy'),
  text: { type: 'text', format: 'plain', check: () => true },
} satisfies Record<string, ValueFormat>;

export type FormatName = keyof typeof FORMATS;

/** Inference preference: the first format every sampled value fits wins. */
export const INFERENCE_ORDER: FormatName[] = [
  'boolean',
  'integer',
  'bigint',
  'numeric',
  'numericComma',
  'double',
  'dateIso',
  'dateMdy',
  'dateDmy',
  'timestampIso',
  'timestampMdy',
  'timestampDmy',
  'text',
];

/** Where a column goes when a value breaks its format: the next wider format, ending at text. */
export const WIDENING: Record<FormatName, FormatName[]> = {
  boolean: ['text'],
  integer: ['bigint', 'numeric', 'text'],
  bigint: ['numeric', 'text'],
  numeric: ['text'],
  numericComma: ['text'],
  double: ['text'],
  dateIso: ['timestampIso', 'text'],
  dateMdy: ['timestampMdy', 'text'],
  dateDmy: ['timestampDmy', 'text'],
  timestampIso: ['text'],
  timestampMdy: ['text'],
  timestampDmy: ['text'],
  text: [],
};

/** The format used when the caller forces a column type. */
export const FORCED_FORMAT: Record<ColumnType, FormatName> = {
  boolean: 'boolean',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  double: 'double',
  date: 'dateIso',
  timestamp: 'timestampIso',
  text: 'text',
};
