/**
 * `local` compute: the same PySpark job through `spark-submit` on this machine, offered only when
 * `spark-submit` is on PATH (or in $SPARK_HOME/bin).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SparkLocalStatus } from '../../../shared/contract/spark';
import { cancelledError, StudioError } from '../../../shared/errors';

export function findSparkSubmit(env: NodeJS.ProcessEnv): string | null {
  const names = process.platform === 'win32' ? ['spark-submit.cmd', 'spark-submit.bat', 'spark-submit'] : ['spark-submit'];
  const dirs = [
    ...(env.SPARK_HOME ? [path.join(env.SPARK_HOME, 'bin')] : []),
    ...(env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean),
  ];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export function localSparkStatus(env: NodeJS.ProcessEnv): SparkLocalStatus {
  const sparkSubmit = findSparkSubmit(env);
  return sparkSubmit
    ? { available: true, sparkSubmit, reason: null }
    : {
        available: false,
        sparkSubmit: null,
        reason:
          'spark-submit was not found on PATH or in $SPARK_HOME/bin: install PySpark (pip install pyspark) or Apache Spark to run locally.',
      };
}

export interface LocalRunOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the job with spark-submit; Ctrl-C / job cancel kills it. Output streams are kept (last 1 MB). */
export function runSparkSubmit(
  sparkSubmit: string,
  jobFile: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void },
): Promise<LocalRunOutcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(cancelledError());
    const child = spawn(sparkSubmit, ['--master', 'local[*]', jobFile, ...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (acc: { text: string }, chunk: Buffer) => {
      acc.text = (acc.text + chunk.toString('utf8')).slice(-1024 * 1024);
    };
    const out = { text: '' };
    const err = { text: '' };
    let partial = '';
    child.stdout.on('data', (c: Buffer) => {
      keep(out, c);
      partial += c.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) options.onLine?.(l);
    });
    child.stderr.on('data', (c: Buffer) => keep(err, c));
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new StudioError('DATABRICKS_RUN_FAILED', `spark-submit could not start: ${e.message}`));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(cancelledError());
      resolve({ exitCode: code ?? 1, stdout: out.text, stderr: err.text, ms: performance.now() - started });
    });
  });
}
