/**
 * One pass over the file: read in chunks, transcode to UTF-8 if needed, find records with the
 * scanner, check each record (field count, quoting, UTF-8, typed values), and hand the bytes of
 * good records to the sink — runs of consecutive good records as slices of the read buffer, not
 * copies. Bad records go to the rejects (skip) or stop the import (abort). When a value breaks an
 * inferred type, the column is widened and the pass goes on in survey mode (checking only) so the
 * caller can reload once with types that hold for the whole file.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import type { ColumnType } from '../../../shared/types';
import { createTranscoder, type TextEncoding } from './encoding';
import type { Delimiter } from './dialect';
import { arrivingChunks, type Arrival } from './arriving';
import type { RejectsWriter } from './rejects';
import { FieldKind, RecordScanner, ScanStatus, RecordFlaw } from './scanner';
import { FORMATS, WIDENING, type FormatName, type ValueFormat } from './values';

export const CHUNK_BYTES = 1 << 20;
/** A record longer than this stops the import: it is almost always an unclosed quote. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const JOINT_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const PLAIN: number = FieldKind.Plain;
const QUOTED: number = FieldKind.Quoted;
const QUOTED_ESCAPED: number = FieldKind.QuotedEscaped;
const INCOMPLETE: number = ScanStatus.Incomplete;

export interface Widening {
  identifier: string;
  from: ColumnType;
  to: ColumnType;
  /** Line (as an editor shows it) of the first value that broke the type, and that value. */
  line: number;
  value: string;
}

export interface PassOptions {
  file: string;
  bomBytes: number;
  encoding: TextEncoding;
  delimiter: Delimiter;
  names: string[];
  identifiers: string[];
  /** Current format per column; widened in place. */
  formats: FormatName[];
  forced: boolean[];
  onError: 'skip' | 'abort';
  typeMismatch: 'widen' | 'reject';
  signal: AbortSignal;
  /** Where good records go; null to only check (survey). */
  sink: { write(bytes: Uint8Array): Promise<void> } | null;
  rejects: RejectsWriter | null;
  /** Called once when the first widening turns the pass into a survey. */
  onWiden?: () => Promise<void>;
  /** Every raw chunk as read (for the checksum). */
  onRaw?: (chunk: Buffer) => void;
  onProgress?: (bytesRead: number, rows: number) => void;
  /** Read size (tests use tiny ones to put chunk boundaries everywhere). */
  chunkBytes?: number;
  /** The file is still arriving (browser-mode upload): each chunk is read once it is on disk. */
  arrival?: Arrival;
}

export interface PassResult {
  rows: number;
  rejected: number;
  blankLines: number;
  widened: Widening[];
  /** False when no header record was found (empty file or only blank lines). */
  headerFound: boolean;
}

interface Problem {
  /** 1-based column, when the problem is in one column. */
  column?: number;
  message: string;
  /** The message already names the column (field-count problems). */
  wholeRecord?: boolean;
}

