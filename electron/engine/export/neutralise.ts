/**
 * Spreadsheet formula neutralisation of CSV (the rule is in shared/csv.ts), applied on the fly
 * to PostgreSQL's CSV output. Numbers stay numbers; only text cells are touched.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { FORMULA_TRIGGERS } from '../../../shared/csv';

export { needsNeutralising, neutraliseText } from '../../../shared/csv';

const TRIGGER_BYTES = new Uint8Array(256);
for (const c of FORMULA_TRIGGERS) TRIGGER_BYTES[c.charCodeAt(0)] = 1;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const APOSTROPHE = 0x27;
const APOSTROPHE_BUFFER = Buffer.from([APOSTROPHE]);

/**
 * Rewrites PostgreSQL's CSV output (COPY … TO STDOUT, comma, double quotes, LF records) on the
 * fly: at the start of each field of a text column, inserts ' when the field's first character
 * (inside the quotes for a quoted field) is a trigger. Counts records and neutralised cells.
 * A byte-level state machine: no parsing into strings, so it keeps up with COPY.
 */
export class CsvNeutraliser extends Transform {
  records = 0;
  neutralised = 0;
  private column = 0;
  private atFieldStart = true;
  private inQuotes = false;
  /** A quote inside a quoted field: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  /** Just after an opening quote: the next byte is the field's first character. */
  private afterOpeningQuote = false;

  constructor(private readonly textColumns: boolean[]) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.textColumns;
    const pieces: Buffer[] = [];
    let from = 0;
    const insertBefore = (i: number) => {
      pieces.push(chunk.subarray(from, i), APOSTROPHE_BUFFER);
      from = i;
      this.neutralised++;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.afterOpeningQuote) {
        this.afterOpeningQuote = false;
        if (b !== QUOTE && TRIGGER_BYTES[b] && text[this.column]) insertBefore(i);
        if (b !== QUOTE) continue;
        // "" right after the opening quote: an escaped quote or an empty field; fall through.
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (b === QUOTE) continue; // doubled quote inside the field
          this.inQuotes = false; // the previous quote closed the field: handle b below
        } else {
          if (b === QUOTE) this.quotePending = true;
          continue;
        }
      }
      if (this.atFieldStart) {
        this.atFieldStart = false;
        if (b === QUOTE) {
          this.inQuotes = true;
          this.afterOpeningQuote = true;
          continue;
        }
        if (TRIGGER_BYTES[b] && b !== CR && text[this.column]) insertBefore(i);
      }
      if (b === COMMA) {
        this.column++;
        this.atFieldStart = true;
      } else if (b === LF) {
        this.records++;
        this.column = 0;
        this.atFieldStart = true;
      }
    }
    if (from === 0) callback(null, chunk);
    else {
      pieces.push(chunk.subarray(from));
      callback(null, Buffer.concat(pieces));
    }
  }
}
