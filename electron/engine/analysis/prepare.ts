/**
 * The cleaning options, applied once per run: `prepared` rewrites values (sentinels → nulls on
 * text columns, make codes → brands), `cleaned` drops the original's null rows. Text columns are
 * encoded as categoricals here once, so every group-by of the run hashes integers, not strings.
 */
import pl from 'nodejs-polars';
import type { CleaningOptions } from '../../../shared/contract/analysis';
import { CRASH, MAKE_BRANDS, ORIGINAL_NULL_DROP_COLUMNS, SENTINELS, type AnalysisStage } from '../../../shared/analyses';
import type { DatasetColumn } from '../../../shared/types';
import { CARDINALITY_SAMPLE_ROWS, isCategoryLike } from './columns';

export interface StageFrames {
  raw: pl.DataFrame;
  prepared: pl.DataFrame;
  cleaned: pl.DataFrame;
  /** Whether the null-row drop applied (option on and all seven columns present). */
  dropped: boolean;
}

/** Whether the original's null-row drop applies to a dataset with these columns. */
export function nullDropApplies(columns: DatasetColumn[], cleaning: CleaningOptions): boolean {
  return cleaning.dropOriginalNulls && ORIGINAL_NULL_DROP_COLUMNS.every((n) => columns.some((c) => c.name === n));
}

/** Columns (display names) the cleaning itself reads, so the loader brings them. */
export function cleaningColumns(columns: DatasetColumn[], cleaning: CleaningOptions): string[] {
  return nullDropApplies(columns, cleaning) ? ORIGINAL_NULL_DROP_COLUMNS : [];
}

/**
 * Encodes the text columns of a frame as categoricals, except near-unique ones (judged on the
 * first rows, the rule the loader applies before parsing). Frames from the loader arrive encoded.
 */
export function encodeText(frame: pl.DataFrame, columns: DatasetColumn[]): pl.DataFrame {
  const text = columns.filter((c) => c.type === 'text' && frame.columns.includes(c.identifier) && !frame.getColumn(c.identifier).dtype.equals(pl.Categorical));
  if (!text.length) return frame;
  const sample = frame.head(CARDINALITY_SAMPLE_ROWS);
  const casts = text.filter((c) => isCategoryLike(sample.getColumn(c.identifier).nUnique(), sample.height)).map((c) => pl.col(c.identifier).cast(pl.Categorical));
  return casts.length ? frame.withColumns(...casts) : frame;
}

export function stageFrames(raw: pl.DataFrame, columns: DatasetColumn[], cleaning: CleaningOptions): StageFrames {
  const present = columns.filter((c) => raw.columns.includes(c.identifier));
  const rewrites: pl.Expr[] = [];
  const make = present.find((c) => c.name === CRASH.make && c.type === 'text');
  for (const c of present) {
    if (c.type !== 'text') continue;
    let e: pl.Expr = pl.col(c.identifier);
    let changed = false;
    if (cleaning.sentinelsAsNull) {
      e = pl.when(e.isIn([...SENTINELS])).then(pl.lit(null).cast(pl.Utf8)).otherwise(e.cast(pl.Utf8));
      changed = true;
    }
    if (cleaning.mergeMakes && make && c.identifier === make.identifier) {
      e = e.cast(pl.Utf8).replace(Object.keys(MAKE_BRANDS), Object.values(MAKE_BRANDS));
      changed = true;
    }
    if (changed) rewrites.push(e.cast(pl.Categorical).alias(c.identifier));
  }
  const prepared = rewrites.length ? raw.withColumns(...rewrites) : raw;
  const drop = nullDropApplies(columns, cleaning);
  let cleaned = prepared;
  if (drop) {
    const ids = ORIGINAL_NULL_DROP_COLUMNS.map((n) => columns.find((c) => c.name === n)!.identifier);
    const keep = ids.map((id) => pl.col(id).isNotNull()).reduce((a, b) => a.and(b));
    cleaned = prepared.filter(keep);
  }
  return { raw, prepared, cleaned, dropped: drop };
}

export function frameFor(frames: StageFrames, stage: AnalysisStage): pl.DataFrame {
  return frames[stage];
}