function preview(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const ARTICLE_TYPE: Record<ColumnType, string> = {
  integer: 'an integer',
  bigint: 'a 64-bit integer',
  numeric: 'a decimal number',
  double: 'a floating-point number',
  boolean: 'a boolean',
  date: 'a date',
  timestamp: 'a timestamp',
  text: 'text',
};

export class LoadPass {
  private readonly scanner: RecordScanner;
  private readonly ncols: number;
  private typed: number[] = [];
  private rewriteCols: number[] = [];
  private formats: ValueFormat[] = [];
  private checks: Array<(b: Uint8Array, s: number, e: number) => boolean> = [];
  private mode: 'load' | 'survey';
  private line = 1;
  private headerDone = false;
  private eol0 = LF;
  private eol1 = -1;
  private eolBytes: Buffer = Buffer.from('\n');
  private rows = 0;
  private blankLines = 0;
  private readonly widened: Widening[] = [];
  private pendingWiden = false;
  private readonly delimiterByte: Buffer;

  constructor(private readonly o: PassOptions) {
    this.scanner = new RecordScanner(o.delimiter.charCodeAt(0));
    this.delimiterByte = Buffer.from(o.delimiter);
    this.ncols = o.identifiers.length;
    this.mode = o.sink ? 'load' : 'survey';
    this.refreshColumns();
  }

  private refreshColumns(): void {
    const formats: ValueFormat[] = this.o.formats.map((f) => FORMATS[f]);
    this.formats = formats;
    this.typed = formats.flatMap((f, i) => (f.type === 'text' ? [] : [i]));
    this.rewriteCols = formats.flatMap((f, i) => (f.rewrite ? [i] : []));
    this.checks = formats.map((f) => f.check);
  }

  async run(): Promise<PassResult> {
    const o = this.o;
    const transcode = createTranscoder(o.encoding);
    const chunkBytes = o.chunkBytes ?? CHUNK_BYTES;
    const stream = o.arrival
      ? arrivingChunks(o.arrival, o.bomBytes, chunkBytes, o.signal)
      : fs.createReadStream(o.file, { start: o.bomBytes, highWaterMark: chunkBytes });
    let bytesRead = o.bomBytes;
    let parts: Buffer[] = [];
    let partsBytes = 0;
    let waitFor = 0;
    const step = async (final: boolean) => {
      if (!final && parts.length === 2 && parts[0]!.length < JOINT_BYTES && parts[1]!.length > JOINT_BYTES) {
        // The usual case: a short partial record before a new chunk. Finish it on a small joint
        // buffer instead of copying the whole chunk behind it, then go on in the chunk itself.
        const [rest, chunk] = parts as [Buffer, Buffer];
        const consumed = await this.process(Buffer.concat([rest, chunk.subarray(0, JOINT_BYTES)]), false);
        if (consumed > rest.length) {
          parts = [chunk.subarray(consumed - rest.length)];
          partsBytes = parts[0]!.length;
        }
      }
      const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partsBytes);
      const consumed = await this.process(buf, final);
      const rest = buf.subarray(consumed);
      if (rest.length > MAX_RECORD_BYTES) {
        throw new StudioError(
          'CSV_MALFORMED',
          `Line ${this.line}: a record longer than ${MAX_RECORD_BYTES / 1048576} MB starts here; a quote is probably not closed.`,
          { line: this.line },
        );
      }
      parts = rest.length ? [rest] : [];
      partsBytes = rest.length;
      // A long record: wait for it to double before scanning it again (linear, not quadratic),
      // but never hold more than the cap: one byte past it is enough to refuse the record.
      waitFor = rest.length > chunkBytes ? Math.min(rest.length * 2, MAX_RECORD_BYTES + 1) : 0;
    };
    try {
      for await (const raw of stream as AsyncIterable<Buffer>) {
        throwIfCancelled(o.signal);
        bytesRead += raw.length;
        o.onRaw?.(raw);
        const chunk = transcode ? transcode(raw, false) : raw;
        parts.push(chunk);
        partsBytes += chunk.length;
        if (partsBytes >= waitFor) await step(false);
        o.onProgress?.(bytesRead, this.rows);
      }
      if (transcode) {
        const tail = transcode(new Uint8Array(0), true);
        if (tail.length) {
          parts.push(tail);
          partsBytes += tail.length;
        }
      }
      if (partsBytes) await step(true);
      throwIfCancelled(o.signal);
    } finally {
      stream.destroy();
    }
    return {
      rows: this.rows,
      rejected: o.rejects?.count ?? 0,
      blankLines: this.blankLines,
      widened: this.widened,
      headerFound: this.headerDone,
    };
  }

  /** Handles every complete record of `buf`; returns how many bytes were consumed. */
  private async process(buf: Buffer, final: boolean): Promise<number> {
    const sc = this.scanner;
    const limit = buf.length;
    const pieces: Uint8Array[] = [];
    let runStart = -1;
    let runEnd = -1;
    const flushRun = () => {
      if (runStart >= 0) pieces.push(buf.subarray(runStart, runEnd));
      runStart = -1;
    };
    // Whole records end at or before the last line break, so that region holds whole
    // characters: one native UTF-8/NUL check covers them all unless it fails.
    const checked = final ? limit : Math.max(buf.lastIndexOf(LF), buf.lastIndexOf(CR)) + 1;
    const region = buf.subarray(0, checked);
    const checkEach = region.indexOf(0) >= 0 || (this.o.encoding === 'utf-8' && !isUtf8(region));
    let pos = 0;
    while (pos < limit) {
      if (sc.scan(buf, pos, limit, final) === INCOMPLETE) break;
      const start = pos;
      const recordEnd = sc.recordEnd;
      const next = sc.next;
      const line = this.line;
      this.line += sc.innerLines + (next > recordEnd ? 1 : 0);
      pos = next;
      if (!this.headerDone) {
        if (!sc.isBlank()) this.acceptHeader(buf, recordEnd, next, line);
        continue;
      }
      if (sc.isBlank()) {
        flushRun();
        this.blankLines++;
        continue;
      }
      const problem = this.check(buf, start, recordEnd, line, checkEach);
      if (this.mode === 'survey') continue;
      if (problem) {
        flushRun();
        this.reject(problem, buf, start, recordEnd, line);
        continue;
      }
      this.rows++;
      if (sc.strayQuote || this.needsRewrite(buf, start, recordEnd)) {
        flushRun();
        pieces.push(this.rewrite(buf));
        continue;
      }
      if (runStart < 0) runStart = start;
      if (
        next > recordEnd &&
        !(
          next - recordEnd === (this.eol1 < 0 ? 1 : 2) &&
          buf[recordEnd] === this.eol0 &&
          (this.eol1 < 0 || buf[recordEnd + 1] === this.eol1)
        )
      ) {
        // A line break unlike the first record's: PostgreSQL wants one kind per COPY.
        runEnd = recordEnd;
        flushRun();
        pieces.push(this.eolBytes);
      } else {
        runEnd = next;
      }
    }
    flushRun();
    if (this.pendingWiden) {
      this.pendingWiden = false;
      await this.o.onWiden?.();
    }
    if (this.mode === 'load' && this.o.sink) {
      for (const piece of pieces) await this.o.sink.write(piece);
    }
    await this.o.rejects?.flush();
    return pos;
  }

  private acceptHeader(buf: Buffer, recordEnd: number, next: number, line: number): void {
    const sc = this.scanner;
    if (sc.flaw !== RecordFlaw.None) {
      throw new StudioError('CSV_MALFORMED', `Line ${line}: the header line has a quote that is not closed properly.`, { line });
    }
    if (sc.fieldCount !== this.ncols) {
      throw new StudioError('INTERNAL', `The header has ${sc.fieldCount} fields on this pass but ${this.ncols} when sampled.`);
    }
    this.headerDone = true;
    if (next > recordEnd) {
      this.eolBytes = Buffer.from(buf.subarray(recordEnd, next));
      this.eol0 = this.eolBytes[0]!;
      this.eol1 = this.eolBytes.length > 1 ? this.eolBytes[1]! : -1;
    }
  }

  private check(buf: Buffer, start: number, recordEnd: number, line: number, checkEach: boolean): Problem | null {
    const sc = this.scanner;
    if (sc.fieldCount !== this.ncols) {
      const column = sc.fieldCount < this.ncols ? sc.fieldCount + 1 : this.ncols + 1;
      const detail = column <= this.ncols ? `column ${column} ("${this.o.names[column - 1]}") is missing` : `column ${column} is extra`;
      return { column, message: `${sc.fieldCount} fields where the header has ${this.ncols} (${detail})`, wholeRecord: true };
    }
    if (sc.flaw === RecordFlaw.UnclosedQuote)
      return { column: sc.flawField + 1, message: 'a quoted field is not closed before the end of the file' };
    if (sc.flaw === RecordFlaw.TextAfterQuote)
      return { column: sc.flawField + 1, message: 'text after the closing quote of a quoted field' };
    if (checkEach) {
      const bytes = buf.subarray(start, recordEnd);
      if (this.o.encoding === 'utf-8' && !isUtf8(bytes)) return { message: 'bytes that are not valid UTF-8 (the file was read as UTF-8)' };
      const nul = bytes.indexOf(0);
      if (nul >= 0) return { message: 'a NUL byte, which PostgreSQL cannot store in text' };
    }
    const typed = this.typed;
    for (let t = 0; t < typed.length; t++) {
      const col = typed[t]!;
      const s = sc.starts[col]!;
      const e = sc.ends[col]!;
      if (s === e) continue;
      const kind = sc.kinds[col]!;
      if ((kind === PLAIN || kind === QUOTED) && this.checks[col]!(buf, s, e)) continue;
      const problem = this.mismatch(col, buf, s, e, kind, line);
      if (problem) return problem;
    }
    return null;
  }

  /** A value that does not fit its column's format: reject it, or widen the column. */
  private mismatch(col: number, buf: Buffer, s: number, e: number, kind: number, line: number): Problem | null {
    const value = this.scanner.fieldText(buf, col);
    const from = this.o.formats[col]!;
    const type = FORMATS[from].type;
    if (this.o.forced[col] || this.o.typeMismatch === 'reject') {
      return { column: col + 1, message: `"${preview(value)}" is not ${ARTICLE_TYPE[type]}` };
    }
    const plain = kind === PLAIN || kind === QUOTED;
    const to = WIDENING[from].find((f) => f === 'text' || (plain && FORMATS[f].check(buf, s, e))) ?? 'text';
    this.o.formats[col] = to;
    this.widened.push({ identifier: this.o.identifiers[col]!, from: type, to: FORMATS[to].type, line, value: preview(value) });
    this.refreshColumns();
    if (this.mode === 'load') {
      this.mode = 'survey';
      this.pendingWiden = true;
    }
    return null;
  }

  private reject(problem: Problem, buf: Buffer, start: number, recordEnd: number, line: number): void {
    const where =
      problem.column === undefined || problem.wholeRecord ? '' : `column ${problem.column} ("${this.o.names[problem.column - 1]}"): `;
    const reason = where + problem.message;
    if (this.o.onError === 'abort') {
      throw new StudioError('CSV_MALFORMED', `Line ${line}${where ? ', ' : ': '}${reason}`, {
        line,
        column: problem.column ?? null,
        columnName: problem.column !== undefined ? (this.o.names[problem.column - 1] ?? null) : null,
        reason: problem.message,
      });
    }
    this.o.rejects?.add({ line, reason, text: buf.subarray(start, recordEnd).toString('utf8') });
  }

  private needsRewrite(buf: Buffer, start: number, recordEnd: number): boolean {
    const sc = this.scanner;
    for (const col of this.rewriteCols) {
      const s = sc.starts[col]!;
      const e = sc.ends[col]!;
      if (e > s && !this.formats[col]!.canonical?.(buf, s, e)) return true;
    }
    // `\.` alone on a line ends COPY data for servers before PostgreSQL 18.
    return this.ncols === 1 && recordEnd - start === 2 && buf[start] === 0x5c && buf[start + 1] === 0x2e;
  }

  /** The record re-written field by field: typed values in ISO form, stray quotes re-quoted. */
  private rewrite(buf: Buffer): Buffer {
    const sc = this.scanner;
    const parts: Uint8Array[] = [];
    for (let f = 0; f < this.ncols; f++) {
      if (f > 0) parts.push(this.delimiterByte);
      const s = sc.starts[f]!;
      const e = sc.ends[f]!;
      const kind = sc.kinds[f]!;
      const format = this.formats[f]!;
      if (s !== e && format.rewrite && !format.canonical?.(buf, s, e)) parts.push(Buffer.from(format.rewrite(buf, s, e)));
      else if (kind === PLAIN)
        parts.push(this.ncols === 1 && e - s === 2 && buf[s] === 0x5c && buf[s + 1] === 0x2e ? Buffer.from('"\\."') : buf.subarray(s, e));
      else if (kind === QUOTED || kind === QUOTED_ESCAPED) parts.push(buf.subarray(s - 1, e + 1));
      else parts.push(Buffer.from(`"${buf.subarray(s, e).toString('utf8').replace(/"/g, '""')}"`));
    }
    parts.push(this.eolBytes);
    return Buffer.concat(parts);
  }
}
