/**
 * "Run on Spark": export the dataset version, upload it (skipped when the same bytes are there),
 * upload the job and its plan, submit with an idempotency token, follow the life cycle (each
 * phase reported as job progress), cancel on request, fetch the result document, store the run,
 * and compare every analysis with the Polars run of the same version and cleaning.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { AnalysisRun } from '../../../shared/contract/analysis';
import type { SparkAnalysisRecord, SparkRunRecord, sparkRunRequest } from '../../../shared/contract/spark';
import { StudioError, toErrorData } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { AnalysisRuns } from '../analysis/runs';
import type { Catalog } from '../catalog/catalog';
import type { EngineBase } from '../base';
import type { SettingsContext } from '../settings/service';
import type { JobContext } from '../jobs/manager';
import { TERMINAL_STATES, type DatabricksClient, type Run, type SubmitSpec } from './client';
import { realClock, type Clock } from '../clock';
import { compareTables } from './compare';
import { resolveDatabricksConfig, type DatabricksSettings, type ResolvedDatabricksConfig } from './config';
import { connectDatabricks } from './connect';
import { exportDataset, type ExportedDataset } from './export-dataset';
import { sparkJobResultSchema, type PlanAnalysis, type SparkJobResult } from './job-contract';
import { jobSource } from './job-source';
import { findSparkSubmit, localSparkStatus, runSparkSubmit } from './local-spark';
import { clusterOf, phasesOf } from './phases';
import { buildPlan, planAnalyses, type PlannedAnalyses } from './plan';
import { findPolarsRun, runPolars } from './polars';
import { chooseStorage, downloadBuffer, uploadBuffer, uploadFile, type RemoteStorage } from './storage';
import { SparkRunStore, type StoredAnalysis } from './store';

export type SparkRunRequest = z.output<typeof sparkRunRequest>;

/** What Spark runs need of the engine: its base, the configuration, the catalog and the Polars runs to compare with. */
export interface SparkContext extends EngineBase, SettingsContext {
  catalog: Catalog;
  analysisRuns: AnalysisRuns;
}

export interface SparkDeps {
  ctx: SparkContext;
  /** The settings store's Databricks section (DESKTOP's store plugs in here). */
  settings?: () => Promise<DatabricksSettings | undefined>;
  clock?: Clock;
  fetch?: typeof fetch;
}

const JOB_NOTEBOOK = 'sparkpolar_job';
const RUN_TIMEOUT_SECONDS = 4 * 3600;
/** Polls after a cancel before giving up on seeing the run end. */
const CANCEL_POLLS = 60;

export async function resolveConfig(deps: SparkDeps, profile?: string): Promise<ResolvedDatabricksConfig> {
  const settings = deps.settings ? await deps.settings() : undefined;
  return resolveDatabricksConfig({ settings, env: deps.ctx.env, profile });
}

