/**
 * The hot path's record scanner: walks UTF-8 bytes once, quote-aware, and finds where each
 * record and each field starts and ends, without creating strings. Grammar (RFC 4180 plus what
 * real files do): a field is quoted only if it starts with `"`; inside, `""` is a quote and line
 * breaks are data; a `"` inside an unquoted field is a literal character (the record is then
 * re-quoted before PostgreSQL sees it); text after a closing quote makes the record malformed.
 * Records end at LF, CR or CRLF; the last one may have no line break.
 */

export const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** How a field was written; decides whether its bytes can be checked and forwarded as they are. */
export const FieldKind = {
  Plain: 0,
  Quoted: 1,
  /** Quoted with `""` inside. */
  QuotedEscaped: 2,
  /** Unquoted but containing a `"`: needs re-quoting for PostgreSQL. */
  StrayQuote: 3,
} as const;

export const ScanStatus = {
  /** The buffer ends inside this record: call again with more bytes. */
  Incomplete: 0,
  Complete: 1,
} as const;
export type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

export const RecordFlaw = {
  None: 0,
  TextAfterQuote: 1,
  UnclosedQuote: 2,
} as const;
export type RecordFlaw = (typeof RecordFlaw)[keyof typeof RecordFlaw];

// Plain numbers in the loop (property reads on the objects above cost in the hot path).
const PLAIN = 0;
const QUOTED = 1;
const QUOTED_ESCAPED = 2;
const STRAY_QUOTE = 3;
const INCOMPLETE = 0;
const COMPLETE = 1;

/**
 * Field positions kept per record (above PostgreSQL's 1,600 columns). Past it fields are only
 * counted, so a line of millions of delimiters costs no memory per field.
 */
export const MAX_KEPT_FIELDS = 2048;

export class RecordScanner {
  /** Field content ranges of the last scanned record (inside the quotes for quoted fields). */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  kinds = new Uint8Array(64);
  fieldCount = 0;
  /** Offset of the record's line break (or of the end of data when it has none). */
  recordEnd = 0;
  /** Offset where the next record starts. */
  next = 0;
  /** Line breaks inside quoted fields of the record (for editor line numbers). */
  innerLines = 0;
  flaw: RecordFlaw = RecordFlaw.None;
  /** Index of the field with the flaw. */
  flawField = -1;
  /** True when any field is StrayQuote. */
  strayQuote = false;
  /** True when the record has more than MAX_KEPT_FIELDS fields (only the first ones are kept). */
  tooWide = false;
  private readonly special = new Uint8Array(256);

  constructor(readonly delimiter: number) {
    this.special[delimiter] = 1;
    this.special[LF] = 1;
    this.special[CR] = 1;
    this.special[QUOTE] = 1;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const kinds = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }

  /**
   * Scans one record starting at `pos` (which must be < `limit`). With `final`, the end of the
   * buffer is the end of the file, so the record is always complete.
   */
  scan(buf: Uint8Array, pos: number, limit: number, final: boolean): ScanStatus {
    const d = this.delimiter;
    const special = this.special;
    // Locals, not `this.x[...]`: this loop is the importer's hot path.
    let starts = this.starts;
    let ends = this.ends;
    let kinds = this.kinds;
    let capacity = starts.length;
    let i = pos;
    let f = 0;
    let lines = 0;
    let stray = false;
    let dropped = 0;
    this.flaw = RecordFlaw.None;
    this.flawField = -1;
    for (;;) {
      if (f >= capacity && capacity >= MAX_KEPT_FIELDS) {
        // Count the field, keep writing into the last slot (this record is too wide to use anyway).
        dropped += f - capacity + 1;
        f = capacity - 1;
      } else if (f >= capacity) {
        this.grow();
        starts = this.starts;
        ends = this.ends;
        kinds = this.kinds;
        capacity = starts.length;
      }
      if (i < limit && buf[i] === QUOTE) {
        i++;
        const contentStart = i;
        let escaped = false;
        for (;;) {
          if (i >= limit) {
            if (!final) return INCOMPLETE;
            this.flaw = RecordFlaw.UnclosedQuote;
            this.flawField = f;
            starts[f] = contentStart;
            ends[f] = i;
            kinds[f] = QUOTED;
            return this.complete(f + 1 + dropped, limit, limit, lines, stray);
          }
          const c = buf[i]!;
          if (c === QUOTE) {
            if (i + 1 >= limit && !final) return INCOMPLETE;
            if (buf[i + 1] === QUOTE) {
              escaped = true;
              i += 2;
              continue;
            }
            break;
          }
          if (c === LF) lines++;
          else if (c === CR) {
            if (i + 1 >= limit && !final) return INCOMPLETE;
            if (buf[i + 1] !== LF) lines++;
          }
          i++;
        }
        starts[f] = contentStart;
        ends[f] = i;
        kinds[f] = escaped ? QUOTED_ESCAPED : QUOTED;
        i++; // the closing quote
        if (i < limit && buf[i] !== d && buf[i] !== LF && buf[i] !== CR) {
          // Text after the closing quote: keep reading to the end of the field so the record
          // boundary stays where a lenient reader would put it, and mark the record malformed.
          if (this.flaw === RecordFlaw.None) {
            this.flaw = RecordFlaw.TextAfterQuote;
            this.flawField = f;
          }
          while (i < limit) {
            const c = buf[i]!;
            if (c === d || c === LF || c === CR) break;
            i++;
          }
          ends[f] = i;
        }
      } else {
        starts[f] = i;
        while (i < limit && special[buf[i]!] === 0) i++;
        let kind = PLAIN;
        while (i < limit && buf[i] === QUOTE) {
          kind = STRAY_QUOTE;
          stray = true;
          i++;
          while (i < limit && special[buf[i]!] === 0) i++;
        }
        ends[f] = i;
        kinds[f] = kind;
      }
      if (i >= limit) {
        if (!final) return INCOMPLETE;
        return this.complete(f + 1 + dropped, limit, limit, lines, stray);
      }
      const c = buf[i]!;
      if (c === d) {
        f++;
        i++;
        continue;
      }
      if (c === LF) return this.complete(f + 1 + dropped, i, i + 1, lines, stray);
      // CR: alone or followed by LF
      if (i + 1 >= limit) {
        if (!final) return INCOMPLETE;
        return this.complete(f + 1 + dropped, i, i + 1, lines, stray);
      }
      return this.complete(f + 1 + dropped, i, buf[i + 1] === LF ? i + 2 : i + 1, lines, stray);
    }
  }

  private complete(fieldCount: number, recordEnd: number, next: number, lines: number, stray: boolean): ScanStatus {
    this.fieldCount = fieldCount;
    this.tooWide = fieldCount > MAX_KEPT_FIELDS;
    this.recordEnd = recordEnd;
    this.next = next;
    this.innerLines = lines;
    this.strayQuote = stray;
    return COMPLETE;
  }

  /** True when the last record is a blank line (one empty unquoted field). */
  isBlank(): boolean {
    return this.fieldCount === 1 && this.kinds[0] === PLAIN && this.ends[0] === this.starts[0];
  }

  /** The text of field `f` of the last record, unescaped. */
  fieldText(buf: Uint8Array, f: number): string {
    const text = Buffer.from(buf.buffer, buf.byteOffset + this.starts[f]!, this.ends[f]! - this.starts[f]!).toString('utf8');
    return this.kinds[f] === QUOTED_ESCAPED ? text.replace(/""/g, '"') : text;
  }
}
