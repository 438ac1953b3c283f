/**
 * Hostile objects in a bucket (#15.7): a published run whose objects were replaced by larger ones,
 * whose manifest declares more than a run holds, or whose manifest is itself huge. Opening or
 * downloading it reads each object as a stream with the size its manifest declares as the cap,
 * stops with S3_INTEGRITY as soon as an object passes it, and leaves no partial file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisRun } from '../../shared/contract/analysis';
import type { RunManifest } from '../../shared/contract/storage';
import { StudioError } from '../../shared/errors';
import { MAX_MANIFEST_BYTES } from '../../electron/engine/storage/remote-runs';
import { REAL_4401 } from '../support/real-data';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { S3TestServer } from '../support/s3-server';

const BUCKET = 'sparkpolar';

async function failure(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}

describe('hostile objects in a bucket', () => {
  const server = new S3TestServer();
  let t: TestEngine;
  let run: AnalysisRun;
  let prefix: string;
  let manifest: RunManifest;

  const address = () => ({ dataset: 'crashes', version: run.version, runId: run.runId });

  beforeAll(async () => {
    await server.start();
    t = await startTestEngine({ env: { ...server.env(BUCKET), SPARKPOLAR_S3_ATTEMPTS: '1' } });
    await t.client.run('dataset/import', { path: REAL_4401, name: 'crashes' });
    run = await t.client.run('analysis/run', { dataset: 'crashes', analyses: ['desc-body-type', 'desc-crash-year'] });
    const published = await t.client.run('storage/publish', { dataset: 'crashes', runId: run.runId, includeDataset: true });
    // The whole answer, so a failure says why the publish did not go through.
    expect(published).toMatchObject({ status: 'published' });
    prefix = `crashes/${run.version}/${run.runId}/`;
    manifest = JSON.parse((await server.read(BUCKET, `${prefix}manifest.json`)).body.toString('utf8')) as RunManifest;
  });
  afterAll(async () => {
    await t?.close();
    await server.dispose();
  });

  /** Runs `body` with `key` replaced by `bytes`, then puts the original back. */
  async function withObject(key: string, bytes: Buffer, body: () => Promise<void>): Promise<void> {
    const original = (await server.read(BUCKET, key)).body;
    await server.tamper(BUCKET, key, bytes);
    try {
      await body();
    } finally {
      await server.tamper(BUCKET, key, original);
    }
  }

  it('stops reading a result object as soon as it passes its declared size', async () => {
    const parquet = manifest.objects.find((o) => o.role === 'result-parquet')!;
    const huge = Buffer.alloc(parquet.size + 32 * 1024 * 1024, 7);
    await withObject(parquet.key, huge, async () => {
      const err = await failure(t.client.run('storage/open', address()));
      expect(err.code).toBe('S3_INTEGRITY');
      expect(err.message).toBe(`${parquet.key} is larger than the ${parquet.size.toLocaleString('en-US')} bytes its run declares.`);
    });
    // Put back, the run opens whole again.
    const opened = await t.client.run('storage/open', address());
    expect(opened.checks.every((c) => c.ok)).toBe(true);
  });

  it('downloads nothing past the declared size, and leaves no partial file', async () => {
    const dataset = manifest.objects.find((o) => o.role === 'dataset')!;
    const folder = tempHome('hostile-download');
    await withObject(dataset.key, Buffer.alloc(dataset.size + 8 * 1024 * 1024, 1), async () => {
      const err = await failure(t.client.run('storage/download', { ...address(), folder }));
      expect(err.code).toBe('S3_INTEGRITY');
      expect(err.message).toContain(dataset.key);
    });
    const left = fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const landed = left.map((e) => path.relative(folder, path.join(e.parentPath, e.name)));
    expect(landed.some((f) => f.endsWith(path.basename(dataset.key)))).toBe(false);
  });

  it('refuses a manifest that declares more results than a run holds, before reading them', async () => {
    const key = `${prefix}manifest.json`;
    const forged: RunManifest = {
      ...manifest,
      objects: manifest.objects.map((o) => (o.role === 'chart' ? { ...o, size: 50 * 1024 ** 3 } : o)),
    };
    await withObject(key, Buffer.from(JSON.stringify(forged)), async () => {
      const err = await failure(t.client.run('storage/open', address()));
      expect(err.code).toBe('S3_INTEGRITY');
      expect(err.message).toMatch(/declares [\d,]+ bytes of results, more than a run holds/);
    });
  });

  it('refuses a huge manifest without reading it', async () => {
    const key = `${prefix}manifest.json`;
    const padded = Buffer.concat([Buffer.from(JSON.stringify(manifest)), Buffer.alloc(MAX_MANIFEST_BYTES, 0x20)]);
    await withObject(key, padded, async () => {
      const err = await failure(t.client.run('storage/open', address()));
      expect(err.code).toBe('S3_INTEGRITY');
      expect(err.message).toMatch(/not a SparkPolar run manifest/);
      const listed = (await t.client.call('storage/runs', { dataset: 'crashes' })).find((r) => r.runId === run.runId)!;
      expect(listed.manifestError).toMatch(/larger than the [\d,]+ bytes/);
    });
  });
});
