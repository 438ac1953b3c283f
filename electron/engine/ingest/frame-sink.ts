/**
 * The import's second destination: the bytes of the accepted records, exactly as they go to
 * `COPY` (UTF-8, rejects left out, typed values already rewritten to the forms PostgreSQL
 * reads), are also parsed by Polars' CSV reader into the coded frame the analyses read. So
 * no PostgreSQL → Polars reload follows an import. Batches of whole records are parsed while
 * PostgreSQL works on its side of the COPY. Anything Polars cannot read the way PostgreSQL did
 * makes the sink give up quietly (`finish()` → null): the analyses then load from PostgreSQL as
 * before, and whatever it does build is proven equal to the table before it is trusted
 * (analysis/import-frame.ts). The costly part of that proof on the frame's side, hashing every
 * value of the text columns that stay plain text, is done here batch by batch, during the import.
 */
import pl, { type DataType } from 'nodejs-polars';
import type { DatasetColumn } from '../../../shared/types';
import { CARDINALITY_SAMPLE_ROWS, isCategoryLike } from '../analysis/columns';
import { encodeColumns, type CodedFrame } from '../analysis/dictionary';
import { PlainTextHashes } from '../analysis/snapshot-proof';
import type { Delimiter, LineEnding } from './dialect';
import { FALSE_WORDS, TRUE_WORDS } from './values';

const BATCH_BYTES = 16 * 1024 * 1024;
/**
 * Wider files build no frame: its proof and the early run are on the import's path before its
 * COMMIT, and their per-column costs (one Polars expression per column and figure) grow to many
 * seconds at 1,600 columns. Those files load from PostgreSQL as before.
 */
export const MAX_FRAME_COLUMNS = 256;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Parse types Polars reads exactly as PostgreSQL stored them. Dates, timestamps and booleans
 * arrive as text and are converted in `finish` (`converted`): the import sends dates and
 * timestamps in one ISO form (ingest/values.ts), and booleans in the six spellings it accepts.
 */
function parseType(column: DatasetColumn, categorical: boolean): DataType | null {
  switch (column.type) {
    case 'integer':
      return pl.Int32;
    case 'bigint':
      return pl.Int64;
    case 'double':
    case 'numeric':
      return pl.Float64;
    case 'date':
    case 'timestamp':
    case 'boolean':
      return pl.Utf8;
    case 'text':
      return categorical ? pl.Categorical : pl.Utf8;
    default:
      return null;
  }
}

/**
 * The typed column from its text, or null for a column read as it is. A quoted empty value of a
 * typed column is NULL in PostgreSQL (`FORCE_NULL`) and becomes null here too: the non-strict
 * parse gives null for it, as would any value Polars read differently, which the proof then sees.
 */
function converted(column: DatasetColumn): pl.Expr | null {
  const text = pl.col(column.identifier);
  switch (column.type) {
    case 'date':
      return text.str.strptime(pl.Date, '%Y-%m-%d');
    case 'timestamp':
      // nodejs-polars takes only Datetime('ms') here; the parse keeps the microseconds of %.f.
      return text.str.strptime(pl.Datetime('ms'), '%Y-%m-%d %H:%M:%S%.f').cast(pl.Datetime('us'));
    case 'boolean': {
      const word = text.str.toLowerCase();
      return pl
        .when(word.isIn(TRUE_WORDS))
        .then(pl.lit(true))
        .when(word.isIn(FALSE_WORDS))
        .then(pl.lit(false))
        .otherwise(pl.lit(null))
        .cast(pl.Bool);
    }
    default:
      return null;
  }
}

/** What the sink built: the coded frame, and the hash sums of its plain text columns. */
export interface SinkFrame extends CodedFrame {
  plainTextHashes: Record<string, string>;
}

export class FrameSink {
  private pieces: Uint8Array[] = [];
  private hashes = new PlainTextHashes();
  private pieceBytes = 0;
  private frames: pl.DataFrame[] = [];
  private categorical: Set<string> | null = null;
  private failed = false;

