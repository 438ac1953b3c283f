/**
 * Publishing analysis runs to a real S3-protocol server on loopback, through the engine's contract:
 * round trip with checksums, integrity check on reopen, storage stopped mid-publish (queued in
 * PostgreSQL, completed after an engine restart, nothing duplicated or lost), wrong secret, missing
 * bucket, cancel, incomplete runs and their clean-up, download.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pl from 'nodejs-polars';
import type { ImportResult } from '../../shared/api';
import type { AnalysisRun } from '../../shared/contract/analysis';
import type { RunManifest } from '../../shared/contract/storage';
import { bridgeFromChannel, createClient, type StudioClient } from '../../shared/client';
import { StudioError } from '../../shared/errors';
import { channelPair } from '../../shared/rpc';
import { Engine } from '../../electron/engine/engine';
import { silentLogger } from '../../electron/engine/log';
import { ORIGINAL_NULL_DROP_COLUMNS } from '../../shared/analyses';
import { quoteIdent } from '../../electron/engine/db/sql';
import { REAL_4401, repoRoot } from '../support/analysis-fixtures';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { S3TestServer } from '../support/s3-server';

const BUCKET = 'sparkpolar';
const ANALYSES = ['explore-counts', 'desc-body-type', 'desc-crash-year', 'corr-pearson'];
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Fast retries so an outage is noticed in well under a second. */
function envFor(server: S3TestServer, over: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...server.env(BUCKET),
    SPARKPOLAR_S3_ATTEMPTS: '2',
    SPARKPOLAR_S3_RETRY_BASE_MS: '20',
    SPARKPOLAR_S3_RETRY_MAX_MS: '40',
    SPARKPOLAR_PUBLISH_RETRY_BASE_MS: '300',
    SPARKPOLAR_PUBLISH_RETRY_MAX_MS: '600',
    ...over,
  };
}

/** Another engine on the same database and data folder (an app restart, or other settings), retrying its queue as the app does. */
function engineOn(base: TestEngine, env: NodeJS.ProcessEnv): { engine: Engine; client: StudioClient } {
  const engine = new Engine({
    home: base.home,
    databaseUrl: base.databaseUrl,
    host: 'test',
    log: silentLogger,
    env,
    files: 'any',
    retryQueueInBackground: true,
  });
  const [engineSide, clientSide] = channelPair();
  engine.attach(engineSide);
  return { engine, client: createClient(bridgeFromChannel(clientSide)) };
}

