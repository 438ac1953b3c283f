/**
 * `sparkpolar sweep` as a user runs it: on the real rows with `--json` it prints exactly the
 * document of issue #18; `--grow` on generated data adds larger points; bad sizes fail with one
 * clear line and a non-zero exit.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCrashCsv } from '../../electron/engine/generate/generate';
import { freshDatabaseUrl, tempHome } from '../support/pg';
import { REAL_4401 } from '../support/real-data';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const env = { PATH: process.env.PATH, HOME: tempHome('sweep-cli-user') };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
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

describe('sparkpolar sweep (CLI)', { timeout: 600_000 }, () => {
  let base: string[];

  beforeAll(async () => {
    base = ['--home', tempHome('sweep-cli'), '--database-url', await freshDatabaseUrl('sweepcli')];
    const imported = await cli([...base, 'import', REAL_4401, '--name', 'real', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
  }, 180_000);

  it('prints the one JSON document of the issue for a sweep of the real rows', async () => {
    const out = await cli([
      ...base,
      'sweep',
      'real',
      '--sizes',
      '20%,100%',
      '--repeat',
      '2',
      '--analyses',
      'desc-make,desc-state',
      '--json',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(Object.keys(doc).sort()).toEqual(['crossoverRows', 'dataset', 'fit', 'machine', 'points', 'polarsMemoryLimitRows']);
    expect(doc.dataset).toBe('real');
    expect(Object.keys(doc.machine).sort()).toEqual(['cores', 'memoryBytes']);
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(doc.points.map((p: { engine: string; rows: number }) => [p.engine, p.rows])).toEqual([
      ['polars', 880],
      ['polars', 4401],
    ]);
    for (const p of doc.points) {
      expect(Object.keys(p).sort()).toEqual(['computeMs', 'engine', 'loadMs', 'peakRssBytes', 'rows']);
      expect(p.loadMs).toBeGreaterThan(0);
      expect(p.peakRssBytes).toBeGreaterThan(0);
    }
    expect(Object.keys(doc.fit)).toEqual(['polars']);
    expect(doc.fit.polars.msPerMillionRows).toBeGreaterThan(0);
    expect(doc.crossoverRows).toBeNull();
    // --json keeps stdout to the one document: no progress lines there.
    expect(out.stdout.trim().startsWith('{')).toBe(true);
  });

  it('grows generated data with --grow, and explains itself without --json', async () => {
    const file = path.join(tempHome('sweep-cli-gen'), 'gen.csv');
    await generateCrashCsv({ rows: 5_000, seed: 3, out: file });
    expect((await cli([...base, 'import', file, '--name', 'gen', '--json'])).code).toBe(0);
    const out = await cli([...base, 'sweep', 'gen', '--sizes', '50%,100%', '--grow', '2x', '--repeat', '1', '--analyses', 'desc-make']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/polars\s+50%\s+2,500 rows/);
    expect(out.stdout).toMatch(/polars\s+2x\s+10,000 rows/);
    expect(out.stdout).toMatch(/No Spark workspace is configured/);
    expect(out.stdout).toMatch(/beyond [\d,]+ rows, use Spark/);
  });

  it('rejects a bad size with one clear line', async () => {
    const out = await cli([...base, 'sweep', 'real', '--sizes', '10,20']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/--sizes: percentages such as 10%,30%,100%/);
  });
});
