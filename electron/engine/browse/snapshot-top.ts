/**
 * A new view's first row ids from the version's columnar snapshot instead of a PostgreSQL top-N
 * over every row: the view's columns, kept as numbers between views, are filtered and ordered in
 * a few passes over typed arrays (./typed-view; Polars for plain text filters, ./snapshot-view),
 * and the rows per block (./blocks) turn file positions into ctids.
 *
 * The block table costs one scan of the table, so it is read in the background after the answer
 * of a version's first sorted or filtered view (`warm`), never while a view waits. Until it is
 * ready, a sorted view's answer is the snapshot's bound on PostgreSQL's own top-N (./threshold),
 * which PostgreSQL's answer verifies itself. After that same answer the version's other columns
 * are read ahead as codes (./snapshot-columns), one at a time while no view is computed, so the
 * next views only run their passes.
 *
 * Used only when it is exact, else the caller runs PostgreSQL's query unchanged:
 * - the snapshot (or the import's frame, proven equal to the table and still in memory) is this
 *   version's (table, import time, rows, column types) and holds every sort and filter column;
 *   both are in file order: the import's frame is the COPY's own records, and the loader
 *   (analysis/load.ts) reads the table in block order;
 * - the database sorts and lowercases text as C does (datcollate, datctype, the columns'
 *   collations), the order of the snapshot's codes and of Polars' strings;
 * - the table's blocks are dense, in file order (./blocks);
 * - the view's sort keys and filters have an exact form here (./snapshot-view, ./typed-view).
 * The caller reads the rows by ctid and checks each against the snapshot's values of the view's
 * columns; a difference distrusts this version's snapshot for the life of the process.
 */
import type { DatasetVersionInfo } from '../../../shared/types';
import { takeImportFrame } from '../analysis/import-frame';
import { codedSnapshotColumns, readSnapshot, snapshotColumns } from '../analysis/snapshot';
import type { CodedFrame } from '../analysis/dictionary';
import { qualifiedTable } from '../catalog/catalog';
import type { Database } from '../db/database';
import { keepBlockTable, keptBlockTable, readBlockTable, type BlockStamp, type BlockTable } from './blocks';
import { CodeColumns } from './snapshot-columns';
import { typedRows } from './typed-view';
import { cellsAt, isWhole, snapshotRows, viewColumns, type NotExact } from './snapshot-view';
import type { Cell } from './values';
import type { ViewSql } from './view-sql';

/** Values the rows read by ctid must have: per row, the cells of these columns (indexes into the view's columns). */
export interface RowCheck {
  columns: number[];
  cells: Cell[][];
}

export interface SnapshotTop {
  rids: string[];
  complete: boolean;
  check: RowCheck;
}

/** Until the block table is ready: the sort keys of the view's `want`-th row, to bound PostgreSQL's top-N (./threshold). */
export interface SnapshotBound {
  at: Cell[];
  /** A block before which the rows equal to `at` that belong to the first rows surely lie (null: any). */
  beforeBlock: number | null;
}

/** Margin on the estimated block of a position: rows per block vary with the rows' widths. */
const BLOCK_MARGIN = 1.25;

const versionKey = (info: Pick<DatasetVersionInfo, 'table' | 'importedAt'>, oid: number) =>
  `${info.table}\u0000${info.importedAt}\u0000${oid}`;

const LOOK_AGAIN_MS = 5_000;
/** Between two columns read ahead: requests that came meanwhile go first. */
const READ_AHEAD_PAUSE_MS = 20;

/** OIDs of the collations `default`, `C` and `POSIX` (fixed in PostgreSQL's catalog). */
const C_LIKE_COLLATIONS = [0, 100, 950, 951];

