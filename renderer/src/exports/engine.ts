/**
 * Export actions → the engine's export jobs (shared/contract/export.ts). The engine writes the
 * file itself (streamed, never built in the window): in Electron where the Save dialog says, in
 * browser mode into the data folder's `exports/`, from where the browser downloads it.
 */
import type { JobProgress } from '../../../shared/api';
import type { StudioClient } from '../../../shared/client';
import type { DatasetExportFormat, ResultExportFormat } from '../../../shared/contract/export';
import { StudioError } from '../../../shared/errors';
import type { Lang } from '../../../shared/i18n';
import type { RendererHost, SaveKind } from '../host/types';
import type { BrowseView } from '../state/app';

export type EngineExportAction =
  | 'export-dataset-csv'
  | 'export-dataset-parquet'
  | 'export-dataset-jsonl'
  | 'export-dataset-xlsx'
  | 'export-view-csv'
  | 'export-view-parquet'
  | 'export-view-jsonl'
  | 'export-view-xlsx'
  | 'export-results-xlsx'
  | 'export-results-csv'
  | 'export-results-json'
  | 'export-results-parquet'
  | 'export-report-html'
  | 'export-report-pdf';

export interface ExportArgs {
  dataset: string;
  view: BrowseView;
  runId: string | undefined;
  lang: Lang;
  dark: boolean;
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
}

export interface Written {
  files: string[];
  folder?: string;
  /** Browser mode has no printToPDF: the HTML report is given instead, ready to print. */
  printInBrowser?: boolean;
}

let exportsFolder: Promise<string> | null = null;

/** `<data folder>/exports` on the engine's machine (the only folder browser-mode downloads serve). */
function engineExportsFolder(client: StudioClient): Promise<string> {
  exportsFolder ??= client.call('system/info', {}).then(
    (info) => `${info.home}${info.home.includes('\\') && !info.home.includes('/') ? '\\' : '/'}exports`,
    (err: unknown) => {
      exportsFolder = null;
      throw err;
    },
  );
  return exportsFolder;
}

function stamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function safe(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 100);
}

/** Where to write: the user's choice in Electron (null: cancelled), a fresh name in the exports folder otherwise. */
async function target(client: StudioClient, host: RendererHost, kind: SaveKind, fileName: string): Promise<string | null> {
  if (host.saveDialog) return host.saveDialog({ kind, defaultName: fileName });
  const folder = await engineExportsFolder(client);
  return `${folder}/${fileName}`;
}

export async function engineExport(
  client: StudioClient,
  host: RendererHost,
  action: EngineExportAction,
  args: ExportArgs,
): Promise<Written | null> {
  const options = { signal: args.signal, onProgress: args.onProgress };
  const base = `${safe(args.dataset)}`;
  const [, scope, format] = action.split('-') as [string, 'dataset' | 'view' | 'results' | 'report', string];

  if (scope === 'dataset' || scope === 'view') {
    const fmt = format as DatasetExportFormat;
    const path = await target(client, host, fmt, `${base}${scope === 'view' ? '-view' : ''}-${stamp()}.${fmt}`);
    if (!path) return null;
    const view = scope === 'view' ? { sort: args.view.sort, filters: args.view.filters } : {};
    const result = await client.run('export/dataset', { dataset: args.dataset, ...view, format: fmt, path }, options);
    return { files: result.files };
  }

  if (!args.runId) throw new StudioError('NOT_FOUND', 'No analysis run to export: run the analyses first.');

  if (scope === 'results') {
    const fmt = format as ResultExportFormat;
    const single = fmt === 'xlsx';
    const path = await target(
      client,
      host,
      single ? 'xlsx' : fmt === 'json' ? 'jsonl' : fmt,
      `${base}-results-${stamp()}${single ? '.xlsx' : `-${fmt}`}`,
    );
    if (!path) return null;
    const result = await client.run('export/results', { runId: args.runId, format: fmt, path }, options);
    return { files: result.files, folder: single ? undefined : result.path };
  }

  const pdf = format === 'pdf';
  const name = `${base}-report-${stamp()}.html`;
  // A PDF is printed by Electron from the HTML report, so the HTML goes to the exports folder first.
  const htmlPath = pdf && host.printReportToPdf ? `${await engineExportsFolder(client)}/${name}` : await target(client, host, 'html', name);
  if (!htmlPath) return null;
  const result = await client.run('export/report', { runId: args.runId, path: htmlPath, lang: args.lang, dark: args.dark }, options);
  if (pdf && host.printReportToPdf) {
    const pdfPath = await host.printReportToPdf(result.path);
    return pdfPath ? { files: [pdfPath] } : null;
  }
  return { files: result.files, printInBrowser: pdf };
}
