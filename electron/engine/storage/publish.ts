/**
 * Publishing one run: build its files (results as Parquet and CSV, charts, the HTML report,
 * optionally the dataset), upload each under `<dataset>/<version>/<run-id>/`, then write
 * `manifest.json` last. Keys depend only on the run, and an object already there with the same
 * SHA-256 is skipped, so a publish resumed after an outage neither duplicates nor loses anything;
 * objects of an earlier publish of the same run that the new manifest does not list are removed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { MANIFEST_FORMAT, type ChartImage, type RunManifest, type StoredObject } from '../../../shared/contract/storage';
import type { DatasetVersionInfo } from '../../../shared/types';
import { StudioError } from '../../../shared/errors';
import type { EngineBase } from '../base';
import type { JobContext } from '../jobs/manager';
import { versions as appVersions } from '../system/versions';
import { buildReportHtml } from '../export/report';
import { renderChartSvg, stableIds } from './chart-images';
import { writeCleanedDatasetParquet } from './dataset-file';
import { CONTENT_TYPES, keys } from './layout';
import { serializeManifest } from './manifest';
import type { ObjectStore, PutSource } from './object-store';
import { resultToCsv, resultToParquet } from './result-files';

export interface Artifact extends StoredObject {
  source: PutSource;
}

export interface PublishInput {
  run: AnalysisRun;
  facts: DatasetVersionInfo | null;
  prefix: string;
  charts: ChartImage[];
  includeDataset: boolean;
  /** When the publish was asked for: the report's date, the same on every retry of it. */
  requestedAt: Date;
}

