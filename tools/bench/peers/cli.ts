/**
 * The product's own CLI run as a child process, so its peak memory is its own (the benchmark
 * process also hosts DuckDB and the test harness). It joins the same data folder and database.
 */
import type { BenchContext } from '../context';
import { NotAvailable } from '../protocol';
import { runNodeWithPeakRss } from './process';

async function childCliArgs(ctx: BenchContext): Promise<string[]> {
  if (!ctx.options.cliScript) throw new NotAvailable('the sparkpolar CLI script is not present in this installation');
  const args = [ctx.options.cliScript, '--home', ctx.engine.ctx.home];
  const db = ctx.engine.ctx.db;
  if (db.mode === 'external') args.push('--database-url', (await db.connectionInfo()).url);
  return args;
}

export interface CliRun {
  peakRssMB: number;
  seconds: number;
  stdout: string;
}

/** Runs `sparkpolar <command> <args…>`; an unknown sub-command is NotAvailable, any other failure an error. */
export async function runCliWithPeakRss(ctx: BenchContext, command: string, commandArgs: string[]): Promise<CliRun> {
  const [script, ...rest] = [...(await childCliArgs(ctx)), command, ...commandArgs];
  const started = process.hrtime.bigint();
  const result = await runNodeWithPeakRss(script!, rest, { signal: ctx.signal, env: { ...process.env, DATABASE_URL: '' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.code !== 0) {
    if (/unknown command/i.test(result.stderr)) throw new NotAvailable(`\`sparkpolar ${command}\` is not in the product yet`);
    const message = result.stderr.trim().split('\n').slice(-2).join(' ') || `exit status ${result.code}`;
    throw new Error(message);
  }
  if (result.peakRssMB === undefined) throw new Error('the child process did not report its peak memory');
  return { peakRssMB: result.peakRssMB, seconds, stdout: result.stdout };
}
