import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ColumnFilter } from '../../../shared/contract/dataset';
import { DATASET_EXPORT_FORMATS, RESULT_EXPORT_FORMATS, type ExportResult } from '../../../shared/contract/export';
import { StudioError } from '../../../shared/errors';
import { LANGS, type Lang } from '../../../shared/i18n/types';
import type { DatasetColumn } from '../../../shared/types';
import { withEngine } from '../context';
import { progressPrinter } from '../progress';

interface ExportOptions {
  format: string;
  out: string;
  run?: string;
  version?: number;
  sort: string[];
  filter: string[];
  columns?: string;
  bom: boolean;
  raw?: boolean;
  lang: Lang;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A column by display name or identifier (case-insensitive as a last resort). */
export function resolveColumn(columns: DatasetColumn[], name: string): string {
  const n = name.trim();
  const found =
    columns.find((c) => c.name === n) ??
    columns.find((c) => c.identifier === n) ??
    columns.find((c) => c.name.toLowerCase() === n.toLowerCase());
  if (!found) throw new StudioError('INVALID_REQUEST', `No column "${n}". Columns: ${columns.map((c) => c.name).join(', ')}.`);
  return found.identifier;
}

/** `--sort "Vehicle Year:desc"` */
export function parseSort(columns: DatasetColumn[], spec: string): { column: string; direction: 'asc' | 'desc' } {
  const m = /^(.*?)(?::(asc|desc))?$/i.exec(spec.trim())!;
  return { column: resolveColumn(columns, m[1]!), direction: (m[2]?.toLowerCase() ?? 'asc') as 'asc' | 'desc' };
}

/**
 * `--filter` forms: `COL=VALUE`, `COL~TEXT` (contains), `COL in A|B|C`, `COL>=N`, `COL<=N`,
 * `COL is null`, `COL not null`.
 */
export function parseFilter(columns: DatasetColumn[], spec: string): ColumnFilter {
  const s = spec.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(.+?)\s+is\s+null$/i.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'isNull' };
  if ((m = /^(.+?)\s+not\s+null$/i.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'notNull' };
  if ((m = /^(.+?)\s*>=\s*(.+)$/.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'range', min: Number(m[2]), max: null };
  if ((m = /^(.+?)\s*<=\s*(.+)$/.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'range', min: null, max: Number(m[2]) };
  if ((m = /^(.+?)\s*~\s*(.*)$/.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'contains', value: m[2]! };
  if ((m = /^(.+?)\s+in\s+(.+)$/i.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'oneOf', values: m[2]!.split('|') };
  if ((m = /^(.+?)\s*=\s*(.*)$/.exec(s))) return { column: resolveColumn(columns, m[1]!), op: 'equals', value: m[2]! };
  throw new InvalidArgumentError(
    `--filter "${spec}": use COL=VALUE, COL~TEXT, "COL in A|B", COL>=N, COL<=N, "COL is null" or "COL not null"`,
  );
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a dataset (or a filtered, sorted view of it), or the results of an analysis run, to files')
    .argument('<dataset>', 'dataset name')
    .addOption(
      new Option('--format <format>', 'file format')
        .choices([...new Set([...DATASET_EXPORT_FORMATS, ...RESULT_EXPORT_FORMATS, 'html'])])
        .makeOptionMandatory(),
    )
    .requiredOption('--out <path>', 'file to write (a folder for per-analysis csv/json/parquet results)')
    .option('--run <runId>', 'export this analysis run instead of the rows (csv|json|parquet|xlsx|html)')
    .option('--version <n>', 'dataset version (default: current)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a version number ≥ 1');
      return n;
    })
    .option('--sort <col[:desc]>', 'sort by a column (repeatable)', collect, [])
    .option('--filter <expr>', 'COL=VALUE, COL~TEXT, "COL in A|B", COL>=N, COL<=N, "COL is null", "COL not null" (repeatable)', collect, [])
    .option('--columns <list>', 'comma-separated columns to write, in order')
    .option('--no-bom', 'CSV without the UTF-8 byte order mark')
    .option('--raw', "CSV text as it is, without the ' that stops spreadsheets running formulas (for tools that are not spreadsheets)")
    .addOption(new Option('--lang <lang>', 'report language').choices(LANGS).default('en'))
    .action(async (dataset: string, options: ExportOptions, command: Command) => {
      await withEngine(command, async ({ client, json, say, emitJson, signal }) => {
        const progress = progressPrinter(json);
        const run = { signal, onProgress: progress.onProgress };
        const out = path.resolve(options.out);
        let result: ExportResult;
        try {
          if (options.run) {
            if (options.format === 'html')
              result = await client.run('export/report', { runId: options.run, path: out, lang: options.lang }, run);
            else if ((RESULT_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
              result = await client.run(
                'export/results',
                {
                  runId: options.run,
                  format: options.format as (typeof RESULT_EXPORT_FORMATS)[number],
                  path: out,
                  raw: Boolean(options.raw),
                },
                run,
              );
            } else
              throw new InvalidArgumentError(
                `--format ${options.format} is for rows; results export as ${RESULT_EXPORT_FORMATS.join(', ')} or html`,
              );
          } else {
            if (!(DATASET_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
              throw new InvalidArgumentError(`--format ${options.format} needs --run; rows export as ${DATASET_EXPORT_FORMATS.join(', ')}`);
            }
            const info = await client.call('dataset/get', { dataset, version: options.version });
            result = await client.run(
              'export/dataset',
              {
                dataset,
                version: info.version,
                format: options.format as (typeof DATASET_EXPORT_FORMATS)[number],
                path: out,
                sort: options.sort.map((s) => parseSort(info.columns, s)),
                filters: options.filter.map((f) => parseFilter(info.columns, f)),
                columns: options.columns ? options.columns.split(',').map((c) => resolveColumn(info.columns, c)) : undefined,
                bom: options.bom,
                raw: Boolean(options.raw),
              },
              run,
            );
          }
        } finally {
          progress.done();
        }
        if (json) return emitJson(result);
        const where = result.files.length > 1 ? `${result.files.length} files in ${result.path}` : result.path;
        say(
          `Exported ${result.rows.toLocaleString('en-US')} rows as ${result.format} to ${where} (${(result.bytes / 1e6).toFixed(1)} MB) in ${result.seconds.toFixed(1)} s.`,
        );
        if (result.neutralised)
          say(
            `  ${result.neutralised.toLocaleString('en-US')} cell(s) starting with = + - @ tab or CR were prefixed with ' so spreadsheets show them as text.`,
          );
      });
    });
}
