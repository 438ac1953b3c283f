import type { Command } from 'commander';
import { formatByteSize } from '../../../shared/format';
import { withEngine } from '../context';
import { progressPrinter } from '../progress';

/** Exit status when storage was unreachable and the publish waits in the queue. */
export const EXIT_QUEUED = 3;

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('publish an analysis run (results, charts, report, manifest) to object storage (MinIO/S3)')
    .argument('<dataset>', 'dataset name')
    .option('--run <id>', 'run id (default: the latest run of the dataset)')
    .option('--include-dataset', 'also publish the dataset version as Parquet')
    .addHelpText(
      'after',
      '\nStorage comes from Settings or MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_BUCKET.\n' +
        `When storage is unreachable the publish is queued (exit status ${EXIT_QUEUED}); the app retries it, or run the same command again.`,
    )
    .action(async (dataset: string, options: { run?: string; includeDataset?: boolean }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        const progress = progressPrinter(json);
        const result = await client
          .run(
            'storage/publish',
            { dataset, runId: options.run, includeDataset: Boolean(options.includeDataset) },
            {
              signal,
              onProgress: progress.onProgress,
            },
          )
          .finally(progress.done);
        if (result.status === 'queued') process.exitCode = EXIT_QUEUED;
        if (json) return emitJson(result);
        if (result.status === 'queued') {
          process.stderr.write(
            `sparkpolar: ${result.error?.message ?? 'storage unreachable'} The publish of run ${result.runId} is queued (entry ${result.queueId}).\n`,
          );
          return;
        }
        say(`Published run ${result.runId} of "${result.dataset}" version ${result.version} to ${result.bucket}/${result.prefix}`);
        say(
          `  Objects    ${result.objects} (${formatByteSize(result.bytes, 'en')}): ${result.uploaded} uploaded, ${result.skipped} already there`,
        );
        say(`  Manifest   ${result.bucket}/${result.manifestKey}`);
        say(`  Took       ${(result.durationMs / 1000).toFixed(1)} s`);
      });
    });
}
