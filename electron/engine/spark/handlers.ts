import os from 'node:os';
import type { AnalysisRun } from '../../../shared/contract/analysis';
import type { PolarsTimingRun, SparkConnectionTest, sparkMethods } from '../../../shared/contract/spark';
import { StudioError, toErrorData } from '../../../shared/errors';
import type { DomainHandlers } from '../rpc/handlers';
import { versions } from '../system/versions';
import { describeConfig } from './config';
import { connectDatabricks } from './connect';
import { localSparkStatus } from './local-spark';
import { resolveConfig, runOnSpark, type SparkContext, type SparkDeps } from './run';
import { databricksSettings } from './settings-adapter';
import { SparkRunStore } from './store';

function toTimingRun(run: AnalysisRun): PolarsTimingRun {
  return {
    runId: run.runId,
    dataset: run.dataset,
    version: run.version,
    startedAt: run.startedAt,
    loadMs: run.loadMs,
    totalMs: run.totalMs,
    rows: run.rows,
    cleaning: run.cleaning,
    versions: run.versions,
    analyses: run.results.map((r) => ({
      id: r.id,
      status: r.status,
      computeMs: r.timings.computeMs,
      ...(r.error ? { error: r.error.message } : r.reason ? { error: r.reason } : {}),
    })),
  };
}

/** Settings are read through the settings store; tests and hosts may give their own reader. */
export function sparkHandlers(ctx: SparkContext, overrides: Partial<Omit<SparkDeps, 'ctx'>> = {}): DomainHandlers<typeof sparkMethods> {
  const deps: SparkDeps = { ctx, settings: () => databricksSettings(ctx), ...overrides };
  const store = () => new SparkRunStore(ctx.db);
  return {
    'spark/run': (params, job) => runOnSpark(deps, params, job),
    'spark/runs': (params) => store().list(params.dataset, params.limit),
    'spark/get-run': (params) => store().get(params.runId),
    'spark/result-tables': async (params) => ({
      runId: params.runId,
      analysis: params.analysis,
      ...(await store().tables(params.runId, params.analysis)),
    }),
    'spark/compare': async (params) => {
      const spark = await store().recent(params.dataset, params.limit);
      const runs = ctx.analysisRuns;
      let polars: PolarsTimingRun[] = [];
      try {
        const summaries = await runs.list(params.dataset, params.limit);
        polars = (await Promise.all(summaries.map((s) => runs.get(s.runId)))).map(toTimingRun);
      } catch (err) {
        // Polars history is a bonus here: the Spark side stays viewable if it cannot be read.
        ctx.log.warn('polars history unavailable for the comparison', { error: String(err) });
      }
      const v = versions();
      return {
        dataset: params.dataset ?? null,
        spark,
        polars,
        machine: {
          os: `${os.type()} ${os.release()}`,
          arch: os.arch(),
          cpus: os.cpus().length,
          memoryBytes: os.totalmem(),
          node: v.node,
          polars: v.polars,
        },
      };
    },
    'spark/config': async (params) => {
      const settings = deps.settings ? await deps.settings().catch(() => undefined) : undefined;
      const view = describeConfig({ settings, env: ctx.env, profile: params.profile });
      const defaultCompute = view.configured ? (view.clusterId ? `cluster:${view.clusterId}` : 'serverless') : null;
      return { ...view, local: localSparkStatus(ctx.env), defaultCompute };
    },
    'spark/test': async (params) => {
      const started = performance.now();
      const result: SparkConnectionTest = { ok: false, host: null, auth: null, source: null, storage: null, ms: 0, error: null };
      try {
        const config = await resolveConfig(deps, params.profile);
        Object.assign(result, { host: config.host, auth: config.auth.kind, source: config.source });
        const client = connectDatabricks(
          { ...config, retryBudgetMs: Math.min(config.retryBudgetMs, 30_000) },
          { log: ctx.log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
        );
        if (!(await client.workspaceGetStatus('/')))
          throw new StudioError('DATABRICKS_INVALID', 'The workspace answered, but its root folder is missing.');
        if (config.uploadTo === 'volume' && (await client.directoryExists(config.volume)))
          result.storage = { kind: 'volume', root: config.volume };
        else {
          const root = config.dbfsDir.startsWith('dbfs:') ? config.dbfsDir : `dbfs:${config.dbfsDir}`;
          await client.dbfsGetStatus('/');
          result.storage =
            config.uploadTo === 'dbfs'
              ? { kind: 'dbfs', root }
              : { kind: 'dbfs', root, fallbackReason: `the volume ${config.volume} does not exist` };
        }
        result.ok = true;
      } catch (err) {
        result.error = toErrorData(err);
      }
      result.ms = Math.round(performance.now() - started);
      return result;
    },
  };
}
