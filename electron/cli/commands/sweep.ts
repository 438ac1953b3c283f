import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { SweepRecord } from '../../../shared/contract/sweep';
import { withEngine } from '../context';
import { commaList, wholeNumber } from '../options';

function list(label: string, pattern: RegExp, hint: string) {
  return (value: string): string[] => {
    const items = commaList(value);
    const bad = items.find((s) => !pattern.test(s));
    if (!items.length || bad !== undefined) throw new InvalidArgumentError(`${label}: ${hint}${bad ? ` (got "${bad}")` : ''}`);
    return items;
  };
}

/** The one JSON document `sweep --json` prints (issue #18's shape). */
export function sweepDocument(sweep: SweepRecord) {
  const { polars, spark } = sweep.fit;
  return {
    dataset: sweep.dataset,
    machine: sweep.machine,
    points: sweep.points.map((p) => ({
      engine: p.engine,
      rows: p.rows,
      loadMs: p.loadMs,
      computeMs: p.computeMs,
      ...(p.peakRssBytes !== undefined ? { peakRssBytes: p.peakRssBytes } : {}),
      ...(p.phases ? { phases: p.phases } : {}),
    })),
    fit: {
      polars: { msPerMillionRows: polars?.msPerMillionRows ?? null, bytesPerRow: sweep.memory?.bytesPerRow ?? null },
      ...(spark ? { spark: { msPerMillionRows: spark.msPerMillionRows } } : {}),
    },
    crossoverRows: sweep.crossoverRows,
    polarsMemoryLimitRows: sweep.polarsMemoryLimitRows,
  };
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const n = (v: number) => Math.round(v).toLocaleString('en-US');

export function registerSweep(program: Command): void {
  program
    .command('sweep <dataset>')
    .description(
      'run the analyses at several sizes on Polars (and Spark when configured): time and memory against rows, the crossover, the memory limit',
    )
    .option(
      '--sizes <list>',
      'samples of the dataset, e.g. 10%,30%,100%',
      list('--sizes', /^\d{1,3}(\.\d+)?%$/, 'percentages such as 10%,30%,100%'),
    )
    .option(
      '--grow <list>',
      'larger datasets of the same columns from the calibrated generator, e.g. 2x,4x',
      list('--grow', /^\d{1,3}(\.\d+)?x$/, 'factors such as 2x,4x'),
    )
    .option(
      '--engines <list>',
      'polars, spark or both (default: polars, and spark when a workspace is configured)',
      list('--engines', /^(polars|spark)$/, 'polars and/or spark'),
    )
    .option('--analyses <ids>', 'comma-separated catalog ids (default: every applicable analysis)')
    .option('--repeat <n>', 'repetitions per point (the spread)', wholeNumber('--repeat', 1), 3)
    .option('--seed <n>', 'sample seed: the same seed gives the same rows', wholeNumber('--seed', 1))
    .option('--dataset-version <n>', 'dataset version (default: the current one)', wholeNumber('--dataset-version', 1))
    .option('--compute <kind>', 'Spark compute: serverless, cluster:<id> or local')
    .action(async (dataset: string, options: Record<string, unknown>, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        const sizes = [
          ...((options.sizes as string[] | undefined) ?? ['10%', '30%', '100%']),
          ...((options.grow as string[] | undefined) ?? []),
        ];
        const sweep = await client.run(
          'sweep/run',
          {
            dataset,
            sizes,
            repeat: options.repeat as number,
            ...(options.engines ? { engines: options.engines as Array<'polars' | 'spark'> } : {}),
            ...(options.analyses
              ? {
                  analyses: commaList(String(options.analyses)),
                }
              : {}),
            ...(options.seed ? { seed: options.seed as number } : {}),
            ...(options.datasetVersion ? { version: options.datasetVersion as number } : {}),
            ...(options.compute ? { compute: String(options.compute) } : {}),
          },
          {
            signal,
            onProgress: (p) => {
              if (!json && p.message && !p.message.includes(': repetition')) process.stderr.write(`  ${p.message}\n`);
            },
          },
        );
        if (json) return emitJson(sweepDocument(sweep));
        say(
          `Sweep of ${sweep.dataset} v${sweep.version} on ${sweep.machine.cores} cores, ${(sweep.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
        );
        for (const p of sweep.points)
          say(
            `  ${p.engine.padEnd(6)} ${p.size.padStart(5)} ${n(p.rows).padStart(12)} rows  load ${ms(p.loadMs).padStart(8)}  compute ${ms(p.computeMs).padStart(8)}` +
              (p.peakRssBytes !== undefined ? `  peak ${(p.peakRssBytes / 2 ** 20).toFixed(0)} MiB` : '') +
              (p.emulated ? '  (emulated)' : ''),
          );
        const fit = sweep.fit.polars;
        if (fit)
          say(
            `  Polars: time ∝ rows^${fit.slope.toFixed(2)}, ${ms(fit.msPerMillionRows)} per million rows${fit.stderrLog10 !== null ? ` (±${Math.round((10 ** fit.stderrLog10 - 1) * 100)} %)` : ''}`,
          );
        if (sweep.fit.spark)
          say(`  Spark:  time ∝ rows^${sweep.fit.spark.slope.toFixed(2)}, ${ms(sweep.fit.spark.msPerMillionRows)} per million rows`);
        say(`  Crossover: ${sweep.crossoverRows === null ? 'none' : `${n(sweep.crossoverRows)} rows`}. ${sweep.crossoverNote}`);
        if (sweep.polarsMemoryLimitRows !== null)
          say(`  Memory: ${sweep.memory!.bytesPerRow.toFixed(0)} bytes per row; beyond ${n(sweep.polarsMemoryLimitRows)} rows, use Spark.`);
        if (sweep.sparkNote) say(`  ${sweep.sparkNote}`);
      });
    });
}