async function failure(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected a failure');
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('publishing runs to object storage', () => {
  const server = new S3TestServer();
  let t: TestEngine;
  let dataset: string;
  let imported: ImportResult;
  let runA: AnalysisRun;

  beforeAll(async () => {
    await server.start();
    // No MINIO_ENDPOINT on this first engine: it never retries on its own, so each test drives it.
    t = await startTestEngine({ env: { ...envFor(server), MINIO_ENDPOINT: '' } });
    imported = await t.client.run('dataset/import', { path: REAL_4401, name: 'crashes' });
    dataset = imported.dataset;
    runA = await t.client.run('analysis/run', { dataset, analyses: ANALYSES });
  });
  afterAll(async () => {
    await t?.close();
    await server.dispose();
  });

  /** An engine on the same database that publishes to the test server (and retries its queue on start). */
  function publisher(over: Record<string, string> = {}) {
    return engineOn(t, envFor(server, over));
  }

  it('publishes a run and reopens it: same results, every checksum verified, manifest written last', async () => {
    const { engine, client } = publisher();
    try {
      server.clearLog();
      const published = await client.run('storage/publish', { dataset, runId: runA.runId, includeDataset: true });
      expect(published).toMatchObject({
        status: 'published',
        dataset,
        version: runA.version,
        runId: runA.runId,
        bucket: BUCKET,
        skipped: 0,
      });
      const prefix = `crashes/${runA.version}/${runA.runId}/`;
      expect(published.prefix).toBe(prefix);

      // What is in the bucket, read independently of the app's client.
      const stored = await server.keys(BUCKET, prefix);
      const manifest = JSON.parse((await server.read(BUCKET, `${prefix}manifest.json`)).body.toString()) as RunManifest;
      expect(stored).toEqual([...manifest.objects.map((o) => o.key), `${prefix}manifest.json`].sort());
      expect(published.objects).toBe(manifest.objects.length);
      for (const o of manifest.objects) {
        const { body, contentType } = await server.read(BUCKET, o.key);
        expect({ key: o.key, size: body.length, sha256: sha(body) }).toEqual({ key: o.key, size: o.size, sha256: o.sha256 });
        expect(contentType).toBe(o.contentType);
      }
      const withTables = runA.results.filter((r) => r.table);
      expect(
        manifest.objects
          .filter((o) => o.role === 'result-parquet')
          .map((o) => o.analysisId)
          .sort(),
      ).toEqual(withTables.map((r) => r.id).sort());
      expect(manifest.objects.filter((o) => o.role === 'result-csv')).toHaveLength(withTables.length);
      expect(manifest.objects.some((o) => o.role === 'report' && o.contentType.startsWith('text/html'))).toBe(true);
      expect(manifest.objects.some((o) => o.role === 'chart' && o.contentType === 'image/svg+xml')).toBe(true);
      expect(manifest).toMatchObject({
        bucket: BUCKET,
        prefix,
        dataset: { name: dataset, version: runA.version },
        run: { runId: runA.runId, engine: runA.engine },
      });
      expect(manifest.analyses.map((a) => a.id)).toEqual(runA.results.map((r) => r.id));
      expect(manifest.versions.polars).toMatch(/^\d+\.\d+/);
      const datasetObject = manifest.objects.find((o) => o.role === 'dataset')!;
      // The dataset as the run saw it: the original's null-row drop applied (the run's default
      // cleaning), counted independently in PostgreSQL.
      const frame = pl.readParquet((await server.read(BUCKET, datasetObject.key)).body);
      const idOf = (name: string) => quoteIdent(imported.columns.find((c) => c.name === name)!.identifier);
      const { rows: counted } = await t.engine.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM data.${quoteIdent(imported.table)} WHERE ${ORIGINAL_NULL_DROP_COLUMNS.map((n) => `${idOf(n)} IS NOT NULL`).join(' AND ')}`,
      );
      expect(runA.cleaning.dropOriginalNulls).toBe(true);
      expect(frame.getColumns()[0]!.length).toBe(counted[0]!.n);
      expect(frame.getColumns().map((s) => s.name)).toEqual(imported.columns.map((c) => c.identifier));

      const puts = server.log.filter((r) => r.method === 'PUT' && r.key);
      expect(puts[puts.length - 1]!.key).toBe(`${prefix}manifest.json`);

      const opened = await client.run('storage/open', { dataset, version: runA.version, runId: runA.runId });
      expect(opened.checks).toHaveLength(manifest.objects.length);
      expect(opened.checks.every((c) => c.ok && c.actualSha256 === c.expectedSha256)).toBe(true);
      for (const r of runA.results) {
        expect(opened.results.find((o) => o.id === r.id)?.table ?? null).toEqual(r.table);
      }

      const remote = await client.call('storage/runs', { dataset });
      expect(remote).toEqual([expect.objectContaining({ dataset, runId: runA.runId, complete: true, objects: manifest.objects.length })]);
    } finally {
      await engine.close();
    }
  });

  it('refuses to reopen a run whose object was changed in storage (S3_INTEGRITY)', async () => {
    const { engine, client } = publisher();
    try {
      const key = `crashes/${runA.version}/${runA.runId}/results/desc-body-type.csv`;
      const original = (await server.read(BUCKET, key)).body;
      await server.tamper(BUCKET, key, Buffer.concat([original, Buffer.from('extra,1\n')]));
      const err = await failure(client.run('storage/open', { dataset, version: runA.version, runId: runA.runId }));
      expect(err.code).toBe('S3_INTEGRITY');
      expect(err.message).toContain(key);
      // Publishing the same run again repairs it: only the changed object (and the report, dated
      // by this new publish request) is sent again, then the manifest.
      server.clearLog();
      const again = await client.run('storage/publish', { dataset, runId: runA.runId });
      expect(again).toMatchObject({ status: 'published', uploaded: 2 });
      expect(again.skipped).toBe(again.objects - 2);
      const prefix = `crashes/${runA.version}/${runA.runId}/`;
      expect(server.log.filter((r) => r.method === 'PUT').map((r) => r.key)).toEqual([
        key,
        `${prefix}report.html`,
        `${prefix}manifest.json`,
      ]);
      expect((await client.run('storage/open', { dataset, version: runA.version, runId: runA.runId })).checks.every((c) => c.ok)).toBe(
        true,
      );
    } finally {
      await engine.close();
    }
  });

  it('queues a publish when storage stops mid-way, and completes it after an app restart without duplicates or losses', async () => {
    const runB = await t.client.run('analysis/run', { dataset, analyses: ANALYSES, fresh: true });
    expect(runB.runId).not.toBe(runA.runId);
    const prefix = `crashes/${runB.version}/${runB.runId}/`;
    const first = publisher();
    let objectPuts = 0;
    server.hook = (r) => {
      if (r.method === 'PUT' && r.key?.startsWith(prefix) && ++objectPuts === 3) {
        void server.stop();
        return 'cut';
      }
    };
    let queued;
    try {
      queued = await first.client.run('storage/publish', { dataset, runId: runB.runId });
    } finally {
      server.hook = null;
      await first.engine.close();
    }
    expect(queued).toMatchObject({ status: 'queued', runId: runB.runId, manifestKey: null, error: { code: 'S3_UNAVAILABLE' } });
    const waiting = await t.client.call('storage/queue', {});
    expect(waiting).toEqual([
      expect.objectContaining({
        id: queued.queueId,
        runId: runB.runId,
        state: 'queued',
        attempts: 1,
        lastError: expect.objectContaining({ code: 'S3_UNAVAILABLE' }),
      }),
    ]);

    // Storage comes back; the app starts again (a new engine on the same database) and retries.
    await server.start();
    const before = await server.keys(BUCKET, prefix);
    expect(before.length).toBeGreaterThan(0);
    expect(before).not.toContain(`${prefix}manifest.json`);
    server.clearLog();
    const restarted = publisher();
    try {
      await until('the queued publish to finish', async () => (await restarted.client.call('storage/queue', {})).length === 0);
      const done = await restarted.client.call('storage/queue', { includeDone: true });
      const entry = done.find((q) => q.id === queued.queueId);
      expect(entry?.state).toBe('done');
      expect(entry?.attempts).toBeGreaterThanOrEqual(2);

      const manifest = JSON.parse((await server.read(BUCKET, `${prefix}manifest.json`)).body.toString()) as RunManifest;
      expect(await server.keys(BUCKET, prefix)).toEqual([...manifest.objects.map((o) => o.key), `${prefix}manifest.json`].sort());
      // Objects stored before the outage were checked, not sent again; each other object once.
      const sent = server.log.filter((r) => r.method === 'PUT' && r.status === 200).map((r) => r.key!);
      expect(new Set(sent).size).toBe(sent.length);
      for (const key of before) {
        if (manifest.objects.some((o) => o.key === key)) expect(sent).not.toContain(key);
      }
      expect(sent.length).toBe(manifest.objects.length - before.length + 1);
      const opened = await restarted.client.run('storage/open', { dataset, version: runB.version, runId: runB.runId });
      expect(opened.checks.every((c) => c.ok)).toBe(true);
      const runs = await restarted.client.call('storage/runs', { dataset });
      expect(runs.map((r) => r.runId).sort()).toEqual([runA.runId, runB.runId].sort());
      expect(runs.every((r) => r.complete)).toBe(true);
    } finally {
      await restarted.engine.close();
    }
  });

  it('refuses a wrong secret with S3_AUTH_FAILED and queues nothing', async () => {
    const { engine, client } = publisher({ MINIO_SECRET_KEY: 'not-the-secret' });
    try {
      const tested = await failure(client.call('storage/test', {}));
      expect(tested.code).toBe('S3_AUTH_FAILED');
      const err = await failure(client.run('storage/publish', { dataset, runId: runA.runId }));
      expect(err.code).toBe('S3_AUTH_FAILED');
      expect(err.fix).toMatch(/secret key/);
      expect(await client.call('storage/queue', {})).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('says the bucket is missing and may not be created, without creating or queueing anything', async () => {
    server.allowCreateBucket = false;
    const { engine, client } = publisher({ MINIO_BUCKET: 'no-such-bucket' });
    try {
      expect(await client.call('storage/test', {})).toMatchObject({ ok: true, bucket: 'no-such-bucket', bucketExists: false });
      const err = await failure(client.run('storage/publish', { dataset, runId: runA.runId }));
      expect(err.code).toBe('S3_BUCKET_MISSING');
      expect(err.message).toMatch(/"no-such-bucket" does not exist, and these keys are not allowed to create it/);
      expect(await client.call('storage/queue', {})).toEqual([]);
      expect(await server.bucketExists('no-such-bucket')).toBe(false);
      expect(await server.bucketExists(BUCKET)).toBe(true);
    } finally {
      server.allowCreateBucket = true;
      await engine.close();
    }
  });

  it('cancels a publish and leaves no half-written run behind', async () => {
    const runC = await t.client.run('analysis/run', { dataset, analyses: ANALYSES.slice(0, 2), fresh: true });
    const prefix = `crashes/${runC.version}/${runC.runId}/`;
    const { engine, client } = publisher();
    const controller = new AbortController();
    server.hook = (r) => {
      if (r.method !== 'PUT' || !r.key?.startsWith(prefix) || controller.signal.aborted) return;
      controller.abort();
      return { delayMs: 500 }; // the cancel reaches the engine while this upload is in flight
    };
    try {
      const err = await failure(client.run('storage/publish', { dataset, runId: runC.runId }, { signal: controller.signal }));
      expect(err.code).toBe('CANCELLED');
      server.hook = null;
      await until('the clean-up', async () => (await server.keys(BUCKET, prefix)).length === 0);
      expect(await client.call('storage/queue', {})).toEqual([]);
    } finally {
      server.hook = null;
      await engine.close();
    }
  });

  it('shows a run without manifest as incomplete and cleans it up; deletes a complete run', async () => {
    const { engine, client } = publisher();
    try {
      const runB = (await client.call('storage/runs', { dataset })).find((r) => r.runId !== runA.runId)!;
      await server.removeDirect(BUCKET, `${runB.prefix}manifest.json`);
      const listed = await client.call('storage/runs', { dataset });
      expect(listed.find((r) => r.runId === runB.runId)).toMatchObject({ complete: false, objects: runB.objects });
      const reopen = await failure(client.run('storage/open', { dataset, version: runB.version, runId: runB.runId }));
      expect(reopen.code).toBe('S3_INTEGRITY');
      expect(reopen.message).toMatch(/incomplete/);

      expect(await client.call('storage/delete', { dataset, version: runB.version, runId: runB.runId })).toEqual({ deleted: runB.objects });
      expect(await server.keys(BUCKET, runB.prefix)).toEqual([]);
      expect((await client.call('storage/runs', { dataset })).map((r) => r.runId)).toEqual([runA.runId]);
    } finally {
      await engine.close();
    }
  });

  it('downloads a run into a folder, every file checked against the manifest', async () => {
    const { engine, client } = publisher();
    const folder = tempHome('download');
    try {
      const got = await client.run('storage/download', { dataset, version: runA.version, runId: runA.runId, folder });
      const manifest = JSON.parse(fs.readFileSync(path.join(got.folder, 'manifest.json'), 'utf8')) as RunManifest;
      expect(got.files).toBe(manifest.objects.length + 1);
      for (const o of manifest.objects) {
        const body = fs.readFileSync(path.join(got.folder, o.key.slice(manifest.prefix.length)));
        expect(sha(body)).toBe(o.sha256);
      }
    } finally {
      await engine.close();
    }
  });

  it('works from the command line: publish --json, runs --remote --json, and exit status 3 when queued', async () => {
    const cli = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [path.join(repoRoot, 'bin/sparkpolar.js'), ...args, '--database-url', t.databaseUrl, '--home', t.home],
          { env: { ...process.env, ...env }, timeout: 120_000 },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const env = envFor(server);
    const published = await cli(['publish', dataset, '--run', runA.runId, '--json'], env);
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({ status: 'published', runId: runA.runId, bucket: BUCKET });

    const listed = await cli(['runs', '--remote', '--json'], env);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ runId: string; complete: boolean }>).find((r) => r.runId === runA.runId)).toMatchObject({
      complete: true,
    });

    await server.stop();
    try {
      const queued = await cli(['publish', dataset, '--run', runA.runId, '--json'], env);
      expect(queued.code).toBe(3);
      const answer = JSON.parse(queued.stdout) as { status: string; queueId: number; error: { code: string } };
      expect(answer).toMatchObject({ status: 'queued', error: { code: 'S3_UNAVAILABLE' } });
      expect(await t.client.call('storage/queue', {})).toEqual([expect.objectContaining({ id: answer.queueId, state: 'queued' })]);
      expect(await t.client.call('storage/queue-remove', { id: answer.queueId })).toEqual({ removed: true });
    } finally {
      await server.start();
    }
  }, 240_000);
});
