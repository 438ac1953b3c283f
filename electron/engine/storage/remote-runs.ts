/**
 * Runs already in the bucket: listed by dataset (incomplete ones flagged), reopened with every
 * object checked against the manifest, downloaded to a folder, or deleted.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ObjectCheck, OpenedResult, OpenedRun, RemoteRun, RunManifest } from '../../../shared/contract/storage';
import { StudioError } from '../../../shared/errors';
import type { JobContext } from '../jobs/manager';
import { datasetPrefix, keys, MANIFEST_NAME, parseRunKey, runPrefix, type RunAddress } from './layout';
import { parseManifest } from './manifest';
import type { ObjectStore } from './object-store';
import { resultFromParquet } from './result-files';

/** Far above a real manifest (a few kB per analysis): a bigger one is not ours. */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
/** Largest result, chart or report object opened in memory (a run's results are aggregates). */
export const MAX_OPENED_OBJECT_BYTES = 256 * 1024 * 1024;

export async function listRemoteRuns(store: ObjectStore, dataset?: string, signal?: AbortSignal): Promise<RemoteRun[]> {
  const objects = await store.list(dataset ? datasetPrefix(dataset) : '', signal);
  const runs = new Map<string, RemoteRun & { hasManifest: boolean }>();
  for (const o of objects) {
    const parsed = parseRunKey(o.key);
    if (!parsed) continue;
    let run = runs.get(parsed.prefix);
    if (!run) {
      run = { ...parsed.run, prefix: parsed.prefix, complete: false, hasManifest: false, objects: 0, bytes: 0, publishedAt: null };
      runs.set(parsed.prefix, run);
    }
    if (parsed.rest === MANIFEST_NAME) run.hasManifest = true;
    else {
      run.objects++;
      run.bytes += o.size;
    }
    if (!run.publishedAt || o.lastModified > run.publishedAt) run.publishedAt = o.lastModified;
  }
  const out: RemoteRun[] = [];
  for (const { hasManifest, ...run } of runs.values()) {
    if (hasManifest) {
      try {
        const manifest = parseManifest(
          await store.getBuffer(keys.manifest(run.prefix), MAX_MANIFEST_BYTES, signal),
          keys.manifest(run.prefix),
        );
        Object.assign(run, {
          complete: true,
          publishedAt: manifest.publishedAt,
          startedAt: manifest.run.startedAt,
          engine: manifest.run.engine,
          analyses: manifest.analyses.length,
          dataset: manifest.dataset.name,
        });
      } catch (err) {
        if (err instanceof StudioError && err.code !== 'S3_INTEGRITY') throw err;
        run.manifestError = err instanceof Error ? err.message : String(err);
      }
    }
    out.push(run);
  }
  return out.sort(
    (a, b) => a.dataset.localeCompare(b.dataset) || b.version - a.version || (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''),
  );
}

export async function readManifest(store: ObjectStore, run: RunAddress, signal?: AbortSignal): Promise<RunManifest> {
  const key = keys.manifest(runPrefix(run));
  const stat = await store.stat(key, signal);
  if (!stat) {
    const rest = await store.list(runPrefix(run), signal);
    if (rest.length)
      throw new StudioError(
        'S3_INTEGRITY',
        `Run ${run.runId} of "${run.dataset}" is incomplete: its manifest.json is missing.`,
        { ...run },
        'Delete the incomplete run and publish it again.',
      );
    throw new StudioError(
      'NOT_FOUND',
      `No published run ${run.runId} of "${run.dataset}" version ${run.version} in bucket "${store.bucket}".`,
      { ...run },
    );
  }
  if (stat.size > MAX_MANIFEST_BYTES)
    throw new StudioError('S3_INTEGRITY', `${key} has ${stat.size.toLocaleString('en-US')} bytes: not a SparkPolar run manifest.`, { key });
  return parseManifest(await store.getBuffer(key, MAX_MANIFEST_BYTES, signal), key);
}

function mismatch(checks: ObjectCheck[], run: RunAddress): StudioError {
  const bad = checks.filter((c) => !c.ok);
  const first = bad[0]!;
  const why =
    first.actualSha256 === null
      ? 'is missing'
      : first.actualSize !== first.expectedSize
        ? `has ${first.actualSize} bytes instead of ${first.expectedSize}`
        : 'does not match its SHA-256';
  return new StudioError('S3_INTEGRITY', `${bad.length} object(s) of run ${run.runId} do not match the manifest: ${first.key} ${why}.`, {
    ...run,
    mismatches: bad,
  });
}

