import type { Command } from 'commander';
import { DEFAULT_SEED } from '../../engine/generate/seed';
import { withEngine } from '../context';
import { wholeNumber } from '../options';
import { progressPrinter } from '../progress';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a sample of calibrated NY crash rows into the data folder and import it (the app\'s "Load sample dataset")')
    .option('--rows <n>', 'rows to generate', wholeNumber('--rows', 1), 100_000)
    .option('--seed <n>', 'generator seed', wholeNumber('--seed'), DEFAULT_SEED)
    .option('--name <name>', 'dataset name', 'ny-crash-sample')
    .action(async (options: { rows: number; seed: number; name: string }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        const progress = progressPrinter(json);
        const result = await client
          .run(
            'dataset/sample',
            { rows: options.rows, seed: options.seed, name: options.name },
            {
              signal,
              onProgress: progress.onProgress,
            },
          )
          .finally(progress.done);
        if (json) return emitJson(result);
        say(
          result.generateSeconds
            ? `Generated ${result.rows.toLocaleString('en-US')} rows (seed ${result.seed}, ${(result.bytes / 1e6).toFixed(1)} MB) in ${result.generateSeconds.toFixed(1)} s: ${result.file}`
            : `Reused the sample file ${result.file} (same rows and seed).`,
        );
        say(
          `Imported them as "${result.dataset}" version ${result.version} (table data.${result.table}) in ${result.importSeconds.toFixed(1)} s.`,
        );
        say(`Next: sparkpolar datasets · sparkpolar export ${result.dataset} --format csv --out ${result.dataset}.csv · or open the app.`);
      });
    });
}
