/**
 * Main's and the engine's log files: JSON lines, rotated by size keeping N files, secrets redacted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, logsDir } from '../../electron/engine/logging/file-logger';
import { rotatedName, rotatingFileSink } from '../../electron/engine/logging/rotating-file';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));

describe('rotating log files', () => {
  it('rotates by size and keeps only the newest N old files', () => {
    const d = dir();
    const sink = rotatingFileSink({ dir: d, name: 'engine', maxBytes: 100, keep: 2 });
    const lines = Array.from({ length: 30 }, (_, i) => `line-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`);
    lines.forEach((l) => sink(l));
    sink.close();
    expect(fs.readdirSync(d).sort()).toEqual(['engine.1.log', 'engine.2.log', 'engine.log']);
    for (const f of fs.readdirSync(d)) expect(fs.statSync(path.join(d, f)).size).toBeLessThanOrEqual(100);
    // Oldest to newest across the kept files is a contiguous tail of what was written, ending with the last line.
    const kept = [2, 1, 0].flatMap((i) =>
      fs
        .readFileSync(rotatedName(d, 'engine', i), 'utf8')
        .trim()
        .split('\n'),
    );
    expect(kept).toEqual(lines.slice(lines.length - kept.length));
    expect(kept.length).toBeGreaterThanOrEqual(6);
  });

  it('appends to an existing file across restarts', () => {
    const d = dir();
    const a = rotatingFileSink({ dir: d, name: 'main', maxBytes: 10_000 });
    a('first');
    a.close();
    const b = rotatingFileSink({ dir: d, name: 'main', maxBytes: 10_000 });
    b('second');
    b.close();
    expect(fs.readFileSync(path.join(d, 'main.log'), 'utf8')).toBe('first\nsecond\n');
  });

  it('writes structured JSON lines with secrets redacted', () => {
    const userData = dir();
    const log = createFileLogger({ dir: logsDir(userData), name: 'engine', level: 'debug' });
    log.info('connecting', {
      url: 'postgres://app:hunter2@db:5432/x',
      token: 'dapiabcdef0123456789',
      authorization: 'Bearer eyJabc.def',
      endpoint: 'http://minio:9000',
    });
    log.error('engine crashed: uncaught exception', { error: 'Error: boom\n    at x' });
    log.close();
    const text = fs.readFileSync(path.join(userData, 'logs', 'engine.log'), 'utf8');
    for (const secret of ['hunter2', 'dapiabcdef0123456789', 'eyJabc.def']) expect(text).not.toContain(secret);
    const entries = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({
      level: 'info',
      scope: 'engine',
      msg: 'connecting',
      endpoint: 'http://minio:9000',
      url: 'postgres://app:[redacted]@db:5432/x',
    });
    expect(entries[1]).toMatchObject({ level: 'error', msg: 'engine crashed: uncaught exception' });
    expect(Date.parse(String(entries[0]!.t))).not.toBeNaN();
  });
});
