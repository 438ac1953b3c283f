/**
 * What the importer learns before loading: encoding, dialect, header and inferred column types,
 * from the first megabytes of the file plus a few probes spread through it (so a column whose
 * values change halfway is likely seen before loading rather than fixed by a reload).
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { StudioError } from '../../../shared/errors';
import { createTranscoder, detectEncoding, type TextEncoding } from './encoding';
import { sniffDialect, type Dialect } from './dialect';
import { FieldKind, RecordFlaw, RecordScanner, ScanStatus } from './scanner';
import { TypeSurvey } from './infer';
import type { Arrival } from './arriving';

const HEAD_BYTES = 4 * 1024 * 1024;
const MAX_HEAD_BYTES = 64 * 1024 * 1024;
const MIN_HEAD_ROWS = 100;
const PROBE_BYTES = 256 * 1024;
const PROBES = 16;
const SNIFF_CHARS = 64 * 1024;
/** PostgreSQL's limit on the columns of a table. */
export const MAX_COLUMNS = 1600;

function tooWide(columns: number): StudioError {
  return new StudioError(
    'CSV_TOO_WIDE',
    `The file has ${columns.toLocaleString('en-US')} columns; a PostgreSQL table holds at most ${MAX_COLUMNS.toLocaleString('en-US')}.`,
    { columns, max: MAX_COLUMNS },
  );
}

