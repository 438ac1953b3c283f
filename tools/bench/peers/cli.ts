/**
 * The product's own CLI run as a child process, so its peak memory is its own (the benchmark
 * process also hosts DuckDB and the test harness). It joins the same data folder and database.
 */
import type { BenchContext } from '../context';
import { NotAvailable } from '../protocol';
import { runNodeWithPeakRss } from './process';

export async function childCli(ctx: BenchContext): Promise<{ args: string[]; env: NodeJS.ProcessEnv }> {
  if (!ctx.options.cliScript) throw new NotAvailable('the sparkpolar CLI script is not present in this installation');
  const db = ctx.engine.ctx.db;
  // An external database's URL carries its password: through the environment (private to the
  // child), never on the command line, which any local user can read (ps, /proc/<pid>/cmdline).
  const databaseUrl = db.mode === 'external' ? (await db.connectionInfo()).url : '';
  return { args: [ctx.options.cliScript, '--home', ctx.engine.ctx.home], env: { ...process.env, DATABASE_URL: databaseUrl } };
}

export interface CliRun {
  peakRssMB: number;
  seconds: number;
  stdout: string;
}

/** Runs `sparkpolar <command> <args…>`; an unknown sub-command is NotAvailable, any other failure an error. */
export async function runCliWithPeakRss(ctx: BenchContext, command: string, commandArgs: string[]): Promise<CliRun> {
  const child = await childCli(ctx);
  const [script, ...rest] = [...child.args, command, ...commandArgs];
  const started = process.hrtime.bigint();
  const result = await runNodeWithPeakRss(script!, rest, { signal: ctx.signal, env: child.env });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.code !== 0) {
    if (/unknown command/i.test(result.stderr)) throw new NotAvailable(`\`sparkpolar ${command}\` is not in the product yet`);
    const message = result.stderr.trim().split('\n').slice(-2).join(' ') || `exit status ${result.code}`;
    throw new Error(message);
  }
  if (result.peakRssMB === undefined) throw new Error('the child process did not report its peak memory');
  return { peakRssMB: result.peakRssMB, seconds, stdout: result.stdout };
}
