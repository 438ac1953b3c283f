/**
 * Gets the columns a run needs into one Polars frame: from the version's snapshot when it holds
 * them, otherwise from PostgreSQL (only the missing columns), then extends the snapshot.
 */
import pl from 'nodejs-polars';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { loadFromPostgres, type LoadOptions } from './load';
import { readSnapshot, snapshotColumns, writeSnapshot } from './snapshot';

export interface DatasetFrame {
  frame: pl.DataFrame;
  source: 'postgres' | 'snapshot';
  loadMs: number;
}

export interface SourceDeps {
  db: Database;
  home: string;
}

/**
 * Loads these columns (identifiers, in this order) of a dataset version.
 * `snapshot: false` skips reading and writing the snapshot (the benchmark's PostgreSQL path).
 */
export async function loadDataset(
  deps: SourceDeps,
  info: DatasetVersionInfo,
  columns: string[],
  options: Omit<LoadOptions, 'columns'> & { snapshot?: boolean } = {},
): Promise<DatasetFrame> {
  const started = performance.now();
  const wanted = columns.length ? columns : [info.columns[0]!.identifier];
  const useSnapshot = options.snapshot !== false;
  if (useSnapshot) {
    const snap = readSnapshot(deps.home, info, wanted);
    if (snap) return { frame: snap, source: 'snapshot', loadMs: performance.now() - started };
  }
  const have = useSnapshot ? snapshotColumns(deps.home, info) : [];
  const missing = wanted.filter((c) => !have.includes(c));
  // Text arrives encoded (categoricals), so the snapshot holds them and later runs skip it.
  const loaded = await loadFromPostgres(deps.db, info, { ...options, columns: missing });
  let frame = loaded.frame;
  if (useSnapshot) {
    // Extend the snapshot with what was just loaded (every column the file had, plus the new ones).
    const previous = have.length ? readSnapshot(deps.home, info, have) : null;
    const union = previous && previous.height === frame.height ? (previous.hstack(frame.getColumns()) as unknown as pl.DataFrame) : frame;
    try {
      writeSnapshot(deps.home, info, union);
    } catch {
      // A snapshot is an optimisation: a full disk or a read-only folder must not fail the run.
    }
    frame = union;
  }
  return { frame: frame.select(...wanted), source: 'postgres', loadMs: performance.now() - started };
}
