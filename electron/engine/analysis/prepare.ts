/**
 * The cleaning options, applied once per run: `prepared` rewrites values (sentinels → nulls on
 * text columns, make codes → brands), `cleaned` drops the original's null rows. Category-like
 * text is coded (./dictionary), so these rewrites touch dictionaries and small integer codes, and
 * every group-by of the run hashes bytes, not strings.
 */
import pl from 'nodejs-polars';
import type { CleaningOptions } from '../../../shared/contract/analysis';
import {
  columnsNeeded,
  CRASH,
  MAKE_BRANDS,
  ORIGINAL_NULL_DROP_COLUMNS,
  SENTINELS,
  type AnalysisSpec,
  type AnalysisStage,
  type ResolvedParams,
} from '../../../shared/analyses';
import type { DatasetColumn } from '../../../shared/types';
import { CARDINALITY_SAMPLE_ROWS, isCategoryLike } from './columns';
import { codesWhere, encodeColumns, recode, type CodedFrame, type Dictionaries } from './dictionary';
import { distinctCount } from './ops/read';
import { px } from './ops/expr';

export interface StageFrames {
  raw: pl.DataFrame;
  prepared: pl.DataFrame;
  cleaned: pl.DataFrame;
  /** Whether the null-row drop applied (option on and all seven columns present). */
  dropped: boolean;
  /** Dictionaries of each stage's coded columns (the make merge gives `prepared` its own). */
  labels: Record<AnalysisStage, Dictionaries>;
}

/** Whether the original's null-row drop applies to a dataset with these columns. */
export function nullDropApplies(columns: DatasetColumn[], cleaning: CleaningOptions): boolean {
  return cleaning.dropOriginalNulls && ORIGINAL_NULL_DROP_COLUMNS.every((n) => columns.some((c) => c.name === n));
}

/**
 * The cleaning options that can change this analysis' result, with their values. The result
 * cache is keyed on these only (./store), so a toggle re-runs just the analyses it affects:
 * sentinels matter where text is read (or decides the null-row drop), the make merge where the
 * make is read, the null-row drop wherever the `cleaned` stage could lose rows.
 */
export function cleaningThatMatters(
  spec: AnalysisSpec,
  params: ResolvedParams,
  columns: DatasetColumn[],
  cleaning: CleaningOptions,
): Partial<CleaningOptions> {
  if (spec.stage === 'raw') return {};
  const read = new Set(columnsNeeded(spec, columns, params));
  const cleaned = spec.stage === 'cleaned';
  // The drop reads its columns' nulls, which sentinels (not the make merge) can add.
  const nullsRead = new Set(read);
  if (cleaned && nullDropApplies(columns, cleaning)) for (const n of ORIGINAL_NULL_DROP_COLUMNS) nullsRead.add(n);
  const textRead = (names: Set<string>) => columns.filter((c) => c.type === 'text' && names.has(c.name));
  const matters: Partial<CleaningOptions> = {};
  if (cleaned && nullDropApplies(columns, { ...cleaning, dropOriginalNulls: true })) matters.dropOriginalNulls = cleaning.dropOriginalNulls;
  if (textRead(nullsRead).length) matters.sentinelsAsNull = cleaning.sentinelsAsNull;
  if (textRead(read).some((c) => c.name === CRASH.make)) matters.mergeMakes = cleaning.mergeMakes;
  return matters;
}

/** Columns (display names) the cleaning itself reads, so the loader brings them. */
export function cleaningColumns(columns: DatasetColumn[], cleaning: CleaningOptions): string[] {
  return nullDropApplies(columns, cleaning) ? ORIGINAL_NULL_DROP_COLUMNS : [];
}

/**
 * Codes the category-like text columns a frame still holds as text, judged on its first rows
 * (the rule the loader applies before parsing); near-unique ones stay String. Frames from the
 * loader arrive coded.
 */
export function encodeText(coded: CodedFrame, columns: DatasetColumn[]): CodedFrame {
  const { frame, dictionaries } = coded;
  const text = columns.filter((c) => c.type === 'text' && frame.columns.includes(c.identifier) && !(c.identifier in dictionaries));
  if (!text.length) return coded;
  const sample = frame.head(CARDINALITY_SAMPLE_ROWS);
  const ids = text.filter((c) => isCategoryLike(distinctCount(sample, c.identifier), sample.height)).map((c) => c.identifier);
  const added = encodeColumns(frame, ids);
  return { frame: added.frame, dictionaries: { ...dictionaries, ...added.dictionaries } };
}

const brandOf = (value: string) => (Object.hasOwn(MAKE_BRANDS, value) ? MAKE_BRANDS[value]! : value);

export function stageFrames(coded: CodedFrame, columns: DatasetColumn[], cleaning: CleaningOptions): StageFrames {
  const raw = coded.frame;
  const present = columns.filter((c) => raw.columns.includes(c.identifier));
  const rewrites: pl.Expr[] = [];
  const labels: Record<string, Dictionaries[string]> = { ...coded.dictionaries };
  const make = present.find((c) => c.name === CRASH.make && c.type === 'text');
  for (const c of present) {
    if (c.type !== 'text') continue;
    const id = c.identifier;
    const merge = cleaning.mergeMakes && make?.identifier === id;
    if (!cleaning.sentinelsAsNull && !merge) continue;
    const dictionary = coded.dictionaries[id];
    let e: pl.Expr = px.col(id);
    if (dictionary) {
      if (cleaning.sentinelsAsNull) {
        const sentinels = codesWhere(dictionary, (l) => SENTINELS.includes(l));
        if (sentinels.length) e = pl.when(e.isIn(sentinels)).then(px.lit(null)).otherwise(e);
      }
      if (merge) {
        const merged = recode(e, dictionary, brandOf);
        e = merged.expr;
        labels[id] = merged.labels;
      }
    } else {
      if (cleaning.sentinelsAsNull)
        e = pl
          .when(e.isIn([...SENTINELS]))
          .then(px.lit(null).cast(pl.Utf8))
          .otherwise(e);
      if (merge) e = e.replace(Object.keys(MAKE_BRANDS), Object.values(MAKE_BRANDS));
    }
    rewrites.push(e.alias(id));
  }
  const prepared = rewrites.length ? raw.withColumns(...rewrites) : raw;
  const drop = nullDropApplies(columns, cleaning);
  let cleaned = prepared;
  if (drop) {
    const ids = ORIGINAL_NULL_DROP_COLUMNS.map((n) => columns.find((c) => c.name === n)!.identifier);
    const keep = ids.map((id) => px.col(id).isNotNull()).reduce((a, b) => a.and(b));
    cleaned = prepared.filter(keep);
  }
  return { raw, prepared, cleaned, dropped: drop, labels: { raw: coded.dictionaries, prepared: labels, cleaned: labels } };
}