export interface PublishOutcome {
  objects: number;
  bytes: number;
  uploaded: number;
  skipped: number;
  manifestKey: string;
  manifest: RunManifest;
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function bufferArtifact(key: string, role: StoredObject['role'], contentType: string, buffer: Buffer, analysisId?: string): Artifact {
  return { key, role, contentType, size: buffer.length, sha256: sha256(buffer), source: { buffer }, ...(analysisId ? { analysisId } : {}) };
}

/** The run's files, in upload order (small first, the dataset last). Large ones are written under `tmp`. */
export async function buildArtifacts(ctx: EngineBase, input: PublishInput, tmp: string, job: JobContext): Promise<Artifact[]> {
  const { run, prefix } = input;
  const out: Artifact[] = [];
  const given = new Map(input.charts.map((c) => [c.analysisId, c]));
  const total = run.results.length + 2;
  let done = 0;
  const step = (message: string) => job.progress({ phase: 'prepare', message, done: ++done, total, unit: 'items' });

  for (const result of run.results) {
    job.throwIfCancelled();
    if (result.table) {
      out.push(
        bufferArtifact(
          keys.resultParquet(prefix, result.id),
          'result-parquet',
          CONTENT_TYPES.parquet,
          resultToParquet(result.table),
          result.id,
        ),
      );
      out.push(bufferArtifact(keys.resultCsv(prefix, result.id), 'result-csv', CONTENT_TYPES.csv, resultToCsv(result.table), result.id));
    }
    const image = given.get(result.id);
    if (image?.svg) {
      out.push(bufferArtifact(keys.chart(prefix, result.id, 'svg'), 'chart', CONTENT_TYPES.svg, Buffer.from(image.svg), result.id));
    } else if (image?.pngBase64) {
      out.push(
        bufferArtifact(keys.chart(prefix, result.id, 'png'), 'chart', CONTENT_TYPES.png, Buffer.from(image.pngBase64, 'base64'), result.id),
      );
    } else if (result.status === 'ok' && result.table) {
      const svg = safeRender(ctx, result.id, result.table);
      if (svg) {
        out.push(bufferArtifact(keys.chart(prefix, result.id, 'svg'), 'chart', CONTENT_TYPES.svg, Buffer.from(svg), result.id));
      }
    }
    step(`Prepared ${result.id}`);
  }

  const html = stableIds(buildReportHtml({ run, dataset: input.facts, generatedAt: input.requestedAt }));
  out.push(bufferArtifact(keys.report(prefix), 'report', CONTENT_TYPES.html, Buffer.from(html)));
  step('Prepared the report');

  if (input.includeDataset) {
    if (!input.facts) {
      throw new StudioError(
        'DATASET_NOT_FOUND',
        `Version ${run.version} of dataset "${run.dataset}" is no longer in the catalog, so it cannot be published with the run.`,
        { dataset: run.dataset, version: run.version },
        'Publish without the dataset, or import it again and rerun the analyses.',
      );
    }
    job.progress({ phase: 'prepare', message: 'Writing the cleaned dataset as Parquet', done, total, unit: 'items' });
    const file = path.join(tmp, 'dataset.parquet');
    await writeCleanedDatasetParquet({ db: ctx.db, home: ctx.home }, input.facts, run.cleaning, file);
    job.throwIfCancelled();
    const size = fs.statSync(file).size;
    out.push({
      key: keys.dataset(prefix, run.dataset),
      role: 'dataset',
      contentType: CONTENT_TYPES.parquet,
      size,
      sha256: await sha256File(file),
      source: { path: file, size },
    });
  }
  step('Prepared every file');
  return out;
}

function safeRender(ctx: EngineBase, id: string, table: NonNullable<AnalysisRun['results'][number]['table']>): string | null {
  try {
    return renderChartSvg(id, table);
  } catch (err) {
    ctx.log.warn('chart could not be rendered for publishing', { analysis: id, error: err instanceof Error ? err.message : String(err) });
    return null;
  }
}

export function buildManifest(
  input: PublishInput,
  store: ObjectStore,
  objects: StoredObject[],
  timings: { prepareMs: number; uploadMs: number },
): RunManifest {
  const { run, facts } = input;
  const v = appVersions();
  return {
    format: MANIFEST_FORMAT,
    publishedAt: new Date().toISOString(),
    app: v.app,
    bucket: store.bucket,
    prefix: input.prefix,
    dataset: {
      name: run.dataset,
      version: run.version,
      rows: facts?.rows ?? run.rows,
      columns: facts?.columns ?? [],
      sourceSha256: facts?.sha256 ?? null,
      sourceBytes: facts?.sourceBytes ?? null,
      importedAt: facts?.importedAt ?? null,
      rejected: facts?.rejected ?? 0,
    },
    run: {
      runId: run.runId,
      engine: run.engine,
      startedAt: run.startedAt,
      cleaning: run.cleaning,
      rows: run.rows,
      loadSource: run.loadSource,
    },
    versions: { ...run.versions, app: v.app.version, node: v.node, polars: v.polars },
    timings: {
      loadMs: run.loadMs,
      totalMs: run.totalMs,
      publishPrepareMs: Math.round(timings.prepareMs),
      publishUploadMs: Math.round(timings.uploadMs),
    },
    analyses: run.results.map((r) => ({
      id: r.id,
      status: r.status,
      params: r.params,
      timings: r.timings,
      rowsIn: r.rowsIn,
      rowsOut: r.rowsOut,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
    objects: objects.map(({ key, size, sha256: sum, contentType, role, analysisId }) => ({
      key,
      size,
      sha256: sum,
      contentType,
      role,
      ...(analysisId ? { analysisId } : {}),
    })),
  };
}

/** Uploads the artifacts (skipping identical ones already stored), then the manifest. */
export async function publishRun(ctx: EngineBase, store: ObjectStore, input: PublishInput, job: JobContext): Promise<PublishOutcome> {
  const tmp = fs.mkdtempSync(path.join(ensureDir(path.join(ctx.home, 'tmp')), 'publish-'));
  try {
    const t0 = performance.now();
    await store.ensureBucket(job.signal);
    const artifacts = await buildArtifacts(ctx, input, tmp, job);
    const t1 = performance.now();
    const totalBytes = artifacts.reduce((n, a) => n + a.size, 0);
    let sent = 0;
    let uploaded = 0;
    let skipped = 0;
    for (const a of artifacts) {
      job.throwIfCancelled();
      job.progress({
        phase: 'upload',
        message: `Uploading ${a.key.slice(input.prefix.length)}`,
        done: sent,
        total: totalBytes,
        unit: 'bytes',
      });
      const existing = await store.stat(a.key, job.signal);
      if (existing && existing.size === a.size && existing.sha256 === a.sha256) skipped++;
      else {
        await store.put(a.key, a.source, a.contentType, a.sha256, job.signal);
        uploaded++;
      }
      sent += a.size;
    }
    job.throwIfCancelled();
    job.progress({ phase: 'manifest', message: 'Writing manifest.json', done: sent, total: totalBytes, unit: 'bytes' });
    const manifest = buildManifest(input, store, artifacts, { prepareMs: t1 - t0, uploadMs: performance.now() - t1 });
    const body = serializeManifest(manifest);
    const manifestKey = keys.manifest(input.prefix);
    await store.put(manifestKey, { buffer: body }, CONTENT_TYPES.json, sha256(body), job.signal);
    // A run published again with fewer files (e.g. without the dataset): the manifest is the truth.
    const listed = new Set([manifestKey, ...artifacts.map((a) => a.key)]);
    const stale = (await store.list(input.prefix, job.signal)).filter((o) => !listed.has(o.key)).map((o) => o.key);
    if (stale.length) {
      await store.remove(stale, job.signal);
      ctx.log.info('objects no longer in the run removed', { prefix: input.prefix, removed: stale.length });
    }
    return { objects: artifacts.length, bytes: totalBytes, uploaded, skipped, manifestKey, manifest };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
