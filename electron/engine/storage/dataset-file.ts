/**
 * The run's dataset as one Parquet file, cleaned exactly as the run saw it: loaded through the
 * analyses' own loader (snapshot or PostgreSQL) and passed through the same cleaning stages
 * (sentinels, make merge, the original's null-row drop, as the run's options say). Text columns
 * leave as plain strings, not the analyses' codes, so any Parquet reader takes the file.
 */
import type { CleaningOptions } from '../../../shared/contract/analysis';
import type { DatasetVersionInfo } from '../../../shared/types';
import { decodeColumns } from '../analysis/dictionary';
import { stageFrames } from '../analysis/prepare';
import { loadDataset } from '../analysis/source';
import type { Database } from '../db/database';

export async function writeCleanedDatasetParquet(
  deps: { db: Database; home: string },
  info: DatasetVersionInfo,
  cleaning: CleaningOptions,
  file: string,
): Promise<void> {
  const loaded = await loadDataset(
    deps,
    info,
    info.columns.map((c) => c.identifier),
  );
  const stages = stageFrames(loaded, info.columns, cleaning);
  decodeColumns({ frame: stages.cleaned, dictionaries: stages.labels.cleaned }).writeParquet(file);
}
