/** Writes the result document (JSON), creating its folder. */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchReport } from './types';

/** `bench-results/bench-2026-01-31T14-05-09.json` under `dir`, for a run started at `date`. */
export function defaultReportPath(dir: string, date: Date): string {
  const stamp = date
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  return path.join(dir, 'bench-results', `bench-${stamp}.json`);
}

export function writeReport(report: BenchReport, file: string): string {
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const temp = `${abs}.partial`;
  fs.writeFileSync(temp, JSON.stringify(report, null, 2) + '\n');
  fs.renameSync(temp, abs);
  return abs;
}
