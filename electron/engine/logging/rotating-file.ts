/**
 * A log sink that appends lines to `<dir>/<name>.log` and rotates by size: when the next line
 * would pass `maxBytes`, `name.log` becomes `name.1.log`, `name.1.log` becomes `name.2.log`, …,
 * and only `keep` old files are kept. Writes are synchronous so the last line before a crash
 * (the one that says why) is on disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface RotatingFileOptions {
  dir: string;
  name: string;
  /** Size at which the current file is rotated. */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one. */
  keep?: number;
}

export interface RotatingFileSink {
  (line: string): void;
  readonly file: string;
  close(): void;
}

export function rotatedName(dir: string, name: string, index: number): string {
  return path.join(dir, index === 0 ? `${name}.log` : `${name}.${index}.log`);
}

export function rotatingFileSink(options: RotatingFileOptions): RotatingFileSink {
  const { dir, name } = options;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = Math.max(0, options.keep ?? 5);
  const file = rotatedName(dir, name, 0);
  fs.mkdirSync(dir, { recursive: true });
  let fd: number | null = null;
  let size = 0;

  const open = () => {
    fd = fs.openSync(file, 'a', 0o600);
    size = fs.fstatSync(fd).size;
  };

  const rotate = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
    fs.rmSync(rotatedName(dir, name, keep), { force: true });
    for (let i = keep - 1; i >= 0; i--) {
      const from = rotatedName(dir, name, i);
      if (fs.existsSync(from)) {
        if (keep === 0) fs.rmSync(from, { force: true });
        else fs.renameSync(from, rotatedName(dir, name, i + 1));
      }
    }
    if (keep === 0) fs.rmSync(file, { force: true });
  };

  const sink = ((line: string) => {
    const bytes = Buffer.from(line.endsWith('\n') ? line : line + '\n');
    try {
      if (fd === null) open();
      if (size > 0 && size + bytes.length > maxBytes) {
        rotate();
        open();
      }
      fs.writeSync(fd!, bytes);
      size += bytes.length;
    } catch {
      // Logging must never take the app down (disk full, folder removed): drop the line.
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    }
  }) as RotatingFileSink;
  Object.defineProperty(sink, 'file', { value: file });
  sink.close = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };
  return sink;
}