export async function runOnSpark(deps: SparkDeps, request: SparkRunRequest, job: JobContext): Promise<SparkRunRecord> {
  const { ctx } = deps;
  const clock = deps.clock ?? realClock;
  const info = await ctx.catalog.get(request.dataset, request.version);
  const planned = planAnalyses(info, request.analyses, request.params);
  if (!planned.analyses.length) {
    const failed = planned.notRun.find((n) => n.status === 'failed');
    if (failed) throw new StudioError('INVALID_REQUEST', failed.reason, { id: failed.id });
    throw new StudioError('ANALYSIS_NOT_APPLICABLE', `No analysis of the request applies to "${info.dataset}".`);
  }

  if (request.format === 'csv' && request.repeat > 1)
    throw new StudioError(
      'INVALID_REQUEST',
      'Timing runs (repeat > 1) upload Parquet: Spark reads a CSV with quoted line breaks (multiLine) in one task, which would time the reader, not the analyses.',
      { format: request.format, repeat: request.repeat },
      'Leave --format at parquet for timing runs; CSV is for a one-off check.',
    );
  const local = request.compute === 'local';
  let config: ResolvedDatabricksConfig | null = null;
  if (local) {
    const status = localSparkStatus(ctx.env);
    if (!status.available) throw new StudioError('SPARK_LOCAL_UNAVAILABLE', status.reason!);
  } else {
    config = await resolveConfig(deps, request.profile);
  }
  const compute = request.compute ?? (config?.clusterId ? `cluster:${config.clusterId}` : 'serverless');
  const runTag = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;
  const id = randomUUID();
  const store = new SparkRunStore(ctx.db);
  await store.create({
    id,
    dataset: info.dataset,
    version: info.version,
    compute,
    format: request.format,
    repeat: request.repeat,
    cleaning: request.cleaning,
    analysisIds: planned.analyses.map((a) => a.id),
  });

  // Life-cycle facts (state, phase durations, run page) ride along on every later event too.
  let lifecycle: Record<string, unknown> = {};
  const progress = (phase: string, message: string, extra: Partial<Parameters<JobContext['progress']>[0]> = {}) => {
    if (extra.details && 'lifeCycleState' in extra.details) lifecycle = extra.details;
    job.progress({ phase, message, ...extra, details: { sparkRunId: id, ...lifecycle, ...(extra.details ?? {}) } });
  };

  try {
    progress('export', `Exporting ${info.dataset} v${info.version} as ${request.format}`, { unit: 'rows', total: info.rows, done: 0 });
    const exported = await exportDataset({ db: ctx.db, home: ctx.home }, info, request.format, job.signal, (rows) =>
      progress('export', `Exporting ${info.dataset} v${info.version}`, { unit: 'rows', total: info.rows, done: rows }),
    );
    job.throwIfCancelled();
    const outcome = local
      ? await runLocally(deps, { id, runTag, info, exported, planned: planned.analyses, request, job, store, progress })
      : await runOnDatabricks(deps, {
          id,
          runTag,
          info,
          exported,
          planned: planned.analyses,
          request,
          job,
          store,
          progress,
          config: config!,
          compute,
          clock,
        });

    let polars: AnalysisRun | null = null;
    if (request.compare) {
      progress('polars', 'Looking for the matching Polars run');
      const polarsRequest = {
        dataset: info.dataset,
        version: info.version,
        analyses: planned.analyses,
        params: request.params,
        cleaning: request.cleaning,
      };
      polars = await findPolarsRun(ctx.analysisRuns, polarsRequest);
      if (!polars) {
        progress('polars', 'Running the same analyses with Polars');
        polars = await runPolars(ctx.analysisRuns, polarsRequest, job, (message) => progress('polars', message));
      }
    }
    progress('compare', 'Comparing Spark and Polars results');
    const analyses = recordAnalyses(outcome.result, planned.notRun, polars);
    await store.saveAnalyses(id, analyses);
    const compared = analyses.filter((a) => a.match !== null);
    await store.update(id, {
      status: 'succeeded',
      finishedAt: new Date().toISOString(),
      polarsRunId: polars?.runId ?? null,
      verdict: {
        compared: compared.length,
        matched: compared.filter((a) => a.match).length,
        mismatched: compared.filter((a) => a.match === false).length,
        notCompared: analyses.length - compared.length,
      },
    });
    return store.get(id);
  } catch (err) {
    const error = toErrorData(err);
    const trace = err instanceof StudioError && typeof err.details?.errorTrace === 'string' ? err.details.errorTrace : null;
    await store
      .update(id, {
        status: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        error,
        ...(trace ? { errorTrace: trace } : {}),
      })
      .catch((e: unknown) => ctx.log.warn('could not record the failed Spark run', { error: String(e) }));
    if (err instanceof StudioError) throw new StudioError(err.code, err.message, { ...err.details, sparkRunId: id }, err.fix);
    throw err;
  }
}

interface RunContext {
  id: string;
  runTag: string;
  info: DatasetVersionInfo;
  exported: ExportedDataset;
  planned: PlanAnalysis[];
  request: SparkRunRequest;
  job: JobContext;
  store: SparkRunStore;
  progress: (phase: string, message: string, extra?: Partial<Parameters<JobContext['progress']>[0]>) => void;
}

