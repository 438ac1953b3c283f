import type { Command } from 'commander';
import { withEngine } from '../context';

export function registerDatasets(program: Command): void {
  program
    .command('datasets')
    .description('list the imported datasets (current version of each)')
    .action(async (_options, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson }) => {
        const list = await client.call('dataset/list', {});
        if (json) return emitJson(list);
        if (!list.length) return say('No datasets yet. Import one with `sparkpolar import <file.csv>`.');
        const rows = list.map((d) => [
          d.dataset,
          `v${d.version}/${d.versions}`,
          d.rows.toLocaleString('en-US'),
          String(d.columns.length),
          d.rejected.toLocaleString('en-US'),
          d.importedAt.slice(0, 19).replace('T', ' '),
          `data.${d.table}`,
        ]);
        const head = ['DATASET', 'VERSION', 'ROWS', 'COLUMNS', 'REJECTED', 'IMPORTED (UTC)', 'TABLE'];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        const line = (cells: string[]) =>
          cells
            .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
            .join('  ')
            .trimEnd();
        say(line(head));
        for (const r of rows) say(line(r));
      });
    });
}
