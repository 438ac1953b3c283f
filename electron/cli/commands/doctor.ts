import type { Command } from 'commander';
import { orphanClusters } from '../../engine/db/clusters';
import { withEngine } from '../context';
import { describeOrphan } from './prune-clusters';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('say what is running and what is configured')
    .action(async (_options, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        const info = await client.call('system/info', {});
        // Clusters left behind by deleted data folders (as root, outside them): not the engine's business, the machine's.
        const orphans = orphanClusters();
        if (json) return emitJson({ ...info, orphanClusters: orphans });
        const db = info.database;
        say(`${info.app.name} ${info.app.version}`);
        say(`  Node.js       ${info.node}`);
        say(`  Electron      ${info.electron.declared} (declared)`);
        say(`  Polars        ${info.polars}`);
        say(`  Data folder   ${info.home}`);
        say(`  PostgreSQL    ${db.serverVersion ? `${db.version} ${db.mode} at ${db.location}` : `not reachable (${db.error})`}`);
        say(`  Object store  ${info.storage.configured ? `${info.storage.endpoint} bucket ${info.storage.bucket}` : 'not configured'}`);
        for (const note of info.storage.missing ?? []) say(`                ${note}`);
        say(
          `  Databricks    ${info.databricks.configured ? `${info.databricks.host} (${info.databricks.auth}, from ${info.databricks.source})` : 'not configured'}`,
        );
        if (info.databricks.problem) say(`                ${info.databricks.problem}`);
        if (orphans.length) {
          say(`  Orphan clusters ${orphans.length}, remove with \`sparkpolar prune-clusters\`:`);
          for (const o of orphans) say(`    ${describeOrphan(o)}`);
        }
        if (!db.serverVersion) process.exitCode = 1;
      });
    });
}
