/**
 * What the emulator runs in place of the PySpark job: it reads the job's parameters and plan as
 * the job would, computes every analysis of the plan with an independent engine (the DuckDB
 * oracle of the analyses issue), and writes the same result document where the job would, plus
 * the job's short summary as notebook exit value and stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResultTable } from '../../../shared/contract/analysis';
import type { DatasetColumn } from '../../../shared/types';
import type { SparkJobPlan, SparkJobResult } from '../../../shared/spark-job';
import type { Executor } from './server';

/** The dataset file, with its columns named as the catalog names them. */
export interface ComputeSource {
  file: string;
  format: 'parquet' | 'csv';
  columns: DatasetColumn[];
}

/** An engine open on one file that computes one analysis of the plan at a time. */
export interface ComputeSession {
  compute(analysis: SparkJobPlan['analyses'][number], cleaning: SparkJobPlan['cleaning']): Promise<ResultTable>;
  close(): void;
}

export type OpenCompute = (source: ComputeSource) => Promise<ComputeSession>;

/** The uploaded file with display names instead of the physical `c00…` names (via DuckDB). */
async function withDisplayNames(
  file: string,
  format: 'parquet' | 'csv',
  plan: SparkJobPlan,
): Promise<{ file: string; cleanup: () => void }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbx-exec-'));
  const out = path.join(dir, `data.${format}`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  try {
    const source =
      format === 'parquet'
        ? `read_parquet(${lit(file)})`
        : `read_csv(${lit(file)}, header = true, all_varchar = true, quote = '"', escape = '"')`;
    const select = plan.columns.map((c) => `${ident(c.file)} AS ${ident(c.name)}`).join(', ');
    const target = format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER true)';
    await connection.run(`COPY (SELECT ${select} FROM ${source}) TO ${lit(out)} ${target}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { file: out, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function planExecutor(open: OpenCompute): Executor {
  return async (request) => {
    const planPath = request.parameters.plan;
    if (!planPath)
      return {
        failure: {
          error: 'sparkpolar: give the plan',
          errorTrace: "SystemExit: sparkpolar: give the plan (--plan PATH, or the notebook's plan widget)",
        },
      };
    if (!request.source.startsWith('# Databricks notebook source')) {
      return { failure: { error: 'The job source is not the SparkPolar job.', errorTrace: 'SyntaxError: unexpected job source' } };
    }
    const planFile = request.localPath(planPath);
    if (!planFile || !fs.existsSync(planFile)) {
      return {
        failure: {
          error: `FileNotFoundError: ${planPath}`,
          errorTrace: `FileNotFoundError: [Errno 2] No such file or directory: '${planPath}'`,
        },
      };
    }
    const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as SparkJobPlan;
    const inputPath = request.parameters.input || plan.input.path;
    const format = (request.parameters.format || plan.input.format) as 'parquet' | 'csv';
    const output = request.parameters.output || plan.output;
    const input = request.localPath(inputPath);
    if (!input || !fs.existsSync(input)) {
      return {
        failure: {
          error: `AnalysisException: [PATH_NOT_FOUND] Path does not exist: ${inputPath}.`,
          errorTrace: `AnalysisException: [PATH_NOT_FOUND] Path does not exist: ${inputPath}.\nFile <command-1>, in load(spark, plan, path, fmt)`,
        },
      };
    }
    const started = performance.now();
    // CSV columns are read by position; Parquet ones by name, so those get the display names.
    const named = format === 'parquet' ? await withDisplayNames(input, format, plan) : { file: input, cleanup: () => undefined };
    const columns: DatasetColumn[] = plan.columns.map((c) => ({ name: c.name, identifier: c.name, type: c.type }));
    let session: ComputeSession;
    try {
      session = await open({ file: named.file, format, columns });
    } catch (err) {
      named.cleanup();
      const message = err instanceof Error ? err.message : String(err);
      return {
        failure: {
          error: `AnalysisException: ${message.split('\n')[0]}`,
          errorTrace: err instanceof Error ? (err.stack ?? message) : message,
        },
      };
    }
    const loadMs = performance.now() - started;
    const analyses: SparkJobResult['analyses'] = [];
    const logs: string[] = [];
    try {
      for (const analysis of plan.analyses) {
        const samples: number[] = [];
        let table: ResultTable | null = null;
        try {
          for (let i = 0; i < plan.repeat; i++) {
            const t0 = performance.now();
            const result = await session.compute(analysis, plan.cleaning);
            samples.push(performance.now() - t0);
            if (i === 0) table = result;
          }
          analyses.push({ id: analysis.id, status: 'ok', samplesMs: samples, table, rowsOut: table?.rows.length ?? 0 });
        } catch (err) {
          analyses.push({
            id: analysis.id,
            status: 'failed',
            samplesMs: samples,
            table: null,
            error: {
              type: 'OracleError',
              message: err instanceof Error ? err.message : String(err),
              trace: err instanceof Error ? (err.stack ?? null) : null,
            },
          });
        }
        logs.push(`sparkpolar: ${analysis.id} ${analyses.at(-1)!.status} ${Math.round(samples[0] ?? 0)} ms`);
      }
    } finally {
      session.close();
      named.cleanup();
    }
    const document: SparkJobResult = {
      format: 'sparkpolar-spark-result',
      version: 1,
      runTag: plan.runTag,
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      runtime: {
        engine: 'emulator',
        spark: '3.5.2 (emulated)',
        python: '3.11 (emulated)',
        databricksRuntime: '15.4 (emulated)',
        oracle: 'duckdb',
      },
      compute: {},
      input: { path: inputPath, format, rows: plan.input.rows },
      load: { ms: loadMs, cached: !request.serverless },
      repeat: plan.repeat,
      analyses,
      totalMs: performance.now() - started,
    };
    const out = request.localPath(output);
    if (!out)
      return {
        failure: { error: `OSError: cannot write ${output}`, errorTrace: `OSError: [Errno 30] Read-only file system: '${output}'` },
      };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(document));
    const failed = analyses.filter((a) => a.status === 'failed').length;
    const summary = JSON.stringify({
      sparkpolar: {
        runTag: plan.runTag,
        status: failed ? 'partial' : 'ok',
        output,
        analyses: analyses.length,
        failed,
        rows: plan.input.rows,
        loadMs,
        totalMs: document.totalMs,
      },
      result: null,
    });
    return { notebookResult: summary, logs: `${logs.join('\n')}\n${summary}\n` };
  };
}