export interface FileProfile {
  bytes: number;
  encoding: TextEncoding;
  bomBytes: number;
  dialect: Dialect;
  /** Header names as written. */
  header: string[];
  /** Line of the header (after leading blank lines). */
  headerLine: number;
  survey: TypeSurvey;
  sampledRows: number;
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Reads from the file; bytes of a file still arriving are waited for first. */
function readerOf(fd: fs.promises.FileHandle, size: number, arrival: Arrival | undefined, signal: AbortSignal | undefined): ReadAt {
  return async (position, length) => {
    await arrival?.ready(position, Math.min(size, position + length), signal);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fd.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  };
}

function toUtf8(bytes: Uint8Array, encoding: TextEncoding, final: boolean): Buffer {
  const transcode = createTranscoder(encoding);
  return transcode ? transcode(bytes, final) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Feeds complete, well-formed records with the right field count to the survey; returns how many. */
function observeRecords(
  scanner: RecordScanner,
  buf: Buffer,
  pos: number,
  final: boolean,
  survey: TypeSurvey,
  columns: number,
): { seen: number; matching: number } {
  let seen = 0;
  let matching = 0;
  // Whole records end at or before the last line break: one UTF-8 check covers them unless it fails.
  const lastBreak = final ? buf.length : Math.max(buf.lastIndexOf(0x0a), buf.lastIndexOf(0x0d)) + 1;
  const checkEach = !isUtf8(buf.subarray(pos, Math.max(pos, lastBreak)));
  while (pos < buf.length && scanner.scan(buf, pos, buf.length, final) === ScanStatus.Complete) {
    const start = pos;
    pos = scanner.next;
    if (scanner.isBlank()) continue;
    seen++;
    if (scanner.fieldCount !== columns || scanner.flaw !== RecordFlaw.None) continue;
    if (checkEach && !isUtf8(buf.subarray(start, scanner.recordEnd))) continue;
    matching++;
    for (let c = 0; c < columns; c++) {
      const s = scanner.starts[c]!;
      const e = scanner.ends[c]!;
      if (s === e) continue;
      const kind = scanner.kinds[c];
      if (kind === FieldKind.Plain || kind === FieldKind.Quoted) survey.observe(c, buf, s, e);
      else survey.observeText(c);
    }
  }
  return { seen, matching };
}

interface Head {
  whole: boolean;
  encoding: TextEncoding;
  bomBytes: number;
  dialect: Dialect;
  header: string[] | null;
  headerLine: number;
  survey: TypeSurvey | null;
  sampledRows: number;
  scanner: RecordScanner;
}

/** Where the probes read: evenly spread after the head. */
function probeOffsets(size: number, bomBytes: number, headBytes: number): number[] {
  const span = size - bomBytes;
  const offsets: number[] = [];
  for (let k = 1; k <= PROBES; k++) {
    const offset = bomBytes + Math.floor((span * k) / (PROBES + 1));
    if (offset >= headBytes) offsets.push(offset);
  }
  return offsets;
}

async function readHead(readAt: ReadAt, size: number, headBytes: number): Promise<Head> {
  const head = await readAt(0, Math.min(size, headBytes));
  const whole = head.length >= size;
  const rawProbes = whole ? [] : await Promise.all(probeOffsets(size, 0, headBytes).map((offset) => readAt(offset, PROBE_BYTES)));
  const { encoding, bomBytes } = detectEncoding(head, rawProbes);
  const text = toUtf8(head.subarray(bomBytes), encoding, whole);
  const dialect = sniffDialect(text.subarray(0, SNIFF_CHARS).toString('utf8'), whole && text.length <= SNIFF_CHARS);
  const scanner = new RecordScanner(dialect.delimiter.charCodeAt(0));
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    if (scanner.scan(text, pos, text.length, whole) !== ScanStatus.Complete) break;
    const recordLine = line;
    line += scanner.innerLines + (scanner.next > scanner.recordEnd ? 1 : 0);
    pos = scanner.next;
    if (scanner.isBlank()) continue;
    if (scanner.flaw !== RecordFlaw.None) {
      throw new StudioError('CSV_MALFORMED', `Line ${recordLine}: the header line has a quote that is not closed properly.`, {
        line: recordLine,
      });
    }
    // Checked before any per-column state exists: a header of millions of delimiters costs nothing.
    if (scanner.fieldCount > MAX_COLUMNS) throw tooWide(scanner.fieldCount);
    const header = Array.from({ length: scanner.fieldCount }, (_, f) => scanner.fieldText(text, f));
    const survey = new TypeSurvey(header.length, dialect.delimiter);
    const sampledRows = observeRecords(scanner, text, pos, whole, survey, header.length).matching;
    return { whole, encoding, bomBytes, dialect, header, headerLine: recordLine, survey, sampledRows, scanner };
  }
  return { whole, encoding, bomBytes, dialect, header: null, headerLine: line, survey: null, sampledRows: 0, scanner };
}

/**
 * The byte ranges `profileFile` reads when the head holds enough records: an upload that sends
 * these first lets the import start before the rest of the file has arrived. (Padded by a few
 * bytes: the probes move with the byte-order mark.)
 */
export function sampledRanges(size: number): Array<[start: number, end: number]> {
  const head: [number, number] = [0, Math.min(size, HEAD_BYTES)];
  if (size <= HEAD_BYTES) return [head];
  return [
    head,
    ...probeOffsets(size, 0, HEAD_BYTES).map((o): [number, number] => [Math.max(0, o - 2), Math.min(size, o + PROBE_BYTES + 4)]),
  ];
}

/** What the importer learns before loading; of a file still arriving (`arrival`), it waits for the bytes it reads. */
export async function profileFile(file: string, arrival?: Arrival, signal?: AbortSignal): Promise<FileProfile> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const size = arrival ? arrival.size : (await fd.stat()).size;
    const readAt = readerOf(fd, size, arrival, signal);
    // Read further when the head holds too few records (very long fields) to infer from.
    let headBytes = HEAD_BYTES;
    let h = await readHead(readAt, size, headBytes);
    if (size - h.bomBytes <= 0) throw new StudioError('CSV_EMPTY', 'The file is empty.', { file });
    while (!h.whole && h.sampledRows < MIN_HEAD_ROWS && headBytes < MAX_HEAD_BYTES) {
      headBytes *= 4;
      h = await readHead(readAt, size, headBytes);
    }
    const { encoding, bomBytes, dialect, header, survey, scanner } = h;
    if (!header || !survey) {
      if (h.whole) throw new StudioError('CSV_EMPTY', 'The file has no header line: it holds only blank lines.', { file });
      throw new StudioError(
        'CSV_MALFORMED',
        `The header line is longer than ${MAX_HEAD_BYTES / 1048576} MB; a quote is probably not closed.`,
        { line: 1 },
      );
    }
    let sampledRows = h.sampledRows;
    if (!h.whole) {
      for (let offset of probeOffsets(size, bomBytes, headBytes)) {
        if (encoding.startsWith('utf-16')) offset -= (offset - bomBytes) % 2;
        const probe = toUtf8(await readAt(offset, PROBE_BYTES), encoding, false);
        const lf = probe.indexOf(0x0a);
        const cr = probe.indexOf(0x0d);
        const firstBreak = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
        if (firstBreak < 0) continue;
        const start = firstBreak + (probe[firstBreak] === 0x0d && probe[firstBreak + 1] === 0x0a ? 2 : 1);
        // A probe that started inside a quoted field misreads records: use it only if its
        // records mostly have the header's field count. The survey is only a first guess.
        const trial = new TypeSurvey(header.length, dialect.delimiter);
        const { seen, matching } = observeRecords(scanner, probe, start, false, trial, header.length);
        if (seen > 0 && matching / seen >= 0.8) {
          survey.merge(trial);
          sampledRows += matching;
        }
      }
    }
    return { bytes: size, encoding, bomBytes, dialect, header, headerLine: h.headerLine, survey, sampledRows };
  } finally {
    await fd.close();
  }
}
