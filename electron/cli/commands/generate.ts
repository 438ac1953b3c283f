import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_SEED } from '../../engine/generate/seed';
import { globalOptions } from '../context';

export function wholeNumber(label: string, min = 0) {
  return (value: string): number => {
    const n = Number(value.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${label}: a whole number ≥ ${min}`);
    return n;
  };
}

export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A one-line progress indicator on stderr, only on a terminal. */
export function progressLine(enabled: boolean) {
  let last = 0;
  return {
    update(text: string) {
      if (!enabled || !process.stderr.isTTY) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      process.stderr.write(`\r${text}\u001b[K`);
    },
    clear() {
      if (enabled && process.stderr.isTTY) process.stderr.write('\r\u001b[K');
    },
  };
}

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
      const line = progressLine(!json);
      try {
        const { generateCrashCsv } = await import('../../engine/generate');
        const result = await generateCrashCsv(
          { rows: options.rows, seed: options.seed, out: options.out },
          (p) => line.update(`generating ${p.rows.toLocaleString('en-US')} / ${p.totalRows.toLocaleString('en-US')} rows (${mb(p.bytes)})`),
          controller.signal,
        );
        line.clear();
        const rowsPerSecond = Math.round(result.rows / Math.max(result.seconds, 1e-6));
        if (json) {
          process.stdout.write(JSON.stringify({ ...result, rowsPerSecond }, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          `wrote ${result.rows.toLocaleString('en-US')} rows (${mb(result.bytes)}, seed ${result.seed}) to ${result.path} ` +
            `in ${result.seconds.toFixed(2)} s (${rowsPerSecond.toLocaleString('en-US')} rows/s)\n`,
        );
      } finally {
        line.clear();
        process.off('SIGINT', onSigint);
      }
    });
}
