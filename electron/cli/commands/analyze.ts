import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AnalysisRun } from '../../../shared/api';
import { resultTableCsv } from '../../engine/analysis/result-csv';
import { withEngine } from '../context';
import { commaList } from '../options';
import { progressPrinter } from '../progress';

interface AnalyzeOptions {
  analyses?: string;
  out?: string;
  datasetVersion?: string;
  fresh?: boolean;
  sentinelsAsNull?: boolean;
  mergeMakes?: boolean;
  keepNullRows?: boolean;
}

/** The `--json` document: one entry per analysis, with its table. */
export function analyzeJson(run: AnalysisRun) {
  return {
    dataset: run.dataset,
    version: run.version,
    runId: run.runId,
    cleaning: run.cleaning,
    loadMs: round(run.loadMs),
    loadSource: run.loadSource,
    totalMs: round(run.totalMs),
    results: run.results.map((r) => ({
      id: r.id,
      status: r.status,
      columns: r.table?.columns.map((c) => c.name) ?? [],
      types: r.table?.columns.map((c) => c.type) ?? [],
      rows: r.table?.rows ?? [],
      ms: round(r.timings.totalMs),
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.cached ? { cached: true } : {}),
    })),
  };
}

function timingsJson(run: AnalysisRun) {
  return {
    dataset: run.dataset,
    version: run.version,
    runId: run.runId,
    rows: run.rows,
    loadMs: round(run.loadMs),
    loadSource: run.loadSource,
    prepareMs: round(run.prepareMs ?? 0),
    totalMs: round(run.totalMs),
    versions: run.versions,
    analyses: run.results.map((r) => ({
      id: r.id,
      status: r.status,
      loadMs: round(r.timings.loadMs),
      computeMs: round(r.timings.computeMs),
      totalMs: round(r.timings.totalMs),
      rowsIn: r.rowsIn,
      rowsOut: r.rowsOut,
      cached: Boolean(r.cached),
    })),
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('run the analysis catalog (or some of it) on a dataset with Polars')
    .argument('<dataset>', 'dataset name')
    .option('--analyses <ids>', 'comma-separated catalog ids (default: every analysis; not-applicable ones are reported)')
    .option('--out <dir>', 'write one <id>.csv per analysis and timings.json into this folder')
    .option('--dataset-version <n>', 'dataset version (default: current)')
    .option('--fresh', 'ignore cached results')
    .option('--sentinels-as-null', 'treat Not Entered, Unknown, … as nulls')
    .option('--merge-makes', 'merge make codes (CHEV/CHEVR …) into brands')
    .option('--keep-null-rows', "do not drop the original notebook's null rows")
    .action(async (dataset: string, options: AnalyzeOptions, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        const analyses = options.analyses === undefined ? undefined : commaList(options.analyses);
        const progress = progressPrinter(json);
        const run = await client
          .run(
            'analysis/run',
            {
              dataset,
              version: options.datasetVersion ? Number(options.datasetVersion) : undefined,
              analyses,
              fresh: Boolean(options.fresh),
              cleaning: {
                sentinelsAsNull: Boolean(options.sentinelsAsNull),
                mergeMakes: Boolean(options.mergeMakes),
                dropOriginalNulls: !options.keepNullRows,
              },
            },
            { signal, onProgress: progress.onProgress },
          )
          .finally(progress.done);
        if (options.out) {
          const dir = path.resolve(options.out);
          fs.mkdirSync(dir, { recursive: true });
          for (const r of run.results) if (r.table) fs.writeFileSync(path.join(dir, `${r.id}.csv`), resultTableCsv(r.table));
          fs.writeFileSync(path.join(dir, 'timings.json'), JSON.stringify(timingsJson(run), null, 2) + '\n');
        }
        if (json) return emitJson(analyzeJson(run));
        say(
          `${run.dataset} v${run.version}: ${run.rows.toLocaleString('en-US')} rows, loaded from ${run.loadSource} in ${run.loadMs.toFixed(0)} ms; run ${run.runId}`,
        );
        for (const r of run.results) {
          const detail =
            r.status === 'ok' ? `${r.rowsOut} rows, ${r.timings.computeMs.toFixed(1)} ms${r.cached ? ' (cached)' : ''}` : (r.reason ?? '');
          say(`  ${r.id.padEnd(32)} ${r.status.padEnd(15)} ${detail}`);
        }
        if (options.out) say(`Results written to ${path.resolve(options.out)}`);
        if (run.results.some((r) => r.status === 'failed')) process.exitCode = 1;
      });
    });
}