interface Outcome {
  result: SparkJobResult;
}

async function runOnDatabricks(
  deps: SparkDeps,
  run: RunContext & { config: ResolvedDatabricksConfig; compute: string; clock: Clock },
): Promise<Outcome> {
  const { config, job, store, id, progress, exported, info, request, runTag } = run;
  const client = connectDatabricks(config, { clock: run.clock, log: deps.ctx.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  await store.update(id, { host: config.host });

  progress('connect', `Connecting to ${config.host}`);
  const storage = await chooseStorage(client, config.volume, config.dbfsDir, job.signal, config.uploadTo, {
    serverless: run.compute === 'serverless',
  });
  if (storage.fallbackReason) deps.ctx.log.info('spark storage fallback', { reason: storage.fallbackReason });

  const datasetPath = `${storage.root}/datasets/${exported.sha256}.${exported.format}`;
  progress('upload', `Uploading ${info.dataset} (${exported.bytes} bytes)`, { unit: 'bytes', total: exported.bytes, done: 0 });
  const upload = await uploadFile(client, storage, exported.file, datasetPath, {
    skipIfSameSize: true,
    signal: job.signal,
    onProgress: (done, total) => progress('upload', `Uploading ${info.dataset}`, { unit: 'bytes', total, done }),
  });
  progress('upload', upload.skipped ? 'The same file is already there: upload skipped' : 'Dataset uploaded', {
    unit: 'bytes',
    total: exported.bytes,
    done: exported.bytes,
    details: { uploadSkipped: upload.skipped },
  });
  await store.update(id, {
    storage: {
      kind: storage.kind,
      root: storage.root,
      datasetPath,
      bytes: exported.bytes,
      uploadSkipped: upload.skipped,
      ...(storage.fallbackReason ? { fallbackReason: storage.fallbackReason } : {}),
    },
    rows: exported.rows,
    bytes: exported.bytes,
    sha256: exported.sha256,
  });

  progress('upload-job', 'Uploading the PySpark job');
  const jobRef = await uploadJob(client, config, storage, job.signal);
  const runDir = `${storage.root}/runs/${runTag}`;
  const output = `${runDir}/result.json`;
  const plan = buildPlan({
    runTag,
    info,
    inputPath: datasetPath,
    format: exported.format,
    rows: exported.rows,
    bytes: exported.bytes,
    sha256: exported.sha256,
    output,
    columns: exported.columns,
    cleaning: request.cleaning,
    repeat: request.repeat,
    analyses: run.planned,
  });
  const planPath = `${runDir}/plan.json`;
  if (storage.kind === 'volume') await client.createDirectory(runDir, job.signal);
  else await client.dbfsMkdirs(runDir, job.signal);
  await uploadBuffer(client, storage, Buffer.from(JSON.stringify(plan)), planPath, job.signal);
  job.throwIfCancelled();

  progress('submit', 'Submitting the run');
  const spec = submitSpec(
    config,
    run.compute,
    jobRef,
    { plan: planPath, input: datasetPath, format: exported.format, output },
    `SparkPolar ${info.dataset} v${info.version} (${runTag})`,
  );
  const runId = await client.submitRun(spec, `sparkpolar-${runTag}-${id.slice(0, 8)}`, job.signal);
  await store.update(id, { databricksRunId: runId });

  const final = await follow(client, runId, run, job);
  const task = final.tasks[0];
  const phases = phasesOf(final);
  await store.update(id, {
    taskRunId: task?.run_id ?? null,
    runPageUrl: final.run_page_url ?? null,
    lifeCycleState: final.state.life_cycle_state,
    resultState: final.state.result_state ?? null,
    stateMessage: final.state.state_message ?? null,
    phases,
    cluster: clusterOf(final),
  });
  const resultState = final.state.result_state ?? '';
  if (resultState === 'CANCELED')
    throw new StudioError('CANCELLED', 'The run was cancelled in Databricks.', { runId, runPageUrl: final.run_page_url });
  if (resultState !== 'SUCCESS') {
    const out = task ? await client.getRunOutput(task.run_id).catch(() => null) : null;
    const message = out?.error ?? final.state.state_message ?? `The run ended ${final.state.life_cycle_state} ${resultState}`;
    throw new StudioError('DATABRICKS_RUN_FAILED', `The Spark run failed: ${message.split('\n')[0]}`, {
      runId,
      runPageUrl: final.run_page_url ?? null,
      resultState,
      lifeCycleState: final.state.life_cycle_state,
      errorTrace: out?.error_trace ?? null,
    });
  }

  progress('results', 'Fetching the results');
  const result = await fetchResult(client, storage, output, task?.run_id ?? null, job.signal);
  await store.update(id, {
    loadMs: result.load.ms,
    runtime: { ...result.runtime, engine: result.runtime.engine ?? 'spark', ...cachedFact(result) },
    cluster: { ...clusterOf(final), ...result.compute },
  });
  return { result };
}

/** The notebook (notebook task) or the Python file (script task) the run executes. */
async function uploadJob(
  client: DatabricksClient,
  config: ResolvedDatabricksConfig,
  storage: RemoteStorage,
  signal: AbortSignal,
): Promise<string> {
  const source = jobSource();
  if (config.taskKind === 'notebook') {
    await client.workspaceMkdirs(config.workspaceDir, signal);
    const notebook = `${config.workspaceDir}/${JOB_NOTEBOOK}`;
    await client.workspaceImport(notebook, source.content, { format: 'SOURCE', language: 'PYTHON', overwrite: true }, signal);
    return notebook;
  }
  const remote = `${storage.root}/jobs/${JOB_NOTEBOOK}-${source.sha256.slice(0, 12)}.py`;
  await uploadFile(client, storage, source.file, remote, { skipIfSameSize: true, signal });
  return remote;
}

export function submitSpec(
  config: ResolvedDatabricksConfig,
  compute: string,
  jobRef: string,
  params: Record<string, string>,
  name: string,
): SubmitSpec {
  const task: Record<string, unknown> = { task_key: 'sparkpolar' };
  if (config.taskKind === 'notebook') task.notebook_task = { notebook_path: jobRef, base_parameters: params, source: 'WORKSPACE' };
  else task.spark_python_task = { python_file: jobRef, parameters: Object.entries(params).flatMap(([k, v]) => [`--${k}`, v]) };
  const spec: SubmitSpec = { run_name: name, tasks: [task], timeout_seconds: RUN_TIMEOUT_SECONDS };
  if (compute.startsWith('cluster:')) task.existing_cluster_id = compute.slice('cluster:'.length);
  else if (config.taskKind === 'python') {
    // Serverless script tasks name an environment; serverless notebooks bring their own.
    task.environment_key = 'sparkpolar';
    spec.environments = [{ environment_key: 'sparkpolar', spec: { environment_version: '2', dependencies: [] } }];
  }
  return spec;
}

/**
 * Polls the run like the official SDKs (min(attempt, 10) units plus up to one unit of jitter),
 * reporting each life-cycle state and the phase durations as they become known. A cancelled job
 * cancels the run and waits for it to end (TERMINATED + CANCELED).
 */
async function follow(
  client: DatabricksClient,
  runId: string,
  run: RunContext & { config: ResolvedDatabricksConfig; clock: Clock },
  job: JobContext,
): Promise<Run> {
  const unit = run.config.pollIntervalMs;
  let last = '';
  const report = async (r: Run) => {
    const phases = phasesOf(r);
    const state = r.state.life_cycle_state;
    const key = `${state}:${phases.queueMs}:${phases.setupMs}:${phases.executionMs}:${phases.cleanupMs}`;
    if (key !== last) {
      if (!last) await run.store.update(run.id, { runPageUrl: r.run_page_url ?? null, taskRunId: r.tasks[0]?.run_id ?? null });
      await run.store.update(run.id, { lifeCycleState: state, stateMessage: r.state.state_message ?? null, phases });
      last = key;
    }
    run.progress(state, describeState(r), {
      details: {
        databricksRunId: runId,
        runPageUrl: r.run_page_url ?? null,
        lifeCycleState: state,
        resultState: r.state.result_state ?? null,
        stateMessage: r.state.state_message ?? null,
        ...phases,
      },
    });
  };
  try {
    for (let attempt = 1; ; attempt++) {
      const r = await client.getRun(runId, job.signal);
      await report(r);
      if (TERMINAL_STATES.has(r.state.life_cycle_state)) return r;
      await run.clock.sleep(Math.min(attempt, 10) * unit + Math.random() * unit, job.signal);
    }
  } catch (err) {
    if (!(err instanceof StudioError && err.code === 'CANCELLED')) throw err;
    run.progress('cancelling', 'Cancelling the Databricks run');
    await client.cancelRun(runId);
    for (let attempt = 1; attempt <= CANCEL_POLLS; attempt++) {
      const r = await client.getRun(runId);
      await report(r);
      if (TERMINAL_STATES.has(r.state.life_cycle_state)) {
        await run.store.update(run.id, {
          resultState: r.state.result_state ?? null,
          lifeCycleState: r.state.life_cycle_state,
          phases: phasesOf(r),
        });
        break;
      }
      await run.clock.sleep(Math.min(attempt, 5) * unit);
    }
    throw err;
  }
}

function describeState(r: Run): string {
  switch (r.state.life_cycle_state) {
    case 'QUEUED':
      return 'Queued in Databricks';
    case 'PENDING':
      return r.tasks[0]?.existing_cluster_id ? 'Waiting for the cluster' : 'Starting compute';
    case 'RUNNING':
      return 'Running the analyses on Spark';
    case 'TERMINATING':
      return 'Finishing';
    case 'TERMINATED':
      return r.state.result_state === 'SUCCESS' ? 'Run finished' : `Run ended: ${r.state.result_state ?? ''}`;
    default:
      return `${r.state.life_cycle_state} ${r.state.state_message ?? ''}`.trim();
  }
}

/** The result document the job wrote; falls back to the notebook exit value or the task's stdout. */
async function fetchResult(
  client: DatabricksClient,
  storage: RemoteStorage,
  output: string,
  taskRunId: string | null,
  signal: AbortSignal,
): Promise<SparkJobResult> {
  const file = await downloadBuffer(client, storage, output, signal);
  if (file) return parseResult(file.toString('utf8'), output);
  if (taskRunId) {
    const out = await client.getRunOutput(taskRunId, signal);
    const text = out.notebook_output?.result ?? lastJsonLine(out.logs ?? '');
    if (text) {
      const summary = JSON.parse(text) as { result?: unknown };
      if (summary.result) return parseResult(JSON.stringify(summary.result), 'the run output');
    }
  }
  throw new StudioError('DATABRICKS_RUN_FAILED', `The run succeeded but wrote no result at ${output}.`, { output });
}

function lastJsonLine(logs: string): string | null {
  const lines = logs.split('\n').filter((l) => l.startsWith('{"sparkpolar"'));
  return lines.at(-1) ?? null;
}

function parseResult(text: string, where: string): SparkJobResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StudioError('DATABRICKS_RUN_FAILED', `The result in ${where} is not JSON.`);
  }
  const parsed = sparkJobResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError(
      'DATABRICKS_RUN_FAILED',
      `The result in ${where} does not have the expected shape (${issue?.path.join('.')}: ${issue?.message}).`,
    );
  }
  return parsed.data;
}

