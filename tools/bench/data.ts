/**
 * The benchmark's input: the generator's crash CSV for a row count and a fixed seed, generated
 * once into a cache folder and reused by later runs (the generator writes to a temporary name
 * and renames when complete, so a cached file is always whole).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SEED, generateCrashCsv } from '../../electron/engine/generate';

export const BENCH_SEED = DEFAULT_SEED;

export interface BenchInput {
  file: string;
  rows: number;
  bytes: number;
  seed: number | null;
  generated: boolean;
}

export function cachedCsvPath(cacheDir: string, rows: number, seed: number): string {
  return path.join(cacheDir, `crash-${rows}-rows-seed-${seed}.csv`);
}

/** The cached generated file for `rows`, generating it first when absent (or when `regenerate`). */
export async function generatedInput(
  cacheDir: string,
  rows: number,
  options: { seed?: number; regenerate?: boolean; log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<BenchInput> {
  const seed = options.seed ?? BENCH_SEED;
  const file = cachedCsvPath(cacheDir, rows, seed);
  let generated = false;
  if (options.regenerate || !fs.existsSync(file)) {
    options.log?.(`generating ${rows.toLocaleString('en-US')} rows (seed ${seed}) into ${file}`);
    let last = 0;
    await generateCrashCsv(
      { rows, seed, out: file },
      (p) => {
        const now = Date.now();
        if (now - last > 5000) {
          last = now;
          options.log?.(`  generated ${p.rows.toLocaleString('en-US')} / ${p.totalRows.toLocaleString('en-US')} rows`);
        }
      },
      options.signal,
    );
    generated = true;
  }
  return { file, rows, bytes: fs.statSync(file).size, seed, generated };
}

/** A CSV the user gave: its data rows are counted (lines after the header, quoted newlines aside). */
export async function givenInput(file: string, rows?: number): Promise<BenchInput> {
  const abs = path.resolve(file);
  const bytes = fs.statSync(abs).size;
  return { file: abs, rows: rows ?? (await countCsvRows(abs)), bytes, seed: null, generated: false };
}

/** Counts records of a CSV with a header: newlines outside double quotes, plus a last line without one. */
export async function countCsvRows(file: string): Promise<number> {
  let records = 0;
  let quoted = false;
  let lastByte = 0x0a;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) records++;
    }
    lastByte = chunk[chunk.length - 1] ?? lastByte;
  }
  if (lastByte !== 0x0a) records++;
  return Math.max(0, records - 1);
}
