/**
 * The rejects file: one CSV row per rejected record — the line number where the record starts
 * as an editor shows it (the header is line 1), the reason, and the original text. It is written
 * under a temporary name while the import runs and only kept if the import commits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import type { Catalog } from '../catalog/catalog';

export interface RejectedRow {
  line: number;
  reason: string;
  text: string;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function rejectsDir(home: string): string {
  return path.join(home, 'rejects');
}

export class RejectsWriter {
  count = 0;
  readonly path: string;
  private stream: fs.WriteStream | null = null;
  private buffered: string[] = [];

  constructor(home: string) {
    fs.mkdirSync(rejectsDir(home), { recursive: true });
    this.path = path.join(rejectsDir(home), `.import-${randomBytes(6).toString('hex')}.csv`);
  }

  add(row: RejectedRow): void {
    if (!this.stream) {
      this.stream = fs.createWriteStream(this.path, { encoding: 'utf8' });
      this.buffered.push('line,reason,text\n');
    }
    this.count++;
    this.buffered.push(`${row.line},${csvCell(row.reason)},${csvCell(row.text)}\n`);
  }

  /** Writes what was added, waiting when the disk is slower than the rejects come. */
  async flush(): Promise<void> {
    if (!this.stream || !this.buffered.length) return;
    const text = this.buffered.join('');
    this.buffered = [];
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  private async close(): Promise<void> {
    if (!this.stream) return;
    await this.flush();
    const stream = this.stream;
    this.stream = null;
    stream.end();
    await once(stream, 'finish');
  }

  /** Closes the file and moves it to `finalPath`; returns null when nothing was rejected. */
  async keep(finalPath: string): Promise<string | null> {
    await this.close();
    if (!this.count) return null;
    fs.renameSync(this.path, finalPath);
    return finalPath;
  }

  /** Closes and deletes the file (failed, cancelled or restarted import). */
  async discard(): Promise<void> {
    try {
      await this.close();
    } catch {
      // already broken; removing it is all that matters
    }
    fs.rmSync(this.path, { force: true });
  }
}

/** Reads the first `limit` rows of a rejects file with csv-parse. */
export async function readRejects(file: string, limit: number): Promise<RejectedRow[]> {
  const { parse } = await import('csv-parse');
  const rows: RejectedRow[] = [];
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<{ line: string; reason: string; text: string }>) {
    rows.push({ line: Number(record.line), reason: record.reason, text: record.text });
    if (rows.length >= limit) {
      parser.destroy();
      break;
    }
  }
  return rows;
}

/** The first rejected rows of a dataset version (the current one by default), and how many there are. */
export async function versionRejects(
  catalog: Catalog,
  name: string,
  version: number | undefined,
  limit: number,
): Promise<{ rows: RejectedRow[]; total: number }> {
  const info = await catalog.get(name, version);
  if (!info.rejectsPath || !info.rejected) return { rows: [], total: info.rejected };
  if (!fs.existsSync(info.rejectsPath)) {
    throw new StudioError('NOT_FOUND', `The rejects file of "${name}" version ${info.version} is gone: ${info.rejectsPath}`, {
      path: info.rejectsPath,
    });
  }
  return { rows: await readRejects(info.rejectsPath, limit), total: info.rejected };
}
