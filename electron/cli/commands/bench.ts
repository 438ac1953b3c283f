import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { StudioError } from '../../../shared/errors';
import { withEngine } from '../context';
import { commaList, wholeNumber } from '../options';
import { packageRoot } from '../paths';
import type { BenchInput } from '../../../tools/bench/data';
import { SECTION_NAMES, type SectionName } from '../../../tools/bench/types';

const DEFAULT_ROWS = 1_000_000;
const FULL_ROWS = 3_300_000;

/**
 * The harness is TypeScript in `tools/bench/` of a checkout: it is loaded at run time (through tsx
 * when this CLI runs compiled), never bundled, so the built CLI and the packaged app do not carry it.
 */
async function loadHarness() {
  const dir = path.join(packageRoot(), 'tools', 'bench');
  if (!fs.existsSync(path.join(dir, 'run.ts')))
    throw new StudioError('FILE_NOT_FOUND', '`sparkpolar bench` runs from a checkout of the repository (tools/bench/ is not installed).');
  if (!import.meta.url.endsWith('.ts')) (await import('tsx/esm/api')).register();
  const load = (name: string) => import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
  const [data, report, run, write] = await Promise.all([load('data'), load('report'), load('run'), load('write')]);
  return {
    ...(data as typeof import('../../../tools/bench/data')),
    ...(report as typeof import('../../../tools/bench/report')),
    ...(run as typeof import('../../../tools/bench/run')),
    ...(write as typeof import('../../../tools/bench/write')),
  };
}

function sectionList(value: string): SectionName[] {
  const names = commaList(value);
  const unknown = names.filter((n) => !(SECTION_NAMES as readonly string[]).includes(n));
  if (unknown.length || !names.length) throw new InvalidArgumentError(`a comma-separated list of ${SECTION_NAMES.join(', ')}`);
  return names as SectionName[];
}

interface BenchCliOptions {
  rows?: number;
  full?: boolean;
  only?: SectionName[];
  out?: string;
  smoke?: boolean;
  repetitions: number;
  csv?: string;
  seed?: number;
  cache?: string;
  regenerate?: boolean;
  keepDataset?: boolean;
  pages?: number;
  pandasRows: number;
  psql: string;
  python?: string;
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('measure the product against psql, pandas and DuckDB on the same generated file, side by side (see docs/benchmarks.md)')
    .option('--rows <n>', `rows of generated data (default ${DEFAULT_ROWS.toLocaleString('en-US')})`, wholeNumber('--rows', 1))
    .option('--full', `the reference workload: ${FULL_ROWS.toLocaleString('en-US')} rows`)
    .option('--only <sections>', `run only these sections (${SECTION_NAMES.join(',')})`, sectionList)
    .option('--out <file>', 'where to write the JSON results (default bench-results/bench-<date>.json)')
    .option('--smoke', 'one repetition of everything, no warm-up: checks the harness runs, numbers mean nothing')
    .option('--repetitions <n>', 'timed repetitions after the warm-up', wholeNumber('--repetitions', 1), 3)
    .option('--csv <file>', 'benchmark this CSV instead of generated data (the analyze section needs the crash columns)')
    .option('--seed <n>', "generator seed (default: the generator's fixed seed)", wholeNumber('--seed', 0))
    .option('--cache <dir>', 'folder of generated input files (default <data folder>/bench/data)')
    .option('--regenerate', 'generate the input again even if it is cached')
    .option('--keep-dataset', 'keep the imported benchmark dataset afterwards')
    .option('--pages <n>', 'random pages per browse view (default 50; smoke 3)', wholeNumber('--pages', 1))
    .option(
      '--pandas-rows <n>',
      'rows pandas loads (its throughput is compared; 0 = the whole file)',
      wholeNumber('--pandas-rows', 0),
      50_000,
    )
    .option('--psql <path>', 'psql executable', process.env.PSQL ?? 'psql')
    .option('--python <path>', 'Python with pandas, SQLAlchemy and psycopg2 (default: python3, then /usr/bin/python3)')
    .action(async (options: BenchCliOptions, command: Command) => {
      const { generatedInput, givenInput, runBenchmark, writeReport, defaultReportPath, renderReport } = await loadHarness();
      const cliScript = path.join(packageRoot(), 'bin', 'sparkpolar.js');
      await withEngine(command, async ({ engine, client, json, emitJson, say, signal }) => {
        const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
        const rows = options.rows ?? (options.full ? FULL_ROWS : DEFAULT_ROWS);
        const smoke = Boolean(options.smoke);
        let input: BenchInput;
        if (options.csv) input = await givenInput(options.csv);
        else {
          const cache = options.cache ?? path.join(engine.ctx.home, 'bench', 'data');
          input = await generatedInput(cache, rows, { seed: options.seed, regenerate: options.regenerate, log, signal });
        }
        log(
          `input ${input.file}: ${input.rows.toLocaleString('en-US')} rows, ${(input.bytes / 1024 / 1024).toFixed(1)} MB${input.generated ? ' (generated now)' : ''}`,
        );
        const report = await runBenchmark(client, engine, {
          sections: options.only ?? [...SECTION_NAMES],
          input,
          command: `sparkpolar ${process.argv.slice(2).join(' ')}`,
          smoke,
          protocol: smoke ? { warmup: 0, repetitions: 1 } : { warmup: 1, repetitions: options.repetitions },
          browsePages: options.pages ?? (smoke ? 3 : 50),
          pandasRowCap: options.pandasRows,
          psql: options.psql,
          pythonCandidates: options.python ? [options.python] : ['python3', '/usr/bin/python3'],
          cliScript: fs.existsSync(cliScript) ? cliScript : null,
          keepDataset: options.keepDataset,
          log,
          signal,
        });
        const out = writeReport(report, options.out ?? defaultReportPath(process.cwd(), new Date(report.startedAt)));
        if (json) emitJson(report);
        else {
          say(renderReport(report));
          say(`\nResults: ${out}`);
        }
        log(`results written to ${out}`);
      });
    });
}
