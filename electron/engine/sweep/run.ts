/**
 * The `sweep/run` job: make each size (./sizes), run every engine on it (./points), store the
 * sweep after every point (so a cancelled or failed sweep keeps what it measured), and compute
 * the answer (./answer) from the points.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { z } from 'zod';
import type { SweepEngine, SweepRecord, sweepRequest } from '../../../shared/contract/sweep';
import { StudioError, toErrorData } from '../../../shared/errors';
import { planAnalyses } from '../analysis/runner';
import type { JobContext } from '../jobs/manager';
import { localSparkStatus } from '../spark/local-spark';
import { resolveConfig, type SparkContext, type SparkDeps } from '../spark/run';
import { databricksSettings } from '../spark/settings-adapter';
import { answer } from './answer';
import { polarsPoint, sparkPoint } from './points';
import { materialiseSize, sizeTargets } from './sizes';
import { SweepStore } from './store';

export type SweepRequest = z.output<typeof sweepRequest>;

export const NO_SPARK_NOTE =
  'No Spark workspace is configured, so this sweep has Polars points only. To add Spark points, connect Databricks ' +
  '(Settings → Databricks, or DATABRICKS_HOST and DATABRICKS_TOKEN, or a ~/.databrickscfg profile) or install PySpark ' +
  'for local Spark, then run the sweep again.';

/** Whether Spark can run here, and if not, what to tell the user. */
async function sparkAvailability(deps: SparkDeps, compute: string | undefined): Promise<string | null> {
  if (compute === 'local') return localSparkStatus(deps.ctx.env).available ? null : NO_SPARK_NOTE;
  try {
    await resolveConfig(deps);
    return null;
  } catch (err) {
    if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_CONFIGURED') return NO_SPARK_NOTE;
    throw err;
  }
}

export async function runSweep(
  ctx: SparkContext,
  request: SweepRequest,
  job: JobContext,
  sparkOverrides: Partial<Omit<SparkDeps, 'ctx'>> = {},
): Promise<SweepRecord> {
  const sparkDeps: SparkDeps = { ctx, settings: () => databricksSettings(ctx), ...sparkOverrides };
  const source = await ctx.catalog.get(request.dataset, request.version);
  const targets = sizeTargets(request.sizes);
  // Unknown analysis ids fail here, before anything is made.
  const plan = planAnalyses(source.columns, request.analyses);
  if (!plan.some((p) => p.status === 'ok'))
    throw new StudioError('ANALYSIS_NOT_APPLICABLE', `No analysis of the request applies to "${source.dataset}".`);
  const asked: SweepEngine[] = request.engines ?? ['polars', 'spark'];
  let sparkNote: string | null = null;
  if (asked.includes('spark')) sparkNote = await sparkAvailability(sparkDeps, request.compute);
  const engines = asked.filter((e) => e === 'polars' || sparkNote === null);
  const machine = { cores: os.availableParallelism(), memoryBytes: os.totalmem() };
  const store = new SweepStore(ctx.db);
  const record: SweepRecord = {
    id: randomUUID(),
    dataset: source.dataset,
    version: source.version,
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    sizes: targets.map((t) => t.size),
    engines,
    analyses: plan.filter((p) => p.status === 'ok').map((p) => p.spec.id),
    repeat: request.repeat,
    machine,
    points: [],
    sparkNote,
    error: null,
    ...answer([], machine.memoryBytes),
  };
  await store.save(record);
  const total = targets.length * engines.length;
  const progress = (phase: string, message: string) =>
    job.progress({
      phase,
      message,
      done: record.points.length,
      total,
      unit: 'items',
      details: { sweepId: record.id, points: record.points },
    });

  // No file access: the sizes it imports are files the engine wrote itself, never a request's path.
  const sizeDeps = { db: ctx.db, home: ctx.home, log: ctx.log, catalog: ctx.catalog };
  try {
    for (const target of targets) {
      job.throwIfCancelled();
      progress('prepare', `Preparing ${target.size} of ${source.dataset}`);
      const info = await materialiseSize(sizeDeps, source, target, request.seed, job);
      for (const engine of engines) {
        const label = `${engine === 'polars' ? 'Polars' : 'Spark'} at ${target.size} (${info.rows.toLocaleString('en-US')} rows)`;
        progress(engine, label);
        const pointRequest = {
          info,
          size: target.size,
          analyses: record.analyses,
          cleaning: request.cleaning,
          repeat: request.repeat,
          step: (message: string) => progress(engine, `${label}: ${message}`),
        };
        try {
          const point =
            engine === 'polars'
              ? await polarsPoint({ db: ctx.db, home: ctx.home }, pointRequest, job)
              : await sparkPoint(sparkDeps, { ...pointRequest, compute: request.compute }, job);
          record.points.push(point);
        } catch (err) {
          // A failed Spark point (the workspace, the job) does not lose the Polars side of the sweep.
          if (engine === 'polars' || (err instanceof StudioError && err.code === 'CANCELLED')) throw err;
          const message = toErrorData(err).message;
          record.sparkNote = `${record.sparkNote ? record.sparkNote + ' ' : ''}Spark at ${target.size} failed: ${message}`;
          ctx.log.warn('sweep spark point failed', { size: target.size, error: message });
        }
        Object.assign(record, answer(record.points, machine.memoryBytes));
        await store.save(record);
        progress(engine, `${label}: done`);
      }
    }
    Object.assign(record, { status: 'succeeded', finishedAt: new Date().toISOString() });
    await store.save(record);
    return record;
  } catch (err) {
    const error = toErrorData(err);
    Object.assign(record, {
      status: error.code === 'CANCELLED' ? 'cancelled' : 'failed',
      finishedAt: new Date().toISOString(),
      error: error.message,
    });
    await store.save(record).catch((e: unknown) => ctx.log.warn('could not record the sweep', { error: String(e) }));
    throw err;
  }
}
