import path from 'node:path';
import { Option, type Command } from 'commander';
import { formatByteSize } from '../../../shared/format';
import { withEngine } from '../context';
import { progressPrinter } from '../progress';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import a CSV file into PostgreSQL as a new version of a dataset')
    .argument('<file>', 'CSV file (any of , ; tab | separators; UTF-8, UTF-16 or Windows-1252)')
    .option('--name <name>', 'dataset name (default: the file name without extension)')
    .addOption(
      new Option('--on-error <policy>', 'bad rows: skip them into the rejects file, or abort at the first')
        .choices(['skip', 'abort'])
        .default('skip'),
    )
    .addOption(
      new Option('--on-type-mismatch <policy>', 'a value breaking an inferred type: widen the column, or treat the row as bad')
        .choices(['widen', 'reject'])
        .default('widen'),
    )
    .action(
      async (file: string, options: { name?: string; onError: 'skip' | 'abort'; onTypeMismatch: 'widen' | 'reject' }, command: Command) => {
        await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
          const progress = progressPrinter(json);
          const result = await client
            .run(
              'dataset/import',
              // No analysis run follows in this process: the frame would only cost memory.
              {
                path: path.resolve(file),
                name: options.name,
                onError: options.onError,
                typeMismatch: options.onTypeMismatch,
                analysisFrame: false,
              },
              {
                signal,
                onProgress: progress.onProgress,
              },
            )
            .finally(progress.done);
          if (json) {
            return emitJson({
              dataset: result.dataset,
              version: result.version,
              table: result.table,
              rows: result.rows,
              rejected: result.rejected,
              rejectsFile: result.rejectsFile,
              columns: result.columns,
              seconds: Number(result.seconds.toFixed(3)),
              widened: result.widened,
              blankLines: result.blankLines,
              encoding: result.encoding,
              delimiter: result.delimiter,
              lineEnding: result.lineEnding,
              bytes: result.bytes,
              sha256: result.sha256,
            });
          }
          say(
            `Imported ${result.rows.toLocaleString('en-US')} rows into "${result.dataset}" version ${result.version} (table data.${result.table}) in ${result.seconds.toFixed(1)} s.`,
          );
          say(
            `  File       ${formatByteSize(result.bytes, 'en')}, ${result.encoding}, delimiter ${JSON.stringify(result.delimiter)}, ${result.lineEnding} line ends`,
          );
          say(`  Columns    ${result.columns.length}: ${result.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`);
          for (const w of result.widened)
            say(`  Widened    "${w.identifier}" ${w.from} → ${w.to} at line ${w.line} (value ${JSON.stringify(w.value)})`);
          if (result.blankLines) say(`  Skipped    ${result.blankLines} blank line(s)`);
          say(
            result.rejected
              ? `  Rejected   ${result.rejected.toLocaleString('en-US')} row(s), listed in ${result.rejectsFile}`
              : '  Rejected   none',
          );
        });
      },
    );
}
