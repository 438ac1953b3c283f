/**
 * The run's dataset as one Parquet file, cleaned exactly as the run saw it: loaded through the
 * analyses' own loader (snapshot or PostgreSQL) and passed through the same cleaning stages
 * (sentinels, make merge, the original's null-row drop, as the run's options say). Text columns
 * leave as plain strings, not Polars categoricals, so any Parquet reader takes the file.
 */
import pl from 'nodejs-polars';
import type { CleaningOptions } from '../../../shared/contract/analysis';
import type { DatasetVersionInfo } from '../../../shared/types';
import { stageFrames } from '../analysis/prepare';
import { loadDataset } from '../analysis/source';
import type { Database } from '../db/database';

export async function writeCleanedDatasetParquet(deps: { db: Database; home: string }, info: DatasetVersionInfo, cleaning: CleaningOptions, file: string): Promise<void> {
  const { frame } = await loadDataset(deps, info, info.columns.map((c) => c.identifier));
  const cleaned = stageFrames(frame, info.columns, cleaning).cleaned;
  const text = info.columns.filter((c) => c.type === 'text').map((c) => pl.col(c.identifier).cast(pl.Utf8));
  (text.length ? cleaned.withColumns(...text) : cleaned).writeParquet(file);
}
