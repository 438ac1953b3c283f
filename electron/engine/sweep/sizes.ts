/**
 * Each size of a sweep as a dataset of the catalog, so both engines (and the user, in Browse) read
 * it like any other: `100%` is the dataset itself; `10%` is a deterministic sample (the rows whose
 * md5 of seed + row text sorts first: the same seed gives the same rows on any machine); `2x` is a
 * dataset of the same columns made by the calibrated generator. Sizes already made for the same
 * source version and seed are reused.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { datasetMethods } from '../../../shared/contract/dataset';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import { Catalog, qualifiedTable } from '../catalog/catalog';
import { CRASH_HEADER, generateCrashCsv } from '../generate';
import { importCsv, type ImportDeps } from '../ingest/import';
import type { JobContext } from '../jobs/manager';

export interface SizeTarget {
  size: string;
  kind: 'sample' | 'grow';
  /** Percentage of the rows, or growth factor. */
  amount: number;
}

/** Parses and orders sizes: samples first, by size, then growths; duplicates removed. */
export function sizeTargets(sizes: string[]): SizeTarget[] {
  const seen = new Map<string, SizeTarget>();
  for (const raw of sizes) {
    const size = raw.trim();
    const amount = parseFloat(size);
    const kind = size.endsWith('%') ? 'sample' : 'grow';
    const key = `${kind}:${amount}`;
    if (!seen.has(key)) seen.set(key, { size: kind === 'sample' ? `${amount}%` : `${amount}x`, kind, amount });
  }
  const rank = (t: SizeTarget) => (t.kind === 'sample' ? t.amount / 100 : t.amount);
  return [...seen.values()].sort((a, b) => rank(a) - rank(b));
}

/** The catalog name of a size of a dataset (the dataset's own name at 100%). */
export function sizeDatasetName(dataset: string, size: string): string {
  const suffix = ` (sweep ${size})`;
  return dataset.slice(0, 120 - suffix.length) + suffix;
}

/** Datasets the generator can grow: they hold every column of the real crash files. */
export function missingCrashColumns(info: DatasetVersionInfo): string[] {
  const names = new Set(info.columns.map((c) => c.name));
  return CRASH_HEADER.filter((n) => !names.has(n));
}

async function current(catalog: Catalog, name: string): Promise<DatasetVersionInfo | null> {
  try {
    return await catalog.get(name);
  } catch (err) {
    if (err instanceof StudioError && err.code === 'DATASET_NOT_FOUND') return null;
    throw err;
  }
}

/** The dataset version holding this size of `source`, made now if needed. */
export async function materialiseSize(
  deps: ImportDeps,
  source: DatasetVersionInfo,
  target: SizeTarget,
  seed: number,
  job: JobContext,
): Promise<DatasetVersionInfo> {
  if (target.kind === 'sample' && target.amount === 100) return source;
  const name = sizeDatasetName(source.dataset, target.size);
  const origin = { sourceTable: source.table, size: target.size, seed };
  const existing = await current(deps.catalog, name);
  const sweep = existing?.options['sweep'] as typeof origin | undefined;
  if (existing && sweep?.sourceTable === origin.sourceTable && sweep.size === origin.size && sweep.seed === origin.seed) return existing;
  return target.kind === 'sample' ? sample(deps, source, target, seed, name, origin) : grow(deps, source, target, seed, name, origin, job);
}

async function sample(
  { db, catalog }: ImportDeps,
  source: DatasetVersionInfo,
  target: SizeTarget,
  seed: number,
  name: string,
  origin: Record<string, unknown>,
): Promise<DatasetVersionInfo> {
  const rows = Math.max(1, Math.round((source.rows * target.amount) / 100));
  const started = performance.now();
  const descriptor = `sweep sample of ${source.dataset} v${source.version}: ${target.size}, seed ${seed}`;
  await db.transaction(async (client) => {
    const { datasetId, version } = await Catalog.reserveVersion(client, name);
    const table = `sweep_${createHash('sha1').update(`${source.table}/${target.size}/${seed}`).digest('hex').slice(0, 10)}_${randomBytes(3).toString('hex')}`;
    await client.query(`CREATE TABLE ${qualifiedTable(table)} (LIKE ${qualifiedTable(source.table)})`);
    await client.query(
      `INSERT INTO ${qualifiedTable(table)} SELECT * FROM ${qualifiedTable(source.table)} t ORDER BY md5($1 || t::text) LIMIT $2`,
      [String(seed), rows],
    );
    await Catalog.addVersion(client, {
      datasetId,
      version,
      table,
      sourcePath: descriptor,
      sourceBytes: 0,
      sha256: createHash('sha256').update(descriptor).digest('hex'),
      rows,
      columns: source.columns,
      rejected: 0,
      rejectsPath: null,
      durationMs: Math.round(performance.now() - started),
      options: { sweep: { ...origin, sourceDataset: source.dataset, sourceVersion: source.version } },
    });
  });
  return catalog.get(name);
}

async function grow(
  deps: ImportDeps,
  source: DatasetVersionInfo,
  target: SizeTarget,
  seed: number,
  name: string,
  origin: Record<string, unknown>,
  job: JobContext,
): Promise<DatasetVersionInfo> {
  const missing = missingCrashColumns(source);
  if (missing.length)
    throw new StudioError(
      'INVALID_REQUEST',
      `"${target.size}" grows the dataset with the calibrated crash-data generator, which makes the real crash files' columns; "${source.dataset}" lacks ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}. Use percentages for this dataset.`,
      { missing },
    );
  const rows = Math.round(source.rows * target.amount);
  const dir = path.join(deps.home, 'sweep');
  const file = path.join(dir, `grow-${rows}-seed${seed}-${randomBytes(3).toString('hex')}.csv`);
  try {
    await generateCrashCsv(
      { rows, seed, out: file },
      (p) => job.progress({ phase: 'generate', message: `Generating ${target.size}`, done: p.rows, total: p.totalRows, unit: 'rows' }),
      job.signal,
    );
    const request = datasetMethods['dataset/import'].request.parse({ path: file, name });
    await importCsv(deps, request, job);
  } finally {
    fs.rmSync(file, { force: true });
  }
  // The importer records its own options; the sweep's origin is kept beside them so the size is reused.
  const info = await deps.catalog.get(name);
  await deps.db.query(`UPDATE studio.dataset_versions SET options = options || $1::jsonb WHERE table_name = $2`, [
    JSON.stringify({ sweep: { ...origin, sourceDataset: source.dataset, sourceVersion: source.version } }),
    info.table,
  ]);
  return deps.catalog.get(name);
}