async function runLocally(deps: SparkDeps, run: RunContext): Promise<Outcome> {
  const { ctx } = deps;
  const sparkSubmit = findSparkSubmit(ctx.env)!;
  const dir = path.join(ctx.home, 'spark', 'runs', run.runTag);
  fs.mkdirSync(dir, { recursive: true });
  const output = path.join(dir, 'result.json');
  const plan = buildPlan({
    runTag: run.runTag,
    info: run.info,
    inputPath: run.exported.file,
    format: run.exported.format,
    rows: run.exported.rows,
    bytes: run.exported.bytes,
    sha256: run.exported.sha256,
    output,
    columns: run.exported.columns,
    cleaning: run.request.cleaning,
    repeat: run.request.repeat,
    analyses: run.planned,
  });
  const planPath = path.join(dir, 'plan.json');
  fs.writeFileSync(planPath, JSON.stringify(plan));
  await run.store.update(run.id, {
    host: 'local',
    storage: { kind: 'local', root: dir, datasetPath: run.exported.file, bytes: run.exported.bytes, uploadSkipped: true },
    rows: run.exported.rows,
    bytes: run.exported.bytes,
    sha256: run.exported.sha256,
  });
  run.progress('RUNNING', `Running the job with ${sparkSubmit}`);
  const source = jobSource();
  const outcome = await runSparkSubmit(
    sparkSubmit,
    source.file,
    ['--plan', planPath, '--input', run.exported.file, '--format', run.exported.format, '--output', output],
    {
      env: ctx.env,
      signal: run.job.signal,
      onLine: (line) => run.progress('RUNNING', line.slice(0, 200)),
    },
  );
  await run.store.update(run.id, {
    lifeCycleState: 'TERMINATED',
    resultState: outcome.exitCode === 0 ? 'SUCCESS' : 'FAILED',
    phases: { queueMs: 0, setupMs: null, executionMs: Math.round(outcome.ms), cleanupMs: null, runMs: Math.round(outcome.ms) },
  });
  if (outcome.exitCode !== 0) {
    const lastLines = outcome.stderr.trim().split('\n').slice(-40).join('\n');
    throw new StudioError(
      'DATABRICKS_RUN_FAILED',
      `spark-submit exited with status ${outcome.exitCode}: ${lastLines.split('\n').at(-1) ?? ''}`,
      { errorTrace: lastLines },
    );
  }
  if (!fs.existsSync(output)) throw new StudioError('DATABRICKS_RUN_FAILED', `spark-submit finished but wrote no result at ${output}.`);
  const result = parseResult(fs.readFileSync(output, 'utf8'), output);
  await run.store.update(run.id, {
    loadMs: result.load.ms,
    runtime: { ...result.runtime, engine: 'spark-local', ...cachedFact(result) },
    cluster: { ...result.compute, local: true },
  });
  return { result };
}

