/**
 * The acceptance of the issue, as a user runs it: `sparkpolar spark run <dataset> --json` with
 * DATABRICKS_HOST / DATABRICKS_TOKEN pointing at the emulator prints one object with the run id,
 * status, run page, phase durations and a match for every analysis; a wrong result is reported
 * as a mismatch; a bad token fails with one clear line and a non-zero exit.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleExecutor } from '../support/databricks-emulator/oracle-compute';
import { startDatabricksEmulator, type DatabricksEmulator } from '../support/databricks-emulator';
import { freshDatabaseUrl, tempHome } from '../support/pg';
import { REAL_31 } from '../support/real-data';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/sparkpolar.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('sparkpolar spark run (CLI) against the emulator', () => {
  let emulator: DatabricksEmulator;
  let base: string[];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startDatabricksEmulator({
      clock: { mode: 'scaled', scale: 1 },
      durations: { serverless: { queue: 40, setup: 150, execution: 200, cleanup: 40 } },
      executor: oracleExecutor(),
    });
    base = ['--home', tempHome('cli'), '--database-url', await freshDatabaseUrl('cli')];
    env = {
      PATH: process.env.PATH,
      HOME: tempHome('cli-user'),
      DATABRICKS_HOST: emulator.host,
      DATABRICKS_TOKEN: emulator.token,
      SPARKPOLAR_DATABRICKS_POLL_MS: '20',
    };
    const imported = await cli([...base, 'import', REAL_31, '--name', 'raw31', '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await emulator?.close();
  });

  it('checks a workspace on a sample: --sample N runs both engines on the first N rows, every analysis compared', async () => {
    const { code, stdout, stderr } = await cli([...base, 'spark', 'run', 'raw31', '--sample', '12', '--json'], env);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as { dataset: string; status: string; verdict: { compared: number; mismatched: number } };
    expect(out).toMatchObject({ dataset: 'raw31-sample-12', status: 'succeeded' });
    expect(out.verdict.compared).toBeGreaterThan(20);
    expect(out.verdict.mismatched).toBe(0);
    const rows = await cli([...base, 'spark', 'run', 'raw31', '--sample', '12', '--analyses', 'explore-counts', '--json'], env);
    expect(rows.code, rows.stderr).toBe(0);
    const counts = JSON.parse(rows.stdout) as { analyses: Array<{ id: string; match: boolean }> };
    expect(counts.analyses).toEqual([expect.objectContaining({ id: 'explore-counts', match: true })]);
    const bad = await cli([...base, 'spark', 'run', 'raw31', '--sample', '6000'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--sample: at most 5000 rows/);
  }, 240_000);

  it('prints one JSON object with the run, its phases and a match for every analysis', async () => {
    const { code, stdout, stderr } = await cli([...base, 'spark', 'run', 'raw31', '--json'], env);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as {
      runId: string;
      status: string;
      runPageUrl: string;
      queueMs: number;
      setupMs: number;
      executionMs: number;
      cleanupMs: number;
      analyses: Array<{ id: string; sparkMs: number; polarsMs: number; match: boolean }>;
    };
    expect(out.status).toBe('succeeded');
    expect(emulator.runs.has(out.runId)).toBe(true);
    expect(out.runPageUrl).toContain(`/run/${out.runId}`);
    for (const key of ['queueMs', 'setupMs', 'executionMs', 'cleanupMs'] as const) expect(out[key]).toBeGreaterThan(0);
    expect(out.analyses.length).toBeGreaterThan(20);
    expect(out.analyses.filter((a) => a.match !== true)).toEqual([]);
    for (const a of out.analyses) {
      expect(typeof a.sparkMs).toBe('number');
      expect(typeof a.polarsMs).toBe('number');
    }
  }, 180_000);

  it('reports a wrong Spark result as a mismatch, with exit status 2', async () => {
    emulator.inject.wrongResult('desc-state');
    const { code, stdout, stderr } = await cli([...base, 'spark', 'run', 'raw31', '--analyses', 'desc-state,desc-fuel', '--json'], env);
    expect(code, stderr).toBe(2);
    const out = JSON.parse(stdout) as { analyses: Array<{ id: string; match: boolean }>; verdict: { mismatched: number } };
    expect(out.analyses.find((a) => a.id === 'desc-state')!.match).toBe(false);
    expect(out.verdict.mismatched).toBe(1);
  }, 180_000);

  it('fails with one clear line and a non-zero exit on a bad token', async () => {
    const { code, stdout, stderr } = await cli([...base, 'spark', 'run', 'raw31', '--json'], { ...env, DATABRICKS_TOKEN: 'dapi-wrong' });
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    const lines = stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('sparkpolar:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Invalid access token');
    expect(stderr).not.toContain('dapi-wrong');
  }, 180_000);
});