  /**
   * Null when the file is too wide or has a column type the sink does not handle. Every line
   * ending is handled: the COPY stream ends each record with the file's first line break
   * (ingest/pass.ts rewrites any other), which is `lineEnding`; a CR-only file's records end in CR.
   */
  static create(columns: DatasetColumn[], delimiter: Delimiter, lineEnding: LineEnding, batchBytes = BATCH_BYTES): FrameSink | null {
    if (columns.length > MAX_FRAME_COLUMNS || columns.some((c) => parseType(c, false) === null)) return null;
    return new FrameSink(columns, delimiter, lineEnding === 'CR' ? CR : LF, batchBytes);
  }

  private constructor(
    private readonly columns: DatasetColumn[],
    private readonly delimiter: Delimiter,
    /** The byte that ends a record in the COPY stream: LF (also for CRLF, whose CR Polars drops) or CR. */
    private readonly eol: number,
    private readonly batchBytes: number,
  ) {}

  /** Takes a piece of the COPY stream (whole records, or a record's line break). */
  add(piece: Uint8Array): void {
    if (this.failed) return;
    this.pieces.push(piece);
    this.pieceBytes += piece.length;
    // A piece ending in the line break ends a record, so the batch holds whole records.
    if (this.pieceBytes >= this.batchBytes && piece[piece.length - 1] === this.eol) this.parseBatch();
  }

  private schema(): Record<string, DataType> {
    return Object.fromEntries(this.columns.map((c) => [c.identifier, parseType(c, this.categorical?.has(c.identifier) ?? false)!]));
  }

  private parseBatch(): void {
    if (!this.pieceBytes) return;
    const batch = Buffer.concat(this.pieces, this.pieceBytes);
    this.pieces = [];
    this.pieceBytes = 0;
    try {
      let df = pl.readCSV(batch, {
        hasHeader: false,
        schema: this.schema(),
        quoteChar: '"',
        sep: this.delimiter,
        eolChar: String.fromCharCode(this.eol),
        rechunk: false,
      });
      if (!this.categorical) {
        // The first rows decide which text columns are coded, as the PostgreSQL loader decides.
        this.categorical = this.categoryLike(df);
        const casts = [...this.categorical].map((c) => pl.col(c).cast(pl.Categorical));
        if (casts.length) df = df.withColumns(...casts);
      }
      for (const c of this.columns) {
        if (c.type === 'text' && !this.categorical.has(c.identifier)) this.hashes.add(c.identifier, df.getColumn(c.identifier));
      }
      this.frames.push(df);
    } catch (err) {
      this.giveUp(err);
    }
  }

  private categoryLike(first: pl.DataFrame): Set<string> {
    const text = this.columns.filter((c) => c.type === 'text').map((c) => c.identifier);
    if (!text.length) return new Set();
    const sample = first.head(CARDINALITY_SAMPLE_ROWS);
    const distinct = sample.select(...text.map((c) => pl.col(c).dropNulls().nUnique().alias(c)));
    return new Set(text.filter((c) => isCategoryLike(Number(distinct.getColumn(c).get(0)), sample.height)));
  }

  /** Why the sink gave up (the import logs it), or null while it has not. */
  givenUpBecause: string | null = null;

  private giveUp(err: unknown): void {
    this.givenUpBecause ??= err instanceof Error ? err.message : String(err);
    this.failed = true;
    this.pieces = [];
    this.pieceBytes = 0;
    this.frames = [];
    this.hashes = new PlainTextHashes();
  }

  /** The coded frame of every record added, or null when the sink gave up. */
  finish(): SinkFrame | null {
    this.parseBatch();
    if (this.failed) return null;
    try {
      let frame = this.frames.length
        ? this.frames.length === 1
          ? this.frames[0]!
          : pl.concat(this.frames, { how: 'vertical', rechunk: true })
        : pl.DataFrame(Object.fromEntries(this.columns.map((c) => [c.identifier, pl.Series(c.identifier, [], parseType(c, false)!)])));
      this.frames = [];
      const typed = this.columns.flatMap((c) => converted(c)?.alias(c.identifier) ?? []);
      if (typed.length) frame = frame.withColumns(...typed);
      return { ...encodeColumns(frame, [...(this.categorical ?? [])]), plainTextHashes: this.hashes.result() };
    } catch (err) {
      this.giveUp(err);
      return null;
    }
  }
}
