/**
 * Exports keep the data when the disk does not (#15.6): a disk that fills up during an export is
 * reported as DISK_FULL (not as a PostgreSQL error) and the file that was there stays as it was;
 * every file reaches the disk (fsync) before the rename that makes it visible.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';
import { REAL_4401 } from '../support/real-data';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

/** A private mount namespace where a tiny tmpfs can be mounted: a real full disk without root on the host. */
const canMountTmpfs =
  process.platform === 'linux' &&
  spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' }).status === 0;

describe('exports and the disk', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine();
    await t.client.run('dataset/import', { path: REAL_4401, name: 'crash' });
  });
  afterAll(() => t.close());

  it.skipIf(!canMountTmpfs)('reports a full disk as DISK_FULL and keeps the file that was there', async () => {
    const disk = tempHome('full-disk');
    const target = path.join(disk, 'crash.csv');
    // Inside the namespace: a 256 kB disk holding an earlier export, then the CLI export (about 1 MB) onto it.
    const script = [
      `mount -t tmpfs -o size=256k tmpfs "${disk}"`,
      `printf 'earlier export\\n' > "${target}"`,
      `"${process.execPath}" "${path.join(repo, 'bin/sparkpolar.js')}" --home "${t.home}" --database-url "${t.databaseUrl}" export crash --format csv --out "${target}"`,
      'echo "exit=$?"',
      `cat "${target}"`,
      `ls -A "${disk}"`,
    ].join('; ');
    const { stdout, stderr } = await run('unshare', ['-rm', 'sh', '-c', script], { cwd: repo });
    expect(stderr).toContain(`sparkpolar: The disk is full while writing ${target}.`);
    expect(stderr).not.toMatch(/PostgreSQL|PG_ERROR/);
    expect(stdout.split('\n')).toEqual(['exit=1', 'earlier export', 'crash.csv', '']);
  });

  it('flushes every export to the disk before the rename that shows it', async () => {
    const opened = new Map<number, string>();
    const events: string[] = [];
    const realOpen = fs.openSync;
    const realFsync = fs.fsyncSync;
    const realRename = fs.renameSync;
    const spies = [
      vi.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
        const fd = (realOpen as (...a: unknown[]) => number)(file, ...rest);
        opened.set(fd, String(file));
        return fd;
      }) as typeof fs.openSync),
      vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
        events.push(`fsync ${opened.get(fd)}`);
        realFsync(fd);
      }),
      vi.spyOn(fs, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
        events.push(`rename ${String(from)} -> ${String(to)}`);
        realRename(from, to);
      }),
    ];
    try {
      const out = path.join(t.home, 'exports');
      for (const format of ['csv', 'xlsx', 'parquet', 'jsonl'] as const) {
        const target = path.join(out, `crash.${format}`);
        events.length = 0;
        await t.client.run('export/dataset', { dataset: 'crash', format, path: target });
        const rename = events.findIndex((e) => e.endsWith(`-> ${target}`));
        expect(rename, format).toBeGreaterThan(0);
        const temp = /^rename (.*) -> /.exec(events[rename]!)![1]!;
        expect(events.slice(0, rename), format).toContain(`fsync ${temp}`);
        expect(events.slice(rename + 1), format).toContain(`fsync ${out}`);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
