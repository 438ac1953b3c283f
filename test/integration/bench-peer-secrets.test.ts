/**
 * The benchmark never puts a database password on a child's command line (readable by any local
 * user through ps or /proc/<pid>/cmdline): the product's CLI child gets the external URL through
 * its environment, and the CLI really connects with it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childCli } from '../../tools/bench/peers/cli';
import { runProcess } from '../../tools/bench/peers/process';
import type { BenchContext } from '../../tools/bench/context';
import { startTestEngine, type TestEngine } from '../support/pg';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.close());

describe('benchmark children and database passwords', () => {
  it('hands the product CLI an external database through the environment, not its arguments', async () => {
    const password = decodeURIComponent(new URL(t.databaseUrl).password);
    expect(password.length).toBeGreaterThan(0);
    const cliScript = path.resolve(__dirname, '../../bin/sparkpolar.js');
    const ctx = { engine: t.engine, options: { cliScript } } as unknown as BenchContext;
    const child = await childCli(ctx);
    expect(child.args.join(' ')).not.toContain(password);
    expect(child.args.join(' ')).not.toMatch(/postgres(ql)?:\/\//);
    expect(decodeURIComponent(new URL(child.env.DATABASE_URL!).password)).toBe(password);
    // And the CLI connects with it: it lists the (empty) catalog of this test's database.
    const result = await runProcess(process.execPath, [...child.args, '--json', 'datasets'], { env: child.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  }, 60_000);
});
