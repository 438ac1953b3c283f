import type { Command } from 'commander';
import { formatByteSize } from '../../../shared/format';
import { CLUSTERS_ROOT, orphanClusters, removeClusters, type OrphanCluster } from '../../engine/db/clusters';
import { globalOptions } from '../context';

/** One line per orphan cluster, for doctor and prune-clusters. */
export function describeOrphan(o: OrphanCluster): string {
  return `${o.dir}  ${formatByteSize(o.bytes, 'en')}  ${o.reason}${o.home ? ` (${o.home})` : ''}`;
}

export function registerPruneClusters(program: Command): void {
  program
    .command('prune-clusters')
    .description(`remove embedded PostgreSQL clusters whose data folder was deleted (as root they live in ${CLUSTERS_ROOT})`)
    .option('--include-unknown', 'also remove clusters that do not record their data folder (made by older versions)')
    .option('--dry-run', 'only list what would be removed')
    .action((options: { includeUnknown?: boolean; dryRun?: boolean }, command: Command) => {
      const json = Boolean(globalOptions(command).json);
      const orphans = orphanClusters();
      const chosen = orphans.filter((o) => o.reason === 'data folder gone' || options.includeUnknown);
      const kept = orphans.filter((o) => !chosen.includes(o));
      const removed = options.dryRun ? [] : removeClusters(chosen);
      if (json) {
        process.stdout.write(JSON.stringify({ removed, wouldRemove: options.dryRun ? chosen.map((o) => o.dir) : [], kept }) + '\n');
        return;
      }
      if (!orphans.length) return void process.stdout.write('No orphan clusters.\n');
      for (const o of chosen)
        process.stdout.write(
          `${options.dryRun ? 'would remove' : removed.includes(o.dir) ? 'removed' : 'kept (in use again)'}  ${describeOrphan(o)}\n`,
        );
      for (const o of kept) process.stdout.write(`kept  ${describeOrphan(o)}  (add --include-unknown to remove)\n`);
    });
}
