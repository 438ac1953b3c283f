/**
 * The Databricks client against the loopback emulator: auth (token, OAuth M2M with refresh),
 * every retry path (429 + Retry-After, 503, HTML 502, dropped connections, INVALID_STATE on
 * submit) and error mapping, run paging, int64 ids, get-output by task id, Files API, DBFS
 * limits and the upload strategies (skip by hash, DBFS fallback, restart after a lost block).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import type { DatabricksClient } from '../../electron/engine/spark/client';
import type { ResolvedDatabricksConfig } from '../../electron/engine/spark/config';
import { connectDatabricks } from '../../electron/engine/spark/connect';
import { chooseStorage, downloadBuffer, uploadBuffer, uploadFile } from '../../electron/engine/spark/storage';
import {
  startDatabricksEmulator,
  fakeClock,
  faultAnswers,
  MB,
  type DatabricksEmulator,
  type FakeClock,
} from '../support/databricks-emulator';

function config(emulator: DatabricksEmulator, overrides: Partial<ResolvedDatabricksConfig> = {}): ResolvedDatabricksConfig {
  return {
    host: emulator.host,
    auth: { kind: 'token', token: emulator.token },
    clusterId: null,
    volume: '/Volumes/main/default/sparkpolar',
    dbfsDir: 'dbfs:/FileStore/sparkpolar',
    uploadTo: 'volume',
    workspaceDir: '/Shared/sparkpolar',
    taskKind: 'notebook',
    pollIntervalMs: 10,
    retryBudgetMs: 60_000,
    source: 'test',
    profile: null,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<StudioError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StudioError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const notebookTask = (extra: Record<string, unknown> = {}) => ({
  run_name: 'test',
  tasks: [{ task_key: 'main', notebook_task: { notebook_path: '/Shared/nb', base_parameters: {} }, ...extra }],
});

function tempFile(bytes: number): { file: string; sha: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbx-upload-'));
  const file = path.join(dir, 'data.bin');
  const data = crypto.randomBytes(bytes);
  fs.writeFileSync(file, data);
  return { file, sha: crypto.createHash('sha256').update(data).digest('hex') };
}

describe('Databricks client against the emulator', () => {
  let emulator: DatabricksEmulator;
  let clock: FakeClock;
  let client: DatabricksClient;

  beforeAll(async () => {
    emulator = await startDatabricksEmulator({ clock: { mode: 'manual' } });
  });
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(() => {
    emulator.faults.clear();
    clock = fakeClock();
    client = connectDatabricks(config(emulator), { clock });
  });

  const fresh = () => {
    clock = fakeClock();
    client = connectDatabricks(config(emulator), { clock });
    return client;
  };

  it('authenticates with a token and refuses a bad one with a clear auth error, without retrying', async () => {
    fresh();
    await client.workspaceMkdirs('/Shared/sparkpolar');
    const bad = connectDatabricks(config(emulator, { auth: { kind: 'token', token: 'dapi-not-a-real-token' } }), { clock: fakeClock() });
    const before = emulator.requests.length;
    const err = await failure(bad.workspaceMkdirs('/Shared/x'));
    expect(err.code).toBe('DATABRICKS_AUTH_FAILED');
    expect(err.message).toContain('Invalid access token');
    expect(err.message).not.toContain('dapi-not-a-real-token');
    expect(err.details?.status).toBe(403);
    expect(emulator.requests.length - before).toBe(1);
  });

  it('uses OAuth M2M: discovers the token endpoint, refreshes before expiry, and recovers from an early rejection', async () => {
    const sp = emulator.oauthClients[0]!;
    const c = fakeClock();
    const oauth = connectDatabricks(
      config(emulator, { auth: { kind: 'oauth-m2m', clientId: sp.clientId, clientSecret: sp.clientSecret } }),
      { clock: c },
    );
    const before = emulator.requests.length;
    await oauth.workspaceMkdirs('/Shared/oauth');
    await oauth.workspaceMkdirs('/Shared/oauth2');
    const seen = emulator.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.auth}`);
    expect(seen).toEqual([
      'GET /oidc/.well-known/oauth-authorization-server none',
      'POST /oidc/v1/token basic',
      'POST /api/2.0/workspace/mkdirs bearer',
      'POST /api/2.0/workspace/mkdirs bearer',
    ]);
    // 56 minutes later (client clock) the one-hour token is refreshed before use.
    c.advance(56 * 60_000);
    const mark = emulator.requests.length;
    await oauth.workspaceMkdirs('/Shared/oauth3');
    expect(emulator.requests.slice(mark).map((r) => r.path)).toEqual(['/oidc/v1/token', '/api/2.0/workspace/mkdirs']);
    // The server's clock runs ahead: it rejects the cached token; the client fetches a new one once.
    emulator.clock.advance(60 * 60_000);
    const mark2 = emulator.requests.length;
    await oauth.workspaceMkdirs('/Shared/oauth4');
    expect(emulator.requests.slice(mark2).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/api/2.0/workspace/mkdirs 403',
      '/oidc/v1/token 200',
      '/api/2.0/workspace/mkdirs 200',
    ]);
  });

  it('reports wrong OAuth client credentials as an auth failure', async () => {
    const oauth = connectDatabricks(config(emulator, { auth: { kind: 'oauth-m2m', clientId: 'nobody', clientSecret: 'wrong' } }), {
      clock: fakeClock(),
    });
    const err = await failure(oauth.workspaceMkdirs('/Shared/x'));
    expect(err.code).toBe('DATABRICKS_AUTH_FAILED');
    expect(err.message).toMatch(/Client authentication failed/);
  });

  it('retries 429 after exactly the Retry-After the server asked for', async () => {
    fresh();
    emulator.inject.rateLimited('/api/2.0/workspace/mkdirs', { retryAfter: 7, times: 2 });
    await client.workspaceMkdirs('/Shared/rl');
    expect(clock.sleeps).toEqual([7000, 7000]);
    expect(
      emulator.requests
        .filter((r) => r.path === '/api/2.0/workspace/mkdirs')
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([429, 429, 200]);
  });

  it('retries 503 and HTML 502 pages with backoff, and network drops on reads', async () => {
    fresh();
    emulator.inject.unavailable('/api/2.0/dbfs/get-status', { times: 1 });
    emulator.inject.html('/api/2.0/dbfs/get-status', { status: 502, times: 1 });
    emulator.inject.drop('/api/2.0/dbfs/get-status', { times: 1 });
    expect(await client.dbfsGetStatus('/nothing-here')).toBeNull();
    expect(clock.sleeps).toHaveLength(3);
    // Exponential backoff: each wait at least the previous base doubled.
    expect(clock.sleeps[0]!).toBeGreaterThanOrEqual(1000);
    expect(clock.sleeps[1]!).toBeGreaterThanOrEqual(2000);
    expect(clock.sleeps[2]!).toBeGreaterThanOrEqual(4000);
  });

  it('gives up when the time budget is spent, naming the last error (HTML body made readable)', async () => {
    const c = fakeClock();
    const short = connectDatabricks(config(emulator, { retryBudgetMs: 20_000 }), { clock: c });
    emulator.inject.html('/api/2.0/workspace/mkdirs', { status: 502, times: 100 });
    const err = await failure(short.workspaceMkdirs('/Shared/x'));
    expect(err.code).toBe('DATABRICKS_UNAVAILABLE');
    expect(err.message).toContain('Bad Gateway');
    expect(err.message).not.toContain('<html');
    expect(err.details?.attempts).toBeGreaterThan(1);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);

    emulator.faults.clear();
    emulator.inject.rateLimited('/api/2.0/workspace/mkdirs', { retryAfter: 30, times: 100 });
    const limited = await failure(
      connectDatabricks(config(emulator, { retryBudgetMs: 100_000 }), { clock: fakeClock() }).workspaceMkdirs('/Shared/x'),
    );
    expect(limited.code).toBe('DATABRICKS_RATE_LIMITED');
    expect(limited.details?.attempts).toBe(4);
  });

  it('maps plain-text, empty and named error bodies to stable codes', async () => {
    fresh();
    emulator.inject.answer('/api/2.0/workspace/mkdirs', faultAnswers.plainText(400, 'INVALID_PARAMETER_VALUE: Path must be absolute'));
    const plain = await failure(client.workspaceMkdirs('/Shared/x'));
    expect(plain.code).toBe('DATABRICKS_INVALID');
    expect(plain.details?.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(plain.message).toContain('Path must be absolute');

    emulator.inject.answer('/api/2.0/workspace/mkdirs', faultAnswers.empty(404));
    expect((await failure(client.workspaceMkdirs('/Shared/x'))).code).toBe('DATABRICKS_NOT_FOUND');

    emulator.inject.answer('/api/2.0/workspace/mkdirs', {
      kind: 'status',
      status: 403,
      body: JSON.stringify({ error_code: 'PERMISSION_DENIED', message: 'User lacks CAN_MANAGE' }),
    });
    expect((await failure(client.workspaceMkdirs('/Shared/x'))).code).toBe('DATABRICKS_PERMISSION_DENIED');

    // INVALID_STATE outside submit is an answer, not throttling: no retry.
    emulator.inject.invalidState('/api/2.0/workspace/mkdirs');
    const state = await failure(client.workspaceMkdirs('/Shared/x'));
    expect(state.code).toBe('DATABRICKS_INVALID');
    expect(clock.sleeps).toEqual([]);
  });

  it('retries throttled submits (INVALID_STATE) and network drops with the same idempotency token: one run', async () => {
    fresh();
    await client.workspaceMkdirs('/Shared');
    emulator.inject.invalidState('/api/2.2/jobs/runs/submit', { times: 1 });
    emulator.inject.drop('/api/2.2/jobs/runs/submit', { times: 1 });
    const runsBefore = emulator.runs.size;
    const token = `sp-${crypto.randomUUID()}`;
    const runId = await client.submitRun(notebookTask(), token);
    expect(emulator.runs.size).toBe(runsBefore + 1);
    expect(clock.sleeps).toHaveLength(2);
    // The same token again (as after a lost answer) gives the same run.
    expect(await client.submitRun(notebookTask(), token)).toBe(runId);
    expect(emulator.runs.size).toBe(runsBefore + 1);
    expect(emulator.submissions.get(runId)?.idempotency_token).toBe(token);
  });

  it('reads the output with the task run id; the parent id is refused', async () => {
    fresh();
    const runId = await client.submitRun(notebookTask(), crypto.randomUUID());
    emulator.clock.advance(3_600_000);
    await emulator.settle();
    const run = await client.getRun(runId);
    expect(run.tasks).toHaveLength(1);
    const taskRunId = run.tasks[0]!.run_id;
    expect(taskRunId).not.toBe(runId);
    const parent = await failure(client.getRunOutput(runId));
    expect(parent.code).toBe('DATABRICKS_INVALID');
    expect(parent.details?.errorCode).toBe('INVALID_PARAMETER_VALUE');
    const output = await client.getRunOutput(taskRunId);
    expect(output.metadata).toBeDefined();
    // The notebook does not exist: the task failed, and says why.
    expect(output.error).toContain('Notebook not found');
    expect(run.state.life_cycle_state).toBe('INTERNAL_ERROR');
    expect(run.state.result_state).toBe('FAILED');
  });

  it('reports a missing run as not found', async () => {
    fresh();
    const err = await failure(client.getRun('123'));
    expect(err.code).toBe('DATABRICKS_NOT_FOUND');
    expect(err.message).toContain('does not exist');
  });

  it('follows runs/get pages and keeps int64 ids above 2^53 exact', async () => {
    const big = await startDatabricksEmulator({ clock: { mode: 'manual' }, bigIds: true, extraTasks: 4, pageSize: 2 });
    try {
      const c = connectDatabricks(config(big), { clock: fakeClock() });
      await c.workspaceMkdirs('/Shared');
      const runId = await c.submitRun(notebookTask(), 'paging-token');
      expect(BigInt(runId)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
      expect(big.runs.has(runId)).toBe(true);
      const run = await c.getRun(runId);
      expect(run.run_id).toBe(runId);
      expect(run.tasks.map((t) => t.task_key)).toEqual(['main', 'noop_1', 'noop_2', 'noop_3', 'noop_4']);
      expect(new Set(run.tasks.map((t) => t.run_id)).size).toBe(5);
      expect(big.requests.filter((r) => r.path === '/api/2.2/jobs/runs/get')).toHaveLength(3);
      for (const t of run.tasks) expect(big.runs.get(runId)!.tasks.some((e) => e.runId === t.run_id)).toBe(true);
      await c.cancelRun(runId);
      expect(big.runs.get(runId)!.cancelledAt).not.toBeNull();
    } finally {
      await big.close();
    }
  });

  it('moves a run through QUEUED, PENDING, RUNNING, TERMINATING, TERMINATED and reports phase durations on tasks[0]', async () => {
    const timed = await startDatabricksEmulator({
      clock: { mode: 'manual' },
      durations: { serverless: { queue: 1000, setup: 5000, execution: 8000, cleanup: 500 } },
      executor: async () => ({ notebookResult: '{"status":"ok"}' }),
    });
    try {
      const c = connectDatabricks(config(timed), { clock: fakeClock() });
      await c.workspaceMkdirs('/Shared');
      await c.workspaceImport('/Shared/nb', Buffer.from('# Databricks notebook source\nprint(1)\n'));
      const runId = await c.submitRun(notebookTask(), 'lifecycle');
      const states: string[] = [];
      for (const step of [0, 1000, 5000, 8000, 500]) {
        timed.clock.advance(step);
        await timed.settle();
        states.push((await c.getRun(runId)).state.life_cycle_state);
      }
      expect(states).toEqual(['QUEUED', 'PENDING', 'RUNNING', 'TERMINATING', 'TERMINATED']);
      const run = await c.getRun(runId);
      expect(run.state.result_state).toBe('SUCCESS');
      expect(run.setup_duration).toBe(0);
      expect(run.tasks[0]).toMatchObject({ queue_duration: 1000, setup_duration: 5000, execution_duration: 8000, cleanup_duration: 500 });
      expect(run.run_page_url).toContain(`/run/${runId}`);
      const out = await c.getRunOutput(run.tasks[0]!.run_id);
      expect(out.notebook_output?.result).toBe('{"status":"ok"}');
    } finally {
      await timed.close();
    }
  });

  it('uploads to a volume with the Files API (escaped paths, HEAD, ranged GET, DELETE)', async () => {
    fresh();
    const storage = await chooseStorage(client, '/Volumes/main/default/sparkpolar', 'dbfs:/FileStore/sp');
    expect(storage.kind).toBe('volume');
    const { file } = tempFile(300_000);
    const progress: number[] = [];
    const remote = '/Volumes/main/default/sparkpolar/datasets/with space & sign.bin';
    const first = await uploadFile(client, storage, file, remote, { skipIfSameSize: true, onProgress: (d) => progress.push(d) });
    expect(first).toMatchObject({ skipped: false, bytes: 300_000 });
    expect(progress.at(-1)).toBe(300_000);
    const put = emulator.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/2.0/fs/files/')).at(-1)!;
    expect(put.path).toContain('with%20space%20%26%20sign.bin');
    expect(put.bytes).toBe(300_000);
    expect((await client.headFile(remote))?.size).toBe(300_000);
    const part = await client.getFile(remote, undefined, { start: 10, end: 19 });
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fs.readFileSync(file).subarray(10, 20));
    expect(await downloadBuffer(client, storage, remote)).toEqual(fs.readFileSync(file));
    await client.deleteFile(remote);
    expect(await client.headFile(remote)).toBeNull();
  });

  it('skips the upload when a file with the same hash name and size is already there', async () => {
    fresh();
    const storage = await chooseStorage(client, '/Volumes/main/default/sparkpolar', 'dbfs:/FileStore/sp');
    const { file, sha } = tempFile(50_000);
    const remote = `/Volumes/main/default/sparkpolar/datasets/${sha}.parquet`;
    expect((await uploadFile(client, storage, file, remote, { skipIfSameSize: true })).skipped).toBe(false);
    const puts = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path.includes(sha)).length;
    const before = puts();
    expect((await uploadFile(client, storage, file, remote, { skipIfSameSize: true })).skipped).toBe(true);
    expect(puts()).toBe(before);
  });

  it('falls back to DBFS when the volume does not exist, in 1 MB blocks, restarting after a lost block', async () => {
    fresh();
    const storage = await chooseStorage(client, '/Volumes/main/default/missing_volume', 'dbfs:/FileStore/sp');
    expect(storage.kind).toBe('dbfs');
    expect(storage.fallbackReason).toContain('missing_volume');
    const { file } = tempFile(Math.round(2.5 * MB));
    const remote = `${storage.root}/datasets/big.bin`;
    emulator.inject.drop('/api/2.0/dbfs/add-block', { times: 1 });
    const before = emulator.requests.length;
    await uploadFile(client, storage, file, remote, { skipIfSameSize: true });
    const calls = emulator.requests.slice(before).map((r) => r.path.replace('/api/2.0/dbfs/', ''));
    // First attempt: create, one dropped block; second attempt: create, three blocks, close.
    expect(calls.filter((c) => c === 'create')).toHaveLength(2);
    expect(calls.filter((c) => c === 'add-block')).toHaveLength(4);
    expect(calls.filter((c) => c === 'close')).toHaveLength(1);
    expect(await downloadBuffer(client, storage, remote)).toEqual(fs.readFileSync(file));
    expect(emulator.requests.slice(before).filter((r) => r.path.endsWith('/dbfs/read')).length).toBe(3);
  });

  it('enforces the DBFS limits: 1 MB per block, 1 MB per read, handles expiring after 10 idle minutes', async () => {
    fresh();
    const handle = await client.dbfsCreate('/FileStore/limits.bin', true);
    const tooBig = await failure(client.dbfsAddBlock(handle, Buffer.alloc(MB + 1)));
    expect(tooBig.code).toBe('DATABRICKS_INVALID');
    expect(tooBig.details?.errorCode).toBe('MAX_BLOCK_SIZE_EXCEEDED');
    await client.dbfsAddBlock(handle, Buffer.alloc(MB, 1));
    emulator.clock.advance(10 * 60_000 + 1);
    const expired = await failure(client.dbfsAddBlock(handle, Buffer.alloc(10)));
    expect(expired.message).toContain('expired');
    const storage = { kind: 'dbfs' as const, root: 'dbfs:/FileStore' };
    await uploadBuffer(client, storage, Buffer.alloc(10, 2), 'dbfs:/FileStore/limits.bin');
    const readTooMuch = await failure(client.dbfsRead('/FileStore/limits.bin', 0, MB + 1));
    expect(readTooMuch.details?.errorCode).toBe('MAX_READ_SIZE_EXCEEDED');
  });

  it('imports the job as a notebook and refuses workspace imports over 10 MB before sending them', async () => {
    fresh();
    await client.workspaceMkdirs('/Shared/sparkpolar');
    await client.workspaceImport('/Shared/sparkpolar/job', Buffer.from('# Databricks notebook source\nprint("hi")\n'));
    expect(emulator.storage.workspace.get('/Shared/sparkpolar/job')?.kind).toBe('NOTEBOOK');
    const before = emulator.requests.length;
    const err = await failure(client.workspaceImport('/Shared/sparkpolar/big', Buffer.alloc(10 * MB + 1)));
    expect(err.code).toBe('DATABRICKS_INVALID');
    expect(emulator.requests.length).toBe(before);
  });

  it('stops waiting for a retry when cancelled', async () => {
    const c = connectDatabricks(config(emulator), {});
    emulator.inject.rateLimited('/api/2.0/workspace/mkdirs', { retryAfter: 30, times: 1 });
    const controller = new AbortController();
    const pending = failure(c.workspaceMkdirs('/Shared/cancel', controller.signal));
    setTimeout(() => controller.abort(), 50);
    expect((await pending).code).toBe('CANCELLED');
  });
});
