/**
 * The plan and the result document are described once (shared/spark-job.ts): the generated JSON
 * Schema file the job's pytest suite uses is up to date, the app's plans fit it, and the
 * Databricks emulator fails a run whose plan or result document breaks it, naming the problem.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedDatabricksConfig } from '../../electron/engine/spark/config';
import { connectDatabricks } from '../../electron/engine/spark/connect';
import { buildPlan, planAnalyses } from '../../electron/engine/spark/plan';
import { schemaProblem, sparkJobPlanSchema, sparkJobResultSchema } from '../../shared/spark-job';
import type { DatasetVersionInfo } from '../../shared/types';
import { SCHEMA_FILE, schemaText } from '../../tools/spark-job-schema';
import { fakeClock, startDatabricksEmulator, type DatabricksEmulator } from '../support/databricks-emulator';

const VOLUME = '/Volumes/main/default/sparkpolar';

const info: DatasetVersionInfo = {
  dataset: 'crashes',
  version: 1,
  table: 'crashes_v1',
  sourcePath: null,
  sourceBytes: null,
  sha256: null,
  rows: 3,
  columns: [
    { name: 'Year', identifier: 'Year', type: 'integer' },
    { name: 'Vehicle Body Type', identifier: 'Vehicle Body Type', type: 'text' },
  ],
  rejected: 0,
  rejectsPath: null,
  importedAt: '2026-01-01T00:00:00.000Z',
  durationMs: null,
  options: {},
};

function plan(output = `${VOLUME}/runs/t1/result.json`) {
  return buildPlan({
    runTag: 't1',
    info,
    inputPath: `${VOLUME}/datasets/x.parquet`,
    format: 'parquet',
    rows: 3,
    bytes: 10,
    sha256: 'a'.repeat(64),
    output,
    columns: [
      { file: 'c00', name: 'Year', type: 'integer' },
      { file: 'c01', name: 'Vehicle Body Type', type: 'text' },
    ],
    cleaning: { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true },
    repeat: 1,
    analyses: planAnalyses(info, ['desc-body-type', 'desc-crash-year'], {}).analyses,
  });
}

const goodResult = {
  format: 'sparkpolar-spark-result',
  version: 1,
  runTag: 't1',
  runtime: { engine: 'spark' },
  compute: {},
  input: { path: 'x', format: 'parquet', rows: 3 },
  load: { ms: 1, cached: true },
  repeat: 1,
  analyses: [{ id: 'desc-body-type', status: 'ok', samplesMs: [1], table: { columns: [{ name: 'count', type: 'integer' }], rows: [[3]] } }],
  totalMs: 2,
};

describe('the shared plan/result schema', () => {
  it('is written out as shared/spark-job.schema.json, up to date (node --import tsx tools/spark-job-schema.ts)', () => {
    expect(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(schemaText()));
  });

  it('accepts the plans the app builds and the documents the job writes, and names the first problem of a bad one', () => {
    expect(schemaProblem(sparkJobPlanSchema, plan())).toBeNull();
    expect(schemaProblem(sparkJobResultSchema, goodResult)).toBeNull();
    expect(schemaProblem(sparkJobPlanSchema, { ...plan(), repeat: 0 })).toMatch(/^repeat: /);
    expect(
      schemaProblem(sparkJobPlanSchema, { ...plan(), analyses: [{ id: 'x', params: {}, stage: 'raw', op: { kind: 'nope' } }] }),
    ).toMatch(/^analyses\.0\.op\.kind: /);
    const cellObject = structuredClone(goodResult);
    (cellObject.analyses[0]!.table.rows[0] as unknown[])[0] = { nested: 1 };
    expect(schemaProblem(sparkJobResultSchema, cellObject)).toMatch(/^analyses\.0\.table\.rows\.0\.0: /);
    expect(schemaProblem(sparkJobResultSchema, { ...goodResult, load: {} })).toMatch(/^load\.ms: /);
  });
});

describe('the emulator checks both documents against it', () => {
  let emulator: DatabricksEmulator;
  let written: unknown;

  beforeAll(async () => {
    emulator = await startDatabricksEmulator({
      clock: { mode: 'manual' },
      durations: { serverless: { queue: 10, setup: 10, execution: 10, cleanup: 10 } },
      executor: async (request) => {
        const out = request.localPath(request.parameters.output!)!;
        fs.mkdirSync(out.replace(/\/[^/]+$/, ''), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(written));
        return { notebookResult: '{}' };
      },
    });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function runWith(planDoc: unknown, tag: string) {
    const config: ResolvedDatabricksConfig = {
      host: emulator.host,
      auth: { kind: 'token', token: emulator.token },
      clusterId: null,
      volume: VOLUME,
      dbfsDir: 'dbfs:/FileStore/sparkpolar',
      uploadTo: 'volume',
      workspaceDir: '/Shared/sparkpolar',
      taskKind: 'notebook',
      pollIntervalMs: 10,
      retryBudgetMs: 60_000,
      source: 'test',
      profile: null,
    };
    const client = connectDatabricks(config, { clock: fakeClock() });
    await client.workspaceMkdirs('/Shared/sparkpolar');
    await client.workspaceImport('/Shared/sparkpolar/job', Buffer.from('# Databricks notebook source\nprint(1)\n'));
    const planPath = `${VOLUME}/runs/${tag}/plan.json`;
    const local = emulator.storage.local(planPath)!;
    fs.mkdirSync(local.replace(/\/[^/]+$/, ''), { recursive: true });
    fs.writeFileSync(local, JSON.stringify(planDoc));
    const runId = await client.submitRun(
      {
        run_name: tag,
        tasks: [
          {
            task_key: 'sparkpolar',
            notebook_task: {
              notebook_path: '/Shared/sparkpolar/job',
              base_parameters: { plan: planPath, output: `${VOLUME}/runs/${tag}/result.json` },
            },
          },
        ],
      },
      tag,
    );
    for (let i = 0; i < 5; i++) {
      emulator.clock.advance(10);
      await emulator.settle();
    }
    const run = await client.getRun(runId);
    const out = await client.getRunOutput(run.tasks[0]!.run_id);
    return { resultState: run.state.result_state, error: out.error ?? null };
  }

  it('runs a plan and a result document that fit', async () => {
    written = goodResult;
    expect(await runWith(plan(), 'good')).toEqual({ resultState: 'SUCCESS', error: null });
  });

  it('fails the run on a plan that breaks the schema', async () => {
    written = goodResult;
    const outcome = await runWith({ ...plan(), columns: [] }, 'bad-plan');
    expect(outcome.resultState).toBe('FAILED');
    expect(outcome.error).toMatch(/the plan .*plan\.json breaks the shared schema: columns: /);
  });

  it('fails the run on a result document that breaks the schema', async () => {
    written = { ...goodResult, analyses: [{ ...goodResult.analyses[0], status: 'fine' }] };
    const outcome = await runWith(plan(), 'bad-result');
    expect(outcome.resultState).toBe('FAILED');
    expect(outcome.error).toMatch(/the result document .*result\.json breaks the shared schema: analyses\.0\.status: /);
  });
});