export class SnapshotTops {
  /** Why the last `top` did not use the snapshot, '' when it did (tests and logs). */
  lastReason = '';
  private readonly blocks = new Map<string, Promise<BlockTable | null>>();
  /** The settled values of `blocks` (same keys). */
  private readonly readyBlocks = new Map<string, BlockTable | null>();
  /** Block tables kept in the database by earlier processes, looked up once per version. */
  private readonly kept = new Map<string, Promise<{ table: BlockTable | null; stamp: BlockStamp | null }>>();
  private readonly collations = new Map<string, Promise<boolean>>();
  private readonly distrusted = new Set<string>();
  private readonly sizes = new Map<string, Promise<number>>();
  private readonly codes = new CodeColumns();
  /** Versions whose columns are being (or were) read ahead. */
  private readonly readingAhead = new Map<string, Promise<void>>();
  /** Views being computed: reading ahead waits for none. */
  private computing = 0;
  /** When `warm` last looked for a version's snapshot. */
  private readonly lookedAt = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly home: string,
  ) {}

  /** Starts what the fast path needs from PostgreSQL for this version (one scan), in the background; call it after an answer. */
  warm(info: DatasetVersionInfo, oid: number): void {
    const key = versionKey(info, oid);
    if (this.blocks.has(key)) return;
    // Only for a version with a snapshot (looked for at most every few seconds: pages come fast).
    const now = Date.now();
    if (now - (this.lookedAt.get(key) ?? -Infinity) < LOOK_AGAIN_MS) return;
    this.lookedAt.set(key, now);
    if (this.lookedAt.size > 100) this.lookedAt.delete(this.lookedAt.keys().next().value as string);
    if (!snapshotColumns(this.home, info).length && !takeImportFrame(this.home, info, [])) return;
    this.blockTable(info, oid).catch(() => undefined);
    this.collationIsC(info, oid).catch(() => undefined);
    this.readAhead(info, oid);
  }

  /**
   * The version's other columns as codes, one at a time whenever no view is being computed, so
   * the next views of the version skip reading and converting them (tens of milliseconds each at
   * 3.3 M rows). Only columns converted cheaply (coded text, whole numbers, dates, booleans; plain
   * text is ranked by a sort), within the kept columns' budget.
   */
  private readAhead(info: DatasetVersionInfo, oid: number): void {
    const key = versionKey(info, oid);
    if (this.readingAhead.has(key)) return;
    let done: () => void = () => undefined;
    this.readingAhead.set(key, new Promise<void>((resolve) => (done = resolve)));
    if (this.readingAhead.size > 100) this.readingAhead.delete(this.readingAhead.keys().next().value as string);
    const texts = info.columns.filter((c) => c.type === 'text').map((c) => c.identifier);
    const offered = takeImportFrame(this.home, info, texts);
    const coded = new Set(offered ? Object.keys(offered.dictionaries) : codedSnapshotColumns(this.home, info));
    const queue = info.columns.filter(
      (c) => isWhole(c) || c.type === 'date' || c.type === 'boolean' || (c.type === 'text' && coded.has(c.identifier)),
    );
    const step = () => {
      if (this.computing > 0) {
        setTimeout(step, READ_AHEAD_PAUSE_MS);
        return;
      }
      const column = queue.shift();
      let more = false;
      try {
        more =
          column !== undefined &&
          !this.distrusted.has(key) &&
          this.hasSnapshot(info, [column.identifier]) &&
          this.codes.readAhead(info, column, (ids) => this.frameOf(info, ids));
      } catch {
        // An optimisation: the views read what they need themselves.
      }
      if (more) setTimeout(step, READ_AHEAD_PAUSE_MS);
      else done();
    };
    setTimeout(step, READ_AHEAD_PAUSE_MS);
  }

  /** Settles when the version's columns have been read ahead (tests); undefined when that has not started. */
  readAheadDone(info: DatasetVersionInfo, oid: number): Promise<void> | undefined {
    return this.readingAhead.get(versionKey(info, oid));
  }

  /**
   * The first `want` row ids of the view from the snapshot; while the version's block table is
   * being built, the bound of a sorted view's first rows instead; or null (see `lastReason`).
   * `blocks`: use the block table if it is ready, wait for it, or answer the bound regardless.
   */
  async top(
    info: DatasetVersionInfo,
    oid: number,
    sql: ViewSql,
    want: number,
    blocks: 'ifReady' | 'wait' | 'bound' = 'ifReady',
  ): Promise<SnapshotTop | SnapshotBound | null> {
    let result: SnapshotTop | SnapshotBound | NotExact;
    this.computing++;
    try {
      result = await this.compute(info, oid, sql, want, blocks);
    } catch (err) {
      result = { reason: `failed: ${(err as Error).message}` };
    } finally {
      this.computing--;
    }
    if ('reason' in result) {
      this.lastReason = result.reason;
      return null;
    }
    this.lastReason = '';
    return result;
  }

  /** Rows read by ctid differed from the snapshot: this version's snapshot is not used again. */
  distrust(info: DatasetVersionInfo, oid: number): void {
    this.distrusted.add(versionKey(info, oid));
  }

  private async compute(
    info: DatasetVersionInfo,
    oid: number,
    sql: ViewSql,
    want: number,
    use: 'ifReady' | 'wait' | 'bound',
  ): Promise<SnapshotTop | SnapshotBound | NotExact> {
    if (this.distrusted.has(versionKey(info, oid))) return { reason: 'rows read by ctid differed from the snapshot' };
    const columns = viewColumns(sql);
    if ('reason' in columns) return columns;
    // Only `wait` starts the block table here; otherwise `warm` does, after an answer.
    const blocks = use === 'wait' ? this.blockTable(info, oid) : null;
    blocks?.catch(() => undefined); // awaited below, after the snapshot's work
    const key = versionKey(info, oid);
    // Asked first, answered by PostgreSQL while this thread computes: the collation, and when this
    // process has no block table yet, a copy kept by an earlier one and the table's size (the bound).
    const collation = this.collationIsC(info, oid);
    collation.catch(() => undefined);
    const unread = !blocks && use !== 'bound' && !this.readyBlocks.has(key);
    const kept = unread ? this.keptBlocks(info, oid).catch(() => null) : null;
    if (sql.sort.length && !blocks && !this.readyBlocks.get(key)) this.relationBlocks(info, oid).catch(() => undefined);
    if (!this.hasSnapshot(info, columns))
      return (await collation) ? { reason: 'no snapshot of these columns' } : { reason: 'text is not in C collation' };
    const load = (ids: string[]) => this.frameOf(info, ids);
    const codes = this.codes.get(
      info,
      columns.map((id) => sql.columns.find((c) => c.identifier === id)!),
      load,
    );
    let rows = codes ? typedRows(info, codes, sql, want) : null;
    if (!rows || 'reason' in rows) {
      // Plain text filters and the like: Polars on the snapshot's own columns.
      const coded = load(columns);
      if (!coded) return { reason: 'no snapshot of these columns' };
      rows = snapshotRows(coded, sql, want);
    }
    if (!(await collation)) return { reason: 'text is not in C collation' };
    if ('reason' in rows) return rows;
    const table = blocks
      ? await blocks
      : use === 'bound'
        ? undefined
        : unread
          ? ((await kept)?.table ?? undefined)
          : this.readyBlocks.get(key);
    if (table === undefined) {
      if (!sql.sort.length || rows.complete) return { reason: 'the block table is not ready' };
      const last = rows.positions.length - 1;
      const blocks = await this.relationBlocks(info, oid);
      const estimate = Math.ceil(((rows.positions[last]! + 1) * blocks * BLOCK_MARGIN) / Math.max(1, info.rows)) + 1;
      const at = rows.lastKeys ?? this.keysAt(info, sql, rows.positions[last]!);
      if (!at) return { reason: 'the block table is not ready' };
      return { at, beforeBlock: estimate < blocks ? estimate : null };
    }
    if (!table) return { reason: 'the table is not in file order (block table)' };
    return {
      rids: rows.positions.map((p) => table.rid(p)),
      complete: rows.complete,
      check: { columns: rows.checkColumns.map((c) => sql.columns.findIndex((x) => x.identifier === c)), cells: rows.cells },
    };
  }

  /** The version's columns in file order: the import's proven frame while in memory, else the snapshot. */
  private frameOf(info: DatasetVersionInfo, columns: string[]): CodedFrame | null {
    const offered = takeImportFrame(this.home, info, columns);
    if (offered && !offered.proven) return { frame: offered.frame, dictionaries: offered.dictionaries };
    return readSnapshot(this.home, info, columns);
  }

  /** The sort keys of the row at this position, read from the snapshot (plain text held as ranks has no text). */
  private keysAt(info: DatasetVersionInfo, sql: ViewSql, position: number): Cell[] | null {
    const coded = this.frameOf(
      info,
      sql.sort.map((k) => k.column),
    );
    return (
      coded &&
      sql.sort.map(
        (k) =>
          cellsAt(
            coded,
            sql.columns.find((c) => c.identifier === k.column)!,
            [position],
          )[0]!,
      )
    );
  }

  /** Whether the version's proven frame or valid snapshot holds these columns (checked before kept columns are used). */
  private hasSnapshot(info: DatasetVersionInfo, columns: string[]): boolean {
    const offered = takeImportFrame(this.home, info, columns);
    if (offered && !offered.proven) return true;
    const valid = new Set(snapshotColumns(this.home, info));
    return columns.every((c) => valid.has(c));
  }

  /** The table's size in blocks (empty ones at its end included). */
  private relationBlocks(info: DatasetVersionInfo, oid: number): Promise<number> {
    const key = versionKey(info, oid);
    let size = this.sizes.get(key);
    if (!size) {
      size = this.db
        .query<{ blocks: string }>(`SELECT pg_relation_size($1::oid) / current_setting('block_size')::int8 AS blocks`, [oid])
        .then((r) => Number(r.rows[0]!.blocks));
      size.catch(() => this.sizes.delete(key));
      this.sizes.set(key, size);
    }
    return size;
  }

  /** The block table a previous process kept in the database, if it still holds (./blocks); read once per version. */
  private keptBlocks(info: DatasetVersionInfo, oid: number): Promise<{ table: BlockTable | null; stamp: BlockStamp | null }> {
    const key = versionKey(info, oid);
    let kept = this.kept.get(key);
    if (!kept) {
      kept = keptBlockTable(this.db, oid, info.importedAt, info.rows);
      kept.catch(() => this.kept.delete(key));
      this.kept.set(key, kept);
      if (this.kept.size > 100) this.kept.delete(this.kept.keys().next().value as string);
    }
    return kept;
  }

  /** The version's block table: the kept copy, else one scan (then kept for the next processes). */
  private blockTable(info: DatasetVersionInfo, oid: number): Promise<BlockTable | null> {
    const key = versionKey(info, oid);
    let table = this.blocks.get(key);
    if (!table) {
      table = (async () => {
        const kept = await this.keptBlocks(info, oid).catch(() => ({ table: null, stamp: null }));
        if (kept.table) return kept.table;
        const read = await readBlockTable(this.db, qualifiedTable(info.table), info.rows);
        if (read && kept.stamp) void keepBlockTable(this.db, oid, kept.stamp, read).catch(() => undefined);
        return read;
      })();
      table.then(
        (ready) => this.readyBlocks.set(key, ready),
        () => this.blocks.delete(key),
      );
      this.blocks.set(key, table);
    }
    return table;
  }

  /** Whether the database and the table's columns sort and lowercase text as C does. */
  private collationIsC(info: DatasetVersionInfo, oid: number): Promise<boolean> {
    const key = versionKey(info, oid);
    let answer = this.collations.get(key);
    if (!answer) {
      answer = this.db
        .query<{ c: boolean | null }>(
          `SELECT d.datcollate IN ('C', 'POSIX') AND d.datctype IN ('C', 'POSIX')
                  AND coalesce(to_jsonb(d) ->> 'datlocprovider', 'c') = 'c'
                  AND (SELECT coalesce(bool_and(a.attcollation = ANY($2::oid[])), true) FROM pg_attribute a
                       WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped) AS c
           FROM pg_database d WHERE d.datname = current_database()`,
          [oid, C_LIKE_COLLATIONS],
        )
        .then((r) => r.rows[0]?.c === true);
      answer.catch(() => this.collations.delete(key));
      this.collations.set(key, answer);
    }
    return answer;
  }
}
