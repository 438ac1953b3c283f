import type { Command } from 'commander';
import { withEngine } from '../context';

function size(bytes: number): string {
  return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list analysis runs: local ones, or with --remote those published to object storage')
    .argument('[dataset]', 'only this dataset')
    .option('--remote', 'runs in the object storage bucket (incomplete ones flagged)')
    .option('--queue', 'publishes waiting for storage to come back')
    .action(async (dataset: string | undefined, options: { remote?: boolean; queue?: boolean }, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        if (options.queue) {
          const items = (await client.call('storage/queue', {})).filter((q) => !dataset || q.dataset === dataset);
          if (json) return emitJson(items);
          if (!items.length) return say('Nothing waiting in the publish queue.');
          for (const q of items) {
            const next = q.state === 'queued' && q.nextAttemptAt ? `, next try ${q.nextAttemptAt}` : '';
            say(
              `#${q.id}  ${q.dataset}  run ${q.runId}  ${q.state}, ${q.attempts} attempt(s)${next}${q.lastError ? `: ${q.lastError.message}` : ''}`,
            );
          }
          return;
        }
        if (options.remote) {
          const runs = await client.call('storage/runs', dataset ? { dataset } : {});
          if (json) return emitJson(runs);
          if (!runs.length) return say(dataset ? `No published run of "${dataset}".` : 'No published run.');
          for (const r of runs) {
            const state = r.complete
              ? 'complete'
              : r.manifestError
                ? `unreadable manifest (${r.manifestError})`
                : 'INCOMPLETE (no manifest; delete it from the Runs panel)';
            say(`${r.dataset}  v${r.version}  ${r.runId}  ${r.publishedAt ?? ''}  ${r.objects} objects, ${size(r.bytes)}  ${state}`);
          }
          return;
        }
        const runs = await client.call('analysis/runs', dataset ? { dataset } : {});
        if (json) return emitJson(runs);
        if (!runs.length) return say(dataset ? `No analysis run of "${dataset}".` : 'No analysis run.');
        for (const r of runs)
          say(
            `${r.dataset}  v${r.version}  ${r.runId}  ${r.startedAt}  ${r.analyses} analyses${r.failed ? `, ${r.failed} failed` : ''}, ${(r.totalMs / 1000).toFixed(1)} s`,
          );
      });
    });
}
