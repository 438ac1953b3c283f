/**
 * Runs the benchmark sections in order on one input file and assembles the result document.
 * A section that cannot run (a missing product function or peer) is recorded with its reason;
 * only a failure of the harness itself (no database, no input) escapes as an error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StudioClient } from '../../shared/client';
import { StudioError } from '../../shared/errors';
import type { Engine } from '../../electron/engine/engine';
import { deleteDataset, type BenchContext, type BenchOptions } from './context';
import type { BenchInput } from './data';
import { collectVersions, machineInfo } from './machine';
import { unavailable } from './protocol';
import { computeRatios } from './ratios';
import { analyzeSection } from './sections/analyze';
import { browseSection } from './sections/browse';
import { catalogSection } from './sections/catalog';
import { dropSection } from './sections/drop';
import { exportSection } from './sections/export';
import { importSection } from './sections/import';
import { loadSection } from './sections/load';
import { memorySection } from './sections/memory';
import { smallSection } from './sections/small';
import { startupSection } from './sections/startup';
import { uiSection } from './sections/ui';
import { SECTION_NAMES, type BenchReport, type SectionName, type SectionResult } from './types';

export interface RunBenchmarkOptions extends BenchOptions {
  sections: SectionName[];
  input: BenchInput;
  /** The command line, recorded so a run can be repeated. */
  command: string;
  /** Keep the imported benchmark dataset afterwards (default: delete it). */
  keepDataset?: boolean;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

const RUNNERS: Record<SectionName, (ctx: BenchContext) => Promise<SectionResult>> = {
  import: importSection,
  load: loadSection,
  analyze: analyzeSection,
  small: smallSection,
  catalog: catalogSection,
  drop: dropSection,
  ui: uiSection,
  browse: browseSection,
  export: exportSection,
  memory: memorySection,
  startup: startupSection,
};

export async function runBenchmark(client: StudioClient, engine: Engine, options: RunBenchmarkOptions): Promise<BenchReport> {
  const started = new Date();
  const log = options.log ?? (() => undefined);
  // Fails here, with a clear message, when the database is unreachable: then nothing can run.
  await engine.ctx.db.pool();
  const machine = machineInfo();
  const versions = await collectVersions(engine.ctx.db, options.psql, options.pythonCandidates);
  const benchDir = path.join(engine.ctx.home, 'bench');
  fs.mkdirSync(benchDir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(benchDir, 'scratch-'));
  const ctx: BenchContext = {
    client,
    engine,
    file: options.input.file,
    rows: options.input.rows,
    bytes: options.input.bytes,
    options,
    scratch,
    datasetName: `bench-${options.input.rows}-rows`,
    signal: options.signal,
    log,
    state: {},
  };
  const sections: SectionResult[] = [];
  try {
    for (const name of SECTION_NAMES) {
      if (!options.sections.includes(name)) continue;
      log(`[${name}]`);
      const t0 = Date.now();
      let result: SectionResult;
      try {
        result = await RUNNERS[name](ctx);
      } catch (err) {
        if (options.signal?.aborted) throw err;
        const failed = unavailable(`${name}.section`, name, err);
        result = { name, status: 'not available', reason: failed.available ? '' : failed.reason, measurements: [] };
      }
      if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Benchmark cancelled.');
      log(`[${name}] ${result.status} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      sections.push(result);
    }
  } finally {
    if (!options.keepDataset) await deleteDataset(ctx, ctx.datasetName);
    await engine.ctx.db.query('DROP SCHEMA IF EXISTS bench CASCADE').catch(() => undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const finished = new Date();
  return {
    format: 'sparkpolar-bench/1',
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    command: options.command,
    smoke: options.smoke,
    protocol: {
      warmup: options.protocol.warmup,
      repetitions: options.protocol.repetitions,
      browsePages: options.browsePages,
      pandasRowCap: options.pandasRowCap,
    },
    machine,
    versions,
    data: {
      file: options.input.file,
      rows: options.input.rows,
      bytes: options.input.bytes,
      seed: options.input.seed,
      generated: options.input.generated,
    },
    sections,
    ratios: computeRatios(sections.flatMap((s) => s.measurements)),
  };
}