/** Whether the job read cached data, as the run record keeps it (`runtime.cached`). */
function cachedFact(result: SparkJobResult): Record<string, string> {
  return result.load.cached === undefined ? {} : { cached: String(result.load.cached) };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function recordAnalyses(result: SparkJobResult, notRun: PlannedAnalyses['notRun'], polars: AnalysisRun | null): StoredAnalysis[] {
  const out: StoredAnalysis[] = [];
  result.analyses.forEach((a, position) => {
    const p = polars?.results.find((r) => r.id === a.id) ?? null;
    let match: boolean | null = null;
    let differences: SparkAnalysisRecord['differences'] = [];
    if (a.status === 'ok' && a.table && p?.status === 'ok' && p.table) {
      const verdict = compareTables(a.table, p.table);
      match = verdict.match;
      differences = verdict.differences;
    }
    out.push({
      id: a.id,
      position,
      status: a.status,
      samplesMs: a.samplesMs,
      sparkMs: median(a.samplesMs),
      polarsMs: p && p.status === 'ok' ? p.timings.computeMs : null,
      match,
      differences,
      rowsOut: a.rowsOut ?? a.table?.rows.length ?? null,
      error: a.error?.message ?? a.reason ?? null,
      errorTrace: a.error?.trace ?? null,
      result: a.table,
      polarsResult: p?.table ?? null,
    });
  });
  for (const n of notRun) {
    out.push({
      id: n.id,
      position: out.length,
      status: n.status,
      samplesMs: [],
      sparkMs: null,
      polarsMs: null,
      match: null,
      differences: [],
      rowsOut: null,
      error: n.reason,
      errorTrace: null,
      result: null,
      polarsResult: null,
    });
  }
  return out;
}
