/** The machine and the versions every result is recorded with. */
import os from 'node:os';
import type { Database } from '../../electron/engine/db/database';
import { versions as productVersions } from '../../electron/engine/system/versions';
import { findPandas } from './peers/pandas';
import { runProcess } from './peers/process';
import type { MachineInfo } from './types';

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryMB: Math.round(os.totalmem() / 1024 / 1024),
    loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

const NA = (why: string) => `not available (${why})`;

export async function collectVersions(db: Database, psql: string, pythonCandidates: string[]): Promise<Record<string, string>> {
  const product = productVersions();
  const out: Record<string, string> = { sparkpolar: product.app.version, node: product.node, polars: product.polars };
  const info = await db.info();
  out.postgresql = info.version ?? NA(info.error ?? 'unreachable');
  try {
    const duck = await import('@duckdb/node-api');
    out.duckdb = duck.version();
  } catch (err) {
    out.duckdb = NA(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  const p = await runProcess(psql, ['--version']).catch((err: Error) => ({ code: 1, stdout: '', stderr: err.message }));
  out.psql = p.code === 0 ? p.stdout.trim() : NA(p.stderr.trim() || 'psql failed');
  try {
    const pandas = await findPandas(pythonCandidates);
    out.pandas = pandas.versions.pandas;
    out.sqlalchemy = pandas.versions.sqlalchemy;
    out.psycopg2 = pandas.versions.psycopg2;
    out.python = pandas.python;
  } catch (err) {
    out.pandas = NA(err instanceof Error ? err.message : String(err));
  }
  return out;
}
