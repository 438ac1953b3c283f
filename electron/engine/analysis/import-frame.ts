/**
 * Hands the frame an import built (ingest/frame-sink.ts) to the analyses, and proves it first.
 * PostgreSQL is the system of record: the frame's checksums are compared with the table's
 * (./snapshot-proof), computed by the import inside its own transaction just before COMMIT (what
 * that scan sees is exactly what commits), or, for a frame offered without them, by one scan of
 * the committed table. Equal: the frame is offered to the runs and becomes the version's snapshot
 * on disk. Different (or the proof fails): the frame is discarded, the event logged, and the
 * analyses load from PostgreSQL as before.
 *
 * The original analyses start on the frame before the import commits (`startEarlyRun`), so their
 * compute overlaps PostgreSQL's work. Those results stay inside the engine until the commit and a
 * proof that holds: a failed or cancelled import, or a frame that differs from the table, throws
 * them away. A run that starts on a frame whose proof has not answered yet reports its results as
 * provisional until `proven` resolves.
 */
import { ANALYSES, ORIGINAL_CLEANING } from '../../../shared/analyses';
import type { AnalysisResult, CleaningOptions } from '../../../shared/contract/analysis';
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import { pickDictionaries, type CodedFrame } from './dictionary';
import { planAnalyses, runAnalyses } from './runner';
import { writeSnapshotInBackground } from './snapshot';
import { checksumDifferences, frameChecksums, tableChecksums, type Checksums } from './snapshot-proof';

export interface ImportFrameDeps {
  db: Database;
  home: string;
  log: Logger;
}

/** The original analyses computed on an import's frame before it committed. */
export interface EarlyRun {
  cleaning: CleaningOptions;
  /** Null when the early run failed or was stopped: the run then computes them itself. */
  results: Promise<AnalysisResult[] | null>;
  /** Stops the early run and throws its results away. */
  discard(): void;
}

/** Both sides of a proof computed before the offer (the import computes them around its COMMIT). */
export interface Proof {
  table: Checksums;
  frame: Checksums;
}

interface Offered {
  coded: CodedFrame;
  info: DatasetVersionInfo;
  /** True when the frame equals the committed table. */
  proven: Promise<boolean>;
  early: EarlyRun | null;
  /** Resolves once the proof has answered and, when it held, the snapshot is on disk. */
  settled: Promise<boolean>;
  /** Writes the proven frame as the snapshot and drops it from memory. */
  release: () => void;
  isSettled: boolean;
  /** The proof's answer, once it has answered. */
  verdict?: boolean;
}

/** A proven frame no run has taken is written as the snapshot this long after the proof. */
const SNAPSHOT_DELAY_MS = 1_000;

/** Frames of committed imports, by data folder and table. */
const offered = new Map<string, Offered>();
const keyOf = (home: string, table: string) => `${home}\u0000${table}`;

const ORIGINAL_IDS = ANALYSES.filter((s) => s.original).map((s) => s.id);

/**
 * Starts the original analyses (original cleaning, default parameters) on a frame the import has
 * parsed but not yet committed. Its results are used only once the import has committed and the
 * frame is proven (see `offerImportFrame`).
 */
export function startEarlyRun(columns: DatasetColumn[], coded: CodedFrame, log: Logger): EarlyRun {
  const controller = new AbortController();
  const cleaning = { ...ORIGINAL_CLEANING };
  const results = runAnalyses({
    columns,
    frame: coded.frame,
    dictionaries: coded.dictionaries,
    plan: planAnalyses(columns, ORIGINAL_IDS),
    cleaning,
    signal: controller.signal,
  }).then(
    (ran) => (controller.signal.aborted ? null : ran.results),
    (err: unknown) => {
      if (!controller.signal.aborted) log.warn('the early run on the import frame failed', { error: (err as Error).message });
      return null;
    },
  );
  return { cleaning, results, discard: () => controller.abort() };
}

/**
 * Offers a committed import's frame to the analyses and proves it (with `proof` when the import
 * computed both sides, else by a scan of the committed table). Resolves with the verdict.
 */
export function offerImportFrame(
  deps: ImportFrameDeps,
  info: DatasetVersionInfo,
  coded: CodedFrame,
  options: { proof?: Proof; early?: EarlyRun | null } = {},
): Promise<boolean> {
  const key = keyOf(deps.home, info.table);
  const early = options.early ?? null;
  const proven = proveFrame(deps, info, coded, options.proof);
  let released = false;
  let wrote: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const entry: Offered = {
    coded,
    info,
    proven,
    early,
    isSettled: false,
    settled: proven.then(async (ok) => {
      if (ok) await written;
      return ok;
    }),
    // The snapshot replaces the frame in memory: written once (off the engine's thread, the frame
    // still offered meanwhile), then the entry goes.
    release: () => {
      if (entry.verdict !== true || released) return;
      released = true;
      // A snapshot is an optimisation: a full disk or a read-only folder must not fail anything.
      void writeSnapshotInBackground(deps.home, info, coded)
        .catch(() => undefined)
        .then(() => {
          if (offered.get(key) === entry) offered.delete(key);
          wrote();
        });
    },
  };
  void proven.then((ok) => {
    entry.verdict = ok;
    if (!ok) {
      early?.discard();
      if (offered.get(key) === entry) offered.delete(key);
      return;
    }
    // Unless a run takes the frame first (and releases it once it has answered), it is written
    // a moment later: the run that follows an import never waits for the Parquet file.
    setTimeout(entry.release, SNAPSHOT_DELAY_MS);
  });
  void entry.settled.finally(() => (entry.isSettled = true));
  offered.set(key, entry);
  return proven;
}

async function proveFrame(deps: ImportFrameDeps, info: DatasetVersionInfo, coded: CodedFrame, proof?: Proof): Promise<boolean> {
  try {
    const started = performance.now();
    const table = proof?.table ?? (await tableChecksums(deps.db, info, info.columns));
    const differences = checksumDifferences(table, proof?.frame ?? frameChecksums(coded, info.columns));
    if (differences.length) {
      deps.log.warn('the frame built by the import differs from the committed table: discarded, the analyses read PostgreSQL', {
        dataset: info.dataset,
        version: info.version,
        table: info.table,
        differences: differences.slice(0, 20),
      });
      return false;
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

/**
 * The offered frame of this version with these columns, while it is held in memory; else null.
 * `proven` is there while the proof has not answered (the run's results are provisional until then).
 */
export function takeImportFrame(
  home: string,
  info: DatasetVersionInfo,
  columns: string[],
): (CodedFrame & { proven?: Promise<boolean>; early: EarlyRun | null; release: () => void }) | null {
  const entry = offered.get(keyOf(home, info.table));
  if (!entry || entry.info.importedAt !== info.importedAt || columns.some((c) => !entry.coded.frame.columns.includes(c))) return null;
  return {
    frame: entry.coded.frame.select(...columns),
    dictionaries: pickDictionaries(entry.coded.dictionaries, columns),
    // Only a pending proof makes the run's results provisional.
    ...(entry.verdict === undefined ? { proven: entry.proven } : {}),
    early: entry.early,
    release: entry.release,
  };
}

/** The offers of this data folder not yet settled (proof answered, snapshot written): tests, shutdown. */
export function pendingImportFrames(home: string): Promise<boolean>[] {
  return [...offered.entries()].filter(([k, v]) => k.startsWith(`${home}\u0000`) && !v.isSettled).map(([, v]) => v.settled);
}
