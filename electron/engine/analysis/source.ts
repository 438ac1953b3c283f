/**
 * Gets the columns a run needs into one Polars frame: from the frame the version's import built
 * while its proof is pending (./import-frame), else from the version's snapshot when it holds
 * them, otherwise from PostgreSQL (only the missing columns), then extends the snapshot.
 */
import pl from 'nodejs-polars';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import { pickDictionaries, type CodedFrame } from './dictionary';
import { takeImportFrame, type EarlyRun } from './import-frame';
import { loadFromPostgres, type LoadOptions } from './load';
import { readSnapshot, snapshotColumns, writeSnapshot } from './snapshot';

export interface DatasetFrame extends CodedFrame {
  source: 'postgres' | 'snapshot' | 'import';
  loadMs: number;
  /** Import frames only: resolves true once the frame is proven equal to the committed table. */
  proven?: Promise<boolean>;
  /** Import frames only: the original analyses computed on the frame before the import committed. */
  early?: EarlyRun | null;
  /** Import frames only: call once the run is over; the frame then becomes the snapshot. */
  release?: () => void;
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
    const handed = takeImportFrame(deps.home, info, wanted);
    if (handed) return { ...handed, source: 'import', loadMs: performance.now() - started };
    const snap = readSnapshot(deps.home, info, wanted);
    if (snap) return { ...snap, source: 'snapshot', loadMs: performance.now() - started };
  }
  const have = useSnapshot ? snapshotColumns(deps.home, info) : [];
  const missing = wanted.filter((c) => !have.includes(c));
  // Text arrives coded, so the snapshot holds the codes and later runs skip the encoding too.
  const loaded = await loadFromPostgres(deps.db, info, { ...options, columns: missing });
  let coded: CodedFrame = loaded;
  if (useSnapshot) {
    // Extend the snapshot with what was just loaded (every column the file had, plus the new ones).
    const previous = have.length ? readSnapshot(deps.home, info, have) : null;
    if (previous && previous.frame.height === loaded.frame.height) {
      coded = {
        frame: previous.frame.hstack(loaded.frame.getColumns()) as unknown as pl.DataFrame,
        dictionaries: { ...previous.dictionaries, ...loaded.dictionaries },
      };
    }
    try {
      writeSnapshot(deps.home, info, coded);
    } catch {
      // A snapshot is an optimisation: a full disk or a read-only folder must not fail the run.
    }
  }
  return {
    frame: coded.frame.select(...wanted),
    dictionaries: pickDictionaries(coded.dictionaries, wanted),
    source: 'postgres',
    loadMs: performance.now() - started,
  };
}
