/**
 * Hands the frame an import built (ingest/frame-sink.ts) to the analyses, and proves it first.
 * PostgreSQL is the system of record: once the import has committed, the frame's checksums are
 * compared with the committed table's (./snapshot-proof). Equal: the frame becomes the version's
 * snapshot on disk. Different (or the proof fails): the frame is discarded, the event logged,
 * and the analyses load from PostgreSQL as before. A run that starts on the frame before the
 * proof has answered holds provisional results until `proven` resolves.
 */
import type { DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import { pickDictionaries, type CodedFrame } from './dictionary';
import { writeSnapshot } from './snapshot';
import { checksumDifferences, frameChecksums, tableChecksums } from './snapshot-proof';

export interface ImportFrameDeps {
  db: Database;
  home: string;
  log: Logger;
}

interface Offered {
  coded: CodedFrame;
  info: DatasetVersionInfo;
  /** True when the frame equals the committed table. */
  proven: Promise<boolean>;
}

/** Frames of committed imports whose proof has not answered yet, by data folder and table. */
const offered = new Map<string, Offered>();
const keyOf = (home: string, table: string) => `${home}\u0000${table}`;

/** Offers a committed import's frame to the analyses and starts its proof. */
export function offerImportFrame(deps: ImportFrameDeps, info: DatasetVersionInfo, coded: CodedFrame): Promise<boolean> {
  const key = keyOf(deps.home, info.table);
  const proven = proveFrame(deps, info, coded).finally(() => {
    if (offered.get(key)?.proven === proven) offered.delete(key);
  });
  offered.set(key, { coded, info, proven });
  return proven;
}

async function proveFrame(deps: ImportFrameDeps, info: DatasetVersionInfo, coded: CodedFrame): Promise<boolean> {
  try {
    const started = performance.now();
    const differences = checksumDifferences(await tableChecksums(deps.db, info, info.columns), frameChecksums(coded, info.columns));
    if (differences.length) {
      deps.log.warn('the frame built by the import differs from the committed table: discarded, the analyses read PostgreSQL', {
        dataset: info.dataset,
        version: info.version,
        table: info.table,
        differences: differences.slice(0, 20),
      });
      return false;
    }
    try {
      writeSnapshot(deps.home, info, coded);
    } catch {
      // A snapshot is an optimisation: a full disk or a read-only folder must not fail anything.
    }
    deps.log.info('the frame built by the import equals the committed table', {
      table: info.table,
      rows: info.rows,
      proofMs: Math.round(performance.now() - started),
    });
    return true;
  } catch (err) {
    deps.log.warn('the frame built by the import could not be proven: discarded', { table: info.table, error: (err as Error).message });
    return false;
  }
}

/** The offered frame of this version with these columns, while its proof is pending; else null. */
export function takeImportFrame(
  home: string,
  info: DatasetVersionInfo,
  columns: string[],
): (CodedFrame & { proven: Promise<boolean> }) | null {
  const entry = offered.get(keyOf(home, info.table));
  if (!entry || entry.info.importedAt !== info.importedAt || columns.some((c) => !entry.coded.frame.columns.includes(c))) return null;
  return {
    frame: entry.coded.frame.select(...columns),
    dictionaries: pickDictionaries(entry.coded.dictionaries, columns),
    proven: entry.proven,
  };
}

/** Whether a frame of this data folder is still waiting for its proof (tests, shutdown). */
export function pendingImportFrames(home: string): Promise<boolean>[] {
  return [...offered.entries()].filter(([k]) => k.startsWith(`${home}\u0000`)).map(([, v]) => v.proven);
}
