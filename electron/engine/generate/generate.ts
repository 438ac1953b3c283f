/**
 * `generateCrashCsv`: writes synthetic NY crash-vehicle rows with the real 19-column header, UTF-8
 * with BOM and CRLF like the published files. The file appears under its name only when complete
 * (written to a temporary name, renamed at the end); a cancelled or failed run leaves nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import { csvField } from '../../../shared/csv';
import { buildCrashModel, CRASH_HEADER, type CrashModel } from './model';
import { CrashRowWriter, MAX_ROW_BYTES } from './rows';

import { DEFAULT_SEED } from './seed';

export { DEFAULT_SEED };
const CHUNK_ROWS = 16_384;

export interface GenerateOptions {
  rows: number;
  seed?: number;
  out: string;
}

export interface GenerateProgress {
  rows: number;
  totalRows: number;
  bytes: number;
}

export interface GenerateResult {
  path: string;
  rows: number;
  bytes: number;
  seed: number;
  duplicateRows: number;
  columns: string[];
  seconds: number;
}

let cachedModel: CrashModel | null = null;

/** The header line as the real files have it: BOM, names, CRLF. */
export function crashHeaderBytes(): Buffer {
  return Buffer.from('\uFEFF' + CRASH_HEADER.map(csvField).join(',') + '\r\n', 'utf8');
}

export async function generateCrashCsv(
  options: GenerateOptions,
  onProgress?: (progress: GenerateProgress) => void,
  signal?: AbortSignal,
): Promise<GenerateResult> {
  const started = performance.now();
  const totalRows = options.rows;
  if (!Number.isInteger(totalRows) || totalRows < 0)
    throw new StudioError('INVALID_REQUEST', `rows must be a whole number ≥ 0 (got ${totalRows}).`);
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const out = path.resolve(options.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(4).toString('hex')}.partial`);

  cachedModel ??= buildCrashModel();
  const writer = new CrashRowWriter(cachedModel, seed, totalRows);
  const file = await fs.promises.open(temp, 'w');
  let bytes = 0;
  try {
    const header = crashHeaderBytes();
    await file.write(header);
    bytes += header.length;
    // Two buffers: one is filled while the other is being written.
    const buffers = [Buffer.allocUnsafe(CHUNK_ROWS * MAX_ROW_BYTES), Buffer.allocUnsafe(CHUNK_ROWS * MAX_ROW_BYTES)];
    let pending: Promise<unknown> = Promise.resolve();
    let done = 0;
    for (let turn = 0; done < totalRows; turn++) {
      throwIfCancelled(signal, 'Generation cancelled.');
      const count = Math.min(CHUNK_ROWS, totalRows - done);
      const buffer = buffers[turn % 2]!;
      const length = writer.fill(buffer, count);
      await pending;
      pending = file.write(buffer, 0, length);
      bytes += length;
      done += count;
      onProgress?.({ rows: done, totalRows, bytes });
    }
    await pending;
    await file.close();
    throwIfCancelled(signal, 'Generation cancelled.');
    fs.renameSync(temp, out);
  } catch (err) {
    await file.close().catch(() => undefined);
    fs.rmSync(temp, { force: true });
    throw err;
  }
  return {
    path: out,
    rows: totalRows,
    bytes,
    seed,
    duplicateRows: writer.stats.duplicateRows,
    columns: [...CRASH_HEADER],
    seconds: (performance.now() - started) / 1000,
  };
}
