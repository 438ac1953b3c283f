import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { StudioClient } from '../../../shared/client';
import type { SparkRunRecord } from '../../../shared/contract/spark';
import { withEngine } from '../context';
import { commaList, wholeNumber } from '../options';

/** Most rows `--sample` takes: one page of the dataset view. */
const SAMPLE_MAX = 5000;

const csvField = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const text = String(v);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * `--sample N`: the first N rows of the dataset version, imported as the dataset
 * `<name>-sample-<N>` with the same column types, so Spark and Polars both run on exactly those rows.
 */
async function sampleDataset(client: StudioClient, dataset: string, version: number | undefined, rows: number): Promise<string> {
  const page = await client.call('dataset/page', { dataset, ...(version ? { version } : {}), offset: 0, limit: rows });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkpolar-sample-'));
  const file = path.join(dir, `${dataset}-sample-${rows}.csv`);
  try {
    const lines = [page.columns.map((c) => csvField(c.name)).join(','), ...page.rows.map((r) => r.map(csvField).join(','))];
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const name = `${page.dataset}-sample-${rows}`;
    await client.run('dataset/import', {
      path: file,
      name,
      onError: 'abort',
      types: Object.fromEntries(page.columns.map((c) => [c.identifier, c.type])),
    });
    return name;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function computeOption(value: string): string {
  if (!/^(serverless|local|cluster:[A-Za-z0-9._-]+)$/.test(value))
    throw new InvalidArgumentError('serverless, local or cluster:<cluster id>');
  return value;
}

const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;

/** The one JSON object `spark run --json` prints. */
export function runSummary(run: SparkRunRecord) {
  return {
    runId: run.databricksRunId ?? run.id,
    sparkRunId: run.id,
    status: run.status,
    runPageUrl: run.runPageUrl,
    compute: run.compute,
    dataset: run.dataset,
    version: run.version,
    queueMs: run.phases.queueMs,
    setupMs: run.phases.setupMs,
    executionMs: run.phases.executionMs,
    cleanupMs: run.phases.cleanupMs,
    loadMs: run.loadMs,
    uploadSkipped: run.storage?.uploadSkipped ?? null,
    verdict: run.verdict,
    analyses: run.analyses.map((a) => ({
      id: a.id,
      status: a.status,
      sparkMs: a.sparkMs,
      polarsMs: a.polarsMs,
      match: a.match,
      ...(a.differences.length ? { differences: a.differences } : {}),
      ...(a.error ? { error: a.error } : {}),
    })),
  };
}

export function registerSpark(program: Command): void {
  const spark = program
    .command('spark')
    .description('run the analyses on Spark (Databricks or local spark-submit) and compare with Polars');

  spark
    .command('run <dataset>')
    .description('upload the dataset, run the PySpark job, follow it, and compare every analysis with Polars')
    .option('--dataset-version <n>', 'dataset version (default: the current one)', wholeNumber('--dataset-version', 1))
    .option('--profile <name>', 'a profile of ~/.databrickscfg (or $DATABRICKS_CONFIG_FILE)')
    .option('--compute <kind>', 'serverless, cluster:<id> or local (default: the configured cluster, else serverless)', computeOption)
    .option('--repeat <n>', 'run each analysis n times inside the job (first vs warm)', wholeNumber('--repeat', 1), 1)
    .option('--format <format>', 'parquet (default) or csv', (v) => {
      if (v !== 'parquet' && v !== 'csv') throw new InvalidArgumentError('parquet or csv');
      return v;
    })
    .option('--analyses <ids>', 'comma-separated catalog ids (default: every applicable analysis)')
    .option('--sentinels-as-null', 'treat Not Entered, Unknown, … as nulls')
    .option('--merge-makes', 'merge make codes into brands')
    .option('--keep-null-rows', "do not drop the original's null rows")
    .option('--no-compare', 'do not compare with Polars')
    .option(
      '--sample <rows>',
      `run on the first <rows> rows (at most ${SAMPLE_MAX}), imported as <dataset>-sample-<rows>: a quick check on a workspace`,
      (v) => {
        const n = wholeNumber('--sample', 1)(v);
        if (n > SAMPLE_MAX) throw new InvalidArgumentError(`--sample: at most ${SAMPLE_MAX} rows`);
        return n;
      },
    )
    .action(async (dataset: string, options: Record<string, unknown>, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        let lastPhase = '';
        const version = options.datasetVersion as number | undefined;
        const sample = options.sample as number | undefined;
        const target = sample ? await sampleDataset(client, dataset, version, sample) : dataset;
        if (sample && !json) say(`Sample: the first ${sample} rows of ${dataset}, as the dataset ${target}`);
        const run = await client.run(
          'spark/run',
          {
            dataset: target,
            ...(version && !sample ? { version } : {}),
            ...(options.profile ? { profile: String(options.profile) } : {}),
            ...(options.compute ? { compute: String(options.compute) } : {}),
            repeat: options.repeat as number,
            ...(options.format ? { format: options.format as 'parquet' | 'csv' } : {}),
            ...(options.analyses
              ? {
                  analyses: commaList(String(options.analyses)),
                }
              : {}),
            cleaning: {
              sentinelsAsNull: Boolean(options.sentinelsAsNull),
              mergeMakes: Boolean(options.mergeMakes),
              dropOriginalNulls: !options.keepNullRows,
            },
            compare: options.compare !== false,
          },
          {
            signal,
            onProgress: (p) => {
              if (json || !p.phase || p.phase === lastPhase) return;
              lastPhase = p.phase;
              process.stderr.write(`  ${p.message ?? p.phase}\n`);
            },
          },
        );
        const summary = runSummary(run);
        // Like diff: 0 same results, 2 some differ (1 stays for errors), so scripts can check a run.
        if (run.verdict?.mismatched) process.exitCode = 2;
        if (json) return emitJson(summary);
        say(`Spark run ${summary.runId}: ${run.status} (${run.compute})`);
        if (run.runPageUrl) say(`  ${run.runPageUrl}`);
        say(
          `  queue ${ms(summary.queueMs)} · setup ${ms(summary.setupMs)} · execution ${ms(summary.executionMs)} · cleanup ${ms(summary.cleanupMs)}`,
        );
        const width = Math.max(...summary.analyses.map((a) => a.id.length), 8);
        for (const a of summary.analyses) {
          const mark = a.match === null ? ' ' : a.match ? '✓' : '✗';
          say(
            `  ${mark} ${a.id.padEnd(width)}  spark ${ms(a.sparkMs).padStart(8)}  polars ${ms(a.polarsMs).padStart(8)}${a.error ? `  (${a.error})` : ''}`,
          );
        }
        if (run.verdict)
          say(
            `  ${run.verdict.matched}/${run.verdict.compared} analyses give the same results${run.verdict.mismatched ? `; ${run.verdict.mismatched} differ` : ''}`,
          );
      });
    });

  spark
    .command('config')
    .description('say what Databricks connection is configured (never a secret) and whether local Spark is available')
    .option('--profile <name>', 'a profile of ~/.databrickscfg')
    .action(async (options: { profile?: string }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        const info = await client.call('spark/config', options.profile ? { profile: options.profile } : {});
        if (json) return emitJson(info);
        if (info.configured) {
          say(`Databricks  ${info.host} (${info.auth}, from ${info.source})`);
          say(`  compute   ${info.defaultCompute}`);
          say(`  volume    ${info.volume} (DBFS fallback ${info.dbfsDir})`);
          say(`  job       ${info.taskKind === 'notebook' ? `notebook in ${info.workspaceDir}` : 'Python file on the volume'}`);
        } else say(`Databricks  not configured: ${info.problem}`);
        if (info.profiles.length) say(`  profiles  ${info.profiles.join(', ')} in ${info.configFile}`);
        say(`Local Spark ${info.local.available ? info.local.sparkSubmit : `not available (${info.local.reason})`}`);
      });
    });

  spark
    .command('test')
    .description('check the Databricks connection: credentials, and where uploads would go')
    .option('--profile <name>', 'a profile of ~/.databrickscfg')
    .action(async (options: { profile?: string }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        const result = await client.call('spark/test', options.profile ? { profile: options.profile } : {});
        if (json) emitJson(result);
        else if (result.ok)
          say(
            `Connected to ${result.host} (${result.auth}) in ${result.ms} ms; uploads go to ${result.storage?.root} (${result.storage?.kind})`,
          );
        else process.stderr.write(`sparkpolar: ${result.error?.message}${result.error?.fix ? ` (${result.error.fix})` : ''}\n`);
        if (!result.ok) process.exitCode = 1;
      });
    });

  spark
    .command('runs [dataset]')
    .description('list Spark runs, newest first')
    .option('--limit <n>', 'how many', wholeNumber('--limit', 1), 20)
    .action(async (dataset: string | undefined, options: { limit: number }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        const runs = await client.call('spark/runs', { ...(dataset ? { dataset } : {}), limit: options.limit });
        if (json) return emitJson(runs);
        if (!runs.length) say('No Spark runs yet.');
        for (const r of runs) {
          const verdict = r.verdict ? `${r.verdict.matched}/${r.verdict.compared} match` : '';
          say(
            `${r.startedAt.slice(0, 19).replace('T', ' ')}  ${r.status.padEnd(9)}  ${r.dataset} v${r.version}  ${r.compute}  ${r.databricksRunId ?? r.id}  ${verdict}`,
          );
        }
      });
    });
}
