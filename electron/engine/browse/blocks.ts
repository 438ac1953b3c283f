/**
 * Row positions (0-based, file order) → row ids, for a table filled in file order by one COPY
 * (or CREATE TABLE AS): such a table's heap holds its rows block after block, each block's line
 * pointers dense from 1, in insertion order. So the rows per block are all it takes: position p
 * lies in the block whose cumulative count first passes p, at offset p − (rows before it) + 1.
 *
 * The table of rows per block is one scan (`GROUP BY` block) and is trusted only when it proves
 * the layout: blocks 0…B−1 all present, every block's highest line pointer equal to its live row
 * count (a deleted or updated row leaves a gap or a higher pointer), and the counts adding up to
 * the version's rows. Anything else answers null: the caller uses PostgreSQL's own order.
 *
 * Kept in memory, and in the database for the next processes (`browse.m<oid>_blocks`, named like
 * the table's row maps so the catalog's delete drops it with them, ./row-maps). The kept copy is
 * used only while its stamp still holds: the version's import time, the table's file node (a
 * rewrite changes it) and PostgreSQL's count of rows inserted, updated and deleted in it (a row
 * changed by hand changes it; reset statistics only cost a scan). Tables do not change after
 * import; one changed by hand under a running engine is caught by the check of the rows read.
 */
import type { Database } from '../db/database';
import { quoteIdent } from '../db/sql';

export class BlockTable {
  /** `starts[b]`: the position of block b's first row; `starts[B]` the row count. */
  constructor(private readonly starts: Float64Array) {}

  get rows(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** Rows per block, in block order. */
  counts(): number[] {
    return Array.from({ length: this.starts.length - 1 }, (_, b) => this.starts[b + 1]! - this.starts[b]!);
  }

  /** The row id (`(block,offset)`) of the row at this position. */
  rid(position: number): string {
    if (!Number.isInteger(position) || position < 0 || position >= this.rows) throw new RangeError(`no row at position ${position}`);
    let lo = 0;
    let hi = this.starts.length - 2; // the last block
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return `(${lo},${position - this.starts[lo]! + 1})`;
  }
}

/**
 * The table's rows per block, verified dense (see above); null when the layout is not the file
 * order a COPY leaves, or the table does not hold `rows` rows. One scan grouping rows by the
 * block bytes of `tidsend(ctid)`: grouping by a block number parsed from `ctid::text` took
 * 5–8 s at 3.3 M rows on a loaded machine, this under one (≈ 3 × a `count(*)`); a TID range scan
 * per block was as fast only when the table was already in shared buffers. Blocks past the last
 * row (a bulk load extends the file ahead of its rows) hold no row and are not listed.
 */
export async function readBlockTable(db: Database, qualifiedTable: string, rows: number): Promise<BlockTable | null> {
  const { rows: result } = await db.query<{ counts: number[] | null; dense: boolean }>(
    `SELECT array_agg(n ORDER BY b) AS counts,
            coalesce(bool_and(n = ('x' || encode(m, 'hex'))::bit(16)::int4)
                     AND count(*) = max(('x' || encode(b, 'hex'))::bit(32)::int8) + 1, true) AS dense
     FROM (SELECT substring(tidsend(ctid) FROM 1 FOR 4) AS b, count(*)::int4 AS n, max(substring(tidsend(ctid) FROM 5 FOR 2)) AS m
           FROM ${qualifiedTable} GROUP BY 1) per_block`,
  );
  if (!result[0]?.dense) return null;
  const table = fromCounts(result[0].counts ?? []);
  return table.rows === rows ? table : null;
}

function fromCounts(counts: number[]): BlockTable {
  const starts = new Float64Array(counts.length + 1);
  for (let b = 0; b < counts.length; b++) starts[b + 1] = starts[b]! + Number(counts[b]);
  return new BlockTable(starts);
}

/** What a kept block table is valid for (see above). */
export interface BlockStamp {
  importedAt: string;
  filenode: string;
  changes: string;
}

const keptName = (oid: number) => `browse.${quoteIdent(`m${oid}_blocks`)}`;

const STAMP_SQL = `pg_relation_filenode($1::oid)::text AS filenode,
  (SELECT (n_tup_ins + n_tup_upd + n_tup_del)::text FROM pg_stat_all_tables WHERE relid = $1::oid) AS changes`;

function stampFrom(row: { filenode: string | null; changes: string | null } | undefined, importedAt: string): BlockStamp | null {
  return row?.filenode && row.changes !== null ? { importedAt, filenode: row.filenode, changes: row.changes } : null;
}

/**
 * The table's stamp now (taken before a scan, a change during the scan makes the kept copy stale),
 * and the kept block table when it was kept under that same stamp and holds `rows` rows. One
 * round trip when a copy is kept.
 */
export async function keptBlockTable(
  db: Database,
  oid: number,
  importedAt: string,
  rows: number,
): Promise<{ stamp: BlockStamp | null; table: BlockTable | null }> {
  let found: { filenode: string | null; changes: string | null; counts: Buffer | null; kept: string | null } | undefined;
  try {
    found = (
      await db.query<{ filenode: string | null; changes: string | null; counts: Buffer | null; kept: string | null }>(
        `SELECT ${STAMP_SQL}, k.counts, k.stamp AS kept FROM (SELECT 1) one LEFT JOIN (SELECT counts, stamp FROM ${keptName(oid)} LIMIT 1) k ON true`,
        [oid],
      )
    ).rows[0];
  } catch (err) {
    const e = err as { code?: string; details?: { sqlstate?: string } };
    if ((e.details?.sqlstate ?? e.code) !== '42P01') throw err;
    // No copy kept: the stamp alone, for the copy of the scan to come.
    const { rows: r } = await db.query<{ filenode: string | null; changes: string | null }>(`SELECT ${STAMP_SQL}`, [oid]);
    return { stamp: stampFrom(r[0], importedAt), table: null };
  }
  const stamp = stampFrom(found, importedAt);
  const bytes = found?.counts;
  if (!stamp || found?.kept !== JSON.stringify(stamp) || !Buffer.isBuffer(bytes) || bytes.length % 4 !== 0) return { stamp, table: null };
  // Little-endian 32-bit counts (a bytea reads back far faster than an int4[] of 70,000 blocks).
  const table = fromCounts(Array.from({ length: bytes.length / 4 }, (_, b) => bytes.readUInt32LE(4 * b)));
  return { stamp, table: table.rows === rows ? table : null };
}

/** Keeps a verified block table for the next processes (replacing any older copy). */
export async function keepBlockTable(db: Database, oid: number, stamp: BlockStamp, table: BlockTable): Promise<void> {
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sparkpolar.browse.blocks.${oid}`]);
    await client.query(`DROP TABLE IF EXISTS ${keptName(oid)}`);
    await client.query(`CREATE UNLOGGED TABLE ${keptName(oid)} (counts bytea NOT NULL, stamp text NOT NULL)`);
    const counts = table.counts();
    const bytes = Buffer.alloc(4 * counts.length);
    counts.forEach((n, b) => bytes.writeUInt32LE(n, 4 * b));
    await client.query(`INSERT INTO ${keptName(oid)} VALUES ($1, $2)`, [bytes, JSON.stringify(stamp)]);
  });
}
