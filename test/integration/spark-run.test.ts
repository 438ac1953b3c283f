/**
 * "Run on Spark" end to end against the Databricks emulator, on a real engine and PostgreSQL:
 * export, upload (and skip by hash), job upload, submit, life cycle as progress, results computed
 * by the independent DuckDB oracle, comparison with the Polars engine, storage of the run; then
 * the failure paths: a wrong result flagged as a mismatch, a failed task with its error_trace,
 * cancel mid-run, a bad token, the DBFS fallback and the Python-script task on serverless.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/api';
import { ANALYSES, missingRequirements } from '../../shared/analyses';
import { StudioError } from '../../shared/errors';
import { oracleExecutor } from '../support/databricks-emulator/oracle-compute';
import { startDatabricksEmulator, type DatabricksEmulator } from '../support/databricks-emulator';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { REAL_31, REAL_4401 } from '../support/real-data';

const FAST = { queue: 40, setup: 120, execution: 150, cleanup: 40 };

function engineEnv(emulator: DatabricksEmulator, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    HOME: tempHome('dbx-home'),
    PATH: '/nonexistent',
    DATABRICKS_HOST: emulator.host,
    DATABRICKS_TOKEN: emulator.token,
    SPARKPOLAR_DATABRICKS_POLL_MS: '15',
    ...extra,
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

describe('spark/run against the Databricks emulator', { timeout: 180_000 }, () => {
  let emulator: DatabricksEmulator;
  let engine: TestEngine;
  let applicable: string[];

  beforeAll(async () => {
    emulator = await startDatabricksEmulator({
      clock: { mode: 'scaled', scale: 1 },
      durations: { serverless: FAST, 'existing-cluster': FAST, 'new-cluster': FAST },
      executor: oracleExecutor(),
    });
    engine = await startTestEngine({ env: engineEnv(emulator) });
    await engine.client.run('dataset/import', { path: REAL_31, name: 'raw31' });
    const info = await engine.client.call('dataset/get', { dataset: 'raw31' });
    applicable = ANALYSES.filter((a) => missingRequirements(a, info.columns).length === 0).map((a) => a.id);
  });

  afterAll(async () => {
    await engine?.close();
    await emulator?.close();
  });

  it('runs every applicable analysis, follows the phases, stores the run, and matches Polars on every analysis', async () => {
    const progress: JobProgress[] = [];
    const run = await engine.client.run('spark/run', { dataset: 'raw31', repeat: 2 }, { onProgress: (p) => progress.push(p) });
    expect(run.status).toBe('succeeded');
    expect(run.analyses.map((a) => a.id).sort()).toEqual([...applicable].sort());
    const mismatches = run.analyses
      .filter((a) => a.match !== true)
      .map((a) => ({ id: a.id, status: a.status, error: a.error, differences: a.differences }));
    expect(mismatches).toEqual([]);
    expect(run.verdict).toEqual({ compared: applicable.length, matched: applicable.length, mismatched: 0, notCompared: 0 });
    // Serverless refuses cache(): recorded, so the timings are read knowing it.
    expect(run.dataCached).toBe(false);
    for (const a of run.analyses) {
      expect(a.samplesMs).toHaveLength(2);
      expect(a.polarsMs).not.toBeNull();
    }
    // Phases come from tasks[0] (the emulator reports 0 at the top level, as Databricks does).
    expect(run.phases.queueMs).toBeGreaterThan(0);
    expect(run.phases.setupMs).toBeGreaterThan(0);
    expect(run.phases.executionMs).toBeGreaterThan(0);
    expect(run.phases.cleanupMs).toBeGreaterThan(0);
    expect(run.runPageUrl).toContain(`/run/${run.databricksRunId}`);
    expect(run.taskRunId).not.toBe(run.databricksRunId);
    expect(run.resultState).toBe('SUCCESS');
    expect(run.runtime.engine).toBe('emulator');
    expect(run.storage).toMatchObject({ kind: 'volume', uploadSkipped: false });
    expect(run.cluster.serverless).toBe(true);
    const phases = progress.map((p) => p.phase);
    for (const phase of ['export', 'upload', 'submit', 'TERMINATED', 'compare']) expect(phases).toContain(phase);
    // Progress is throttled, so short states may be skipped; those seen come in life-cycle order.
    const order = ['QUEUED', 'PENDING', 'RUNNING', 'TERMINATING', 'TERMINATED'];
    const seen = phases.filter((p): p is string => order.includes(p ?? '')).map((p) => order.indexOf(p));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const terminated = progress.find((p) => p.phase === 'TERMINATED')!;
    expect(terminated.details).toMatchObject({ lifeCycleState: 'TERMINATED', resultState: 'SUCCESS' });
    expect(terminated.details?.executionMs).toBeGreaterThan(0);

    // What was submitted: a notebook task on serverless, with an idempotency token.
    const body = emulator.submissions.get(run.databricksRunId!)!;
    expect(String(body.idempotency_token)).toMatch(/^sparkpolar-/);
    const task = (body.tasks as Array<Record<string, unknown>>)[0]!;
    expect(task.notebook_task).toMatchObject({ notebook_path: '/Shared/sparkpolar/sparkpolar_job' });
    expect(task.existing_cluster_id).toBeUndefined();
    expect(emulator.storage.workspace.get('/Shared/sparkpolar/sparkpolar_job')?.kind).toBe('NOTEBOOK');

    // Stored in PostgreSQL, and what the view reads.
    const stored = await engine.client.call('spark/get-run', { runId: run.id });
    expect(stored).toEqual(run);
    const tables = await engine.client.call('spark/result-tables', { runId: run.id, analysis: 'desc-state' });
    expect(tables.spark).toEqual(tables.polars);
    const view = await engine.client.call('spark/compare', { dataset: 'raw31' });
    expect(view.spark[0]!.id).toBe(run.id);
    expect(view.polars.some((p) => p.runId === run.polarsRunId)).toBe(true);
    const list = await engine.client.call('spark/runs', { dataset: 'raw31' });
    expect(list[0]).toMatchObject({ id: run.id, status: 'succeeded', analysisCount: applicable.length, failedCount: 0 });
  }, 300_000);

  it('skips the dataset upload when the same file is already in the volume, and reuses the Polars run', async () => {
    const before = emulator.requests.length;
    const run = await engine.client.run('spark/run', { dataset: 'raw31', analyses: ['desc-state', 'clean-nulls'] });
    const datasetPuts = emulator.requests.slice(before).filter((r) => r.method === 'PUT' && r.path.includes('/datasets/'));
    expect(datasetPuts.filter((r) => r.path.startsWith('/api/2.0/fs/files/'))).toHaveLength(0);
    expect(run.storage?.uploadSkipped).toBe(true);
    expect(run.analyses.every((a) => a.match === true)).toBe(true);
  });

  it('flags a wrong Spark result as a mismatch with its first differences', async () => {
    emulator.inject.wrongResult('desc-state');
    const run = await engine.client.run('spark/run', { dataset: 'raw31', analyses: ['desc-state', 'desc-fuel'] });
    const state = run.analyses.find((a) => a.id === 'desc-state')!;
    expect(state.match).toBe(false);
    expect(state.differences.length).toBeGreaterThan(0);
    expect(run.analyses.find((a) => a.id === 'desc-fuel')!.match).toBe(true);
    expect(run.verdict).toMatchObject({ mismatched: 1, matched: 1 });
  });

  it('fails with the task error and keeps its error_trace for the user', async () => {
    emulator.inject.failingTask({
      error: 'ZeroDivisionError: division by zero',
      errorTrace: 'Traceback (most recent call last):\n  File "<command-1>", line 3\nZeroDivisionError: division by zero',
    });
    const err = await failure(engine.client.run('spark/run', { dataset: 'raw31', analyses: ['desc-state'] }));
    expect(err.code).toBe('DATABRICKS_RUN_FAILED');
    expect(err.message).toContain('ZeroDivisionError');
    expect(err.details?.errorTrace).toContain('Traceback');
    const [latest] = await engine.client.call('spark/runs', { dataset: 'raw31', limit: 1 });
    expect(latest).toMatchObject({ status: 'failed', resultState: 'FAILED', lifeCycleState: 'INTERNAL_ERROR' });
    expect(latest!.errorTrace).toContain('ZeroDivisionError: division by zero');
    expect(latest!.error?.code).toBe('DATABRICKS_RUN_FAILED');
  });

  it('cancels mid-run: runs/cancel, then the run ends TERMINATED + CANCELED and is recorded as cancelled', async () => {
    const slow = await startDatabricksEmulator({
      clock: { mode: 'scaled', scale: 1 },
      durations: { serverless: { queue: 20, setup: 50, execution: 3_600_000, cleanup: 20 } },
      executor: oracleExecutor(),
    });
    const e = await startTestEngine({ env: engineEnv(slow) });
    try {
      await e.client.run('dataset/import', { path: REAL_31, name: 'raw31' });
      const controller = new AbortController();
      const pending = failure(
        e.client.run(
          'spark/run',
          { dataset: 'raw31', analyses: ['desc-state'], compare: false },
          { signal: controller.signal, onProgress: (p) => p.phase === 'RUNNING' && controller.abort() },
        ),
      );
      expect((await pending).code).toBe('CANCELLED');
      const [latest] = await e.client.call('spark/runs', { dataset: 'raw31', limit: 1 });
      expect(latest!.status).toBe('cancelled');
      const remote = slow.runs.get(latest!.databricksRunId!)!;
      expect(remote.cancelledAt).not.toBeNull();
      // The engine followed the run to its end before recording it.
      expect(latest).toMatchObject({ lifeCycleState: 'TERMINATED', resultState: 'CANCELED' });
      expect(slow.requests.some((r) => r.path === '/api/2.2/jobs/runs/cancel')).toBe(true);
    } finally {
      await e.close();
      await slow.close();
    }
  });

  it('refuses a bad token with a clear auth error and records the failed run', async () => {
    const e = await startTestEngine({ env: engineEnv(emulator, { DATABRICKS_TOKEN: 'dapi0000000000000000bad' }) });
    try {
      await e.client.run('dataset/import', { path: REAL_31, name: 'raw31' });
      const err = await failure(e.client.run('spark/run', { dataset: 'raw31', analyses: ['desc-state'] }));
      expect(err.code).toBe('DATABRICKS_AUTH_FAILED');
      expect(err.message).toContain('Invalid access token');
      expect(err.message).not.toContain('dapi0000000000000000bad');
      const test = await e.client.call('spark/test', {});
      expect(test.ok).toBe(false);
      expect(test.error?.code).toBe('DATABRICKS_AUTH_FAILED');
    } finally {
      await e.close();
    }
  });

  it('falls back to DBFS without a volume on a cluster, refuses that fallback on serverless, and runs the job as a Python script task', async () => {
    const noVolume = await startDatabricksEmulator({
      clock: { mode: 'scaled', scale: 1 },
      volumes: [],
      durations: { serverless: FAST, 'existing-cluster': FAST },
      executor: oracleExecutor(),
    });
    const e = await startTestEngine({ env: engineEnv(noVolume, { SPARKPOLAR_DATABRICKS_TASK: 'python' }) });
    try {
      await e.client.run('dataset/import', { path: REAL_4401, name: 'ny4401' });
      const config = await e.client.call('spark/config', {});
      expect(config).toMatchObject({ configured: true, auth: 'token', taskKind: 'python', defaultCompute: 'serverless' });
      expect(JSON.stringify(config)).not.toContain(noVolume.token);
      const test = await e.client.call('spark/test', {});
      expect(test).toMatchObject({ ok: true, storage: { kind: 'dbfs' } });
      const request = {
        dataset: 'ny4401',
        analyses: ['desc-body-type', 'trend-fuel', 'corr-pearson', 'explore-describe'],
        format: 'csv' as const,
      };
      // Serverless cannot read DBFS: refused before anything is uploaded or submitted.
      const submitted = noVolume.submissions.size;
      const refused = await failure(e.client.run('spark/run', request));
      expect(refused.code).toBe('DATABRICKS_INVALID');
      expect(refused.message).toMatch(/serverless compute cannot read DBFS/);
      expect(refused.fix).toMatch(/--compute cluster:<id>/);
      expect(noVolume.submissions.size).toBe(submitted);
      expect(noVolume.requests.filter((r) => r.path === '/api/2.0/dbfs/add-block')).toHaveLength(0);
      const run = await e.client.run('spark/run', { ...request, compute: 'cluster:0115-090000-emulat0r' });
      expect(run.dataCached).toBe(true);
      expect(run.storage?.kind).toBe('dbfs');
      expect(run.storage?.datasetPath).toMatch(/^dbfs:\/FileStore\/sparkpolar\/datasets\/[0-9a-f]{64}\.csv$/);
      expect(run.analyses.map((a) => [a.id, a.match])).toEqual([
        ['desc-body-type', true],
        ['trend-fuel', true],
        ['corr-pearson', true],
        ['explore-describe', true],
      ]);
      const body = noVolume.submissions.get(run.databricksRunId!)!;
      const task = (body.tasks as Array<Record<string, unknown>>)[0]!;
      expect(task.existing_cluster_id).toBe('0115-090000-emulat0r');
      expect((task.spark_python_task as { python_file: string }).python_file).toMatch(
        /^dbfs:\/FileStore\/sparkpolar\/jobs\/sparkpolar_job-[0-9a-f]{12}\.py$/,
      );
      expect(noVolume.requests.filter((r) => r.path === '/api/2.0/dbfs/add-block').length).toBeGreaterThan(0);
      expect(fs.existsSync(noVolume.storage.dbfsLocal(run.storage!.datasetPath)!)).toBe(true);
    } finally {
      await e.close();
      await noVolume.close();
    }
  }, 180_000);

  it('plans like Polars: a bad parameter fails that one analysis in both engines, the others run and match', async () => {
    const request = {
      dataset: 'raw31',
      analyses: ['desc-body-type', 'generic-histogram', 'desc-fuel'],
      params: { 'generic-histogram': { bins: 0 } },
    };
    const spark = await engine.client.run('spark/run', request);
    const polars = await engine.client.run('analysis/run', { ...request, fresh: true });
    expect(spark.status).toBe('succeeded');
    const sparkFailed = spark.analyses.filter((a) => a.status === 'failed');
    const polarsFailed = polars.results.filter((r) => r.status === 'failed');
    expect(sparkFailed.map((a) => a.id)).toEqual(['generic-histogram']);
    expect(polarsFailed.map((r) => r.id)).toEqual(['generic-histogram']);
    expect(sparkFailed[0]!.error).toBe(polarsFailed[0]!.reason);
    expect(sparkFailed[0]!.error).toMatch(/bins must be between 1 and 500/);
    expect(spark.analyses.filter((a) => a.status === 'ok').map((a) => [a.id, a.match])).toEqual([
      ['desc-body-type', true],
      ['desc-fuel', true],
    ]);
    // Timing runs upload Parquet: a multiLine CSV is read by one task.
    const csvTiming = await failure(engine.client.run('spark/run', { dataset: 'raw31', format: 'csv', repeat: 3 }));
    expect(csvTiming.code).toBe('INVALID_REQUEST');
    expect(csvTiming.message).toMatch(/Timing runs \(repeat > 1\) upload Parquet/);
    // Asked for that one alone, the run is refused with that reason, as an invalid request.
    const err = await failure(engine.client.run('spark/run', { ...request, analyses: ['generic-histogram'] }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/bins must be between 1 and 500/);
  });

  it('says when local Spark is not available', async () => {
    const config = await engine.client.call('spark/config', {});
    expect(config.local.available).toBe(false);
    const err = await failure(engine.client.run('spark/run', { dataset: 'raw31', compute: 'local' }));
    expect(err.code).toBe('SPARK_LOCAL_UNAVAILABLE');
  });
});
