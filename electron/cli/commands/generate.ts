import type { Command } from 'commander';
import { formatByteSize } from '../../../shared/format';
import { DEFAULT_SEED } from '../../engine/generate/seed';
import { globalOptions } from '../context';
import { wholeNumber } from '../options';
import { progressPrinter } from '../progress';

/** The generator reports every chunk of rows; the printer needs a few reports a second. */
const PROGRESS_INTERVAL_MS = 200;

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write synthetic NY crash-vehicle rows (the real 19 columns, calibrated on the real rows) to a CSV file')
    .requiredOption('--rows <n>', 'number of data rows', wholeNumber('--rows'))
    .option('--seed <n>', 'seed: the same seed and row count give the same bytes', wholeNumber('--seed'), DEFAULT_SEED)
    .requiredOption('--out <file>', 'CSV file to write (replaced if it exists)')
    .action(async (options: { rows: number; seed: number; out: string }, command: Command) => {
      const json = Boolean(globalOptions(command).json);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const progress = progressPrinter(json);
      let reported = 0;
      try {
        const { generateCrashCsv } = await import('../../engine/generate');
        const result = await generateCrashCsv(
          { rows: options.rows, seed: options.seed, out: options.out },
          (p) => {
            if (Date.now() - reported < PROGRESS_INTERVAL_MS) return;
            reported = Date.now();
            progress.onProgress({
              phase: 'generate',
              message: `Generating (${formatByteSize(p.bytes, 'en')})`,
              done: p.rows,
              total: p.totalRows,
              unit: 'rows',
            });
          },
          controller.signal,
        );
        progress.done();
        const rowsPerSecond = Math.round(result.rows / Math.max(result.seconds, 1e-6));
        if (json) {
          process.stdout.write(JSON.stringify({ ...result, rowsPerSecond }, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          `wrote ${result.rows.toLocaleString('en-US')} rows (${formatByteSize(result.bytes, 'en')}, seed ${result.seed}) to ${result.path} ` +
            `in ${result.seconds.toFixed(2)} s (${rowsPerSecond.toLocaleString('en-US')} rows/s)\n`,
        );
      } finally {
        progress.done();
        process.off('SIGINT', onSigint);
      }
    });
}