/** Reads a run back: every object hashed and compared with the manifest, results parsed, charts loaded. */
export async function openRemoteRun(store: ObjectStore, run: RunAddress, job: JobContext, verifyDataset = true): Promise<OpenedRun> {
  const manifest = await readManifest(store, run, job.signal);
  const total = manifest.objects.reduce((n, o) => n + o.size, 0);
  const held = manifest.objects.filter((o) => o.role !== 'dataset').reduce((n, o) => n + o.size, 0);
  if (held > MAX_OPENED_OBJECT_BYTES)
    throw new StudioError(
      'S3_INTEGRITY',
      `Run ${run.runId} declares ${held.toLocaleString('en-US')} bytes of results, more than a run holds; download it instead of opening it.`,
      { ...run },
    );
  let done = 0;
  const checks: ObjectCheck[] = [];
  const bodies = new Map<string, Buffer>();
  for (const o of manifest.objects) {
    job.throwIfCancelled();
    job.progress({ phase: 'verify', message: `Checking ${o.key.slice(manifest.prefix.length)}`, done, total, unit: 'bytes' });
    let actual: { size: number; sha256: string } | null = null;
    try {
      if (o.role === 'dataset') {
        if (verifyDataset) actual = await store.download(o.key, null, o.size, job.signal);
        else actual = { size: o.size, sha256: o.sha256 };
      } else {
        const body = await store.getBuffer(o.key, o.size, job.signal);
        bodies.set(o.key, body);
        actual = { size: body.length, sha256: createHash('sha256').update(body).digest('hex') };
      }
    } catch (err) {
      if (!(err instanceof StudioError && err.code === 'NOT_FOUND')) throw err;
    }
    checks.push({
      key: o.key,
      expectedSha256: o.sha256,
      actualSha256: actual?.sha256 ?? null,
      expectedSize: o.size,
      actualSize: actual?.size ?? null,
      ok: !!actual && actual.sha256 === o.sha256 && actual.size === o.size,
    });
    done += o.size;
  }
  if (checks.some((c) => !c.ok)) throw mismatch(checks, run);

  const results: OpenedResult[] = manifest.analyses.map((a) => {
    const parquet = manifest.objects.find((o) => o.role === 'result-parquet' && o.analysisId === a.id);
    const chart = manifest.objects.find((o) => o.role === 'chart' && o.analysisId === a.id);
    const opened: OpenedResult = { id: a.id, status: a.status, table: parquet ? resultFromParquet(bodies.get(parquet.key)!) : null };
    if (chart) {
      const body = bodies.get(chart.key)!;
      opened.chart = chart.contentType.startsWith('image/png')
        ? { type: 'png', pngBase64: body.toString('base64') }
        : { type: 'svg', svg: body.toString('utf8') };
    }
    return opened;
  });
  return { manifest, checks, results, reportKey: manifest.objects.find((o) => o.role === 'report')?.key ?? null };
}

/** Downloads every object of a run (manifest included) into `<folder>/<dataset>/<version>/<run-id>/`, verified. */
export async function downloadRemoteRun(
  store: ObjectStore,
  run: RunAddress,
  folder: string,
  job: JobContext,
): Promise<{ folder: string; files: number; bytes: number }> {
  const manifest = await readManifest(store, run, job.signal);
  const target = path.resolve(folder, ...runPrefix(run).split('/').filter(Boolean));
  const total = manifest.objects.reduce((n, o) => n + o.size, 0);
  fs.mkdirSync(target, { recursive: true });
  const free = freeBytes(target);
  if (free !== null && total > free)
    throw new StudioError(
      'DISK_FULL',
      `The run has ${total.toLocaleString('en-US')} bytes and only ${free.toLocaleString('en-US')} are free in ${target}.`,
      {
        neededBytes: total,
        freeBytes: free,
      },
    );
  let done = 0;
  const checks: ObjectCheck[] = [];
  for (const o of manifest.objects) {
    job.throwIfCancelled();
    const file = path.resolve(target, o.key.slice(manifest.prefix.length));
    if (!file.startsWith(target + path.sep))
      throw new StudioError('S3_INTEGRITY', `The manifest names ${o.key}, which would land outside the download folder.`, { key: o.key });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const got = await store.download(o.key, file, o.size, job.signal, (n) => {
      done += n;
      job.progress({ phase: 'download', message: o.key.slice(manifest.prefix.length), done, total, unit: 'bytes' });
    });
    checks.push({
      key: o.key,
      expectedSha256: o.sha256,
      actualSha256: got.sha256,
      expectedSize: o.size,
      actualSize: got.size,
      ok: got.sha256 === o.sha256 && got.size === o.size,
    });
  }
  if (checks.some((c) => !c.ok)) throw mismatch(checks, run);
  const manifestBody = await store.getBuffer(keys.manifest(manifest.prefix), MAX_MANIFEST_BYTES, job.signal);
  fs.writeFileSync(path.join(target, MANIFEST_NAME), manifestBody);
  return { folder: target, files: manifest.objects.length + 1, bytes: total + manifestBody.length };
}

function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Deletes a run: the manifest first (so a half-deleted run shows as incomplete), then the rest. */
export async function deleteRemoteRun(store: ObjectStore, run: RunAddress): Promise<number> {
  const prefix = runPrefix(run);
  const found = await store.list(prefix);
  if (!found.length)
    throw new StudioError('NOT_FOUND', `No published run ${run.runId} of "${run.dataset}" version ${run.version}.`, { ...run });
  const manifestKey = keys.manifest(prefix);
  const hasManifest = found.some((o) => o.key === manifestKey);
  let removed = hasManifest ? await store.remove([manifestKey]) : 0;
  removed += await store.remove(found.filter((o) => o.key !== manifestKey).map((o) => o.key));
  return removed;
}
