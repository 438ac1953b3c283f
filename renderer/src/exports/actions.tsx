/**
 * Every export the app offers, by the action names the Electron menu sends (host event
 * `{type:'menu', action}`) and the in-app Export menu uses: the engine writes datasets, views,
 * results and reports (streaming, with progress and cancel); the renderer writes chart images.
 * A finished file is offered as a download in browser mode and shown in its folder in Electron.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { offerFile, saveBlob } from '../host/files';
import { useStudio } from '../hooks/studio';
import { useApp } from '../state/app';
import { engineExport, type EngineExportAction } from './engine';

export const ENGINE_ACTIONS = [
  'export-dataset-csv',
  'export-dataset-parquet',
  'export-dataset-jsonl',
  'export-dataset-xlsx',
  'export-view-csv',
  'export-view-parquet',
  'export-view-jsonl',
  'export-view-xlsx',
  'export-results-xlsx',
  'export-results-csv',
  'export-results-json',
  'export-results-parquet',
  'export-report-html',
  'export-report-pdf',
] as const;
export const CHART_ACTIONS = ['export-chart-png', 'export-chart-svg'] as const;
export type ExportAction = (typeof ENGINE_ACTIONS)[number] | (typeof CHART_ACTIONS)[number] | 'publish';

export interface ExportState {
  running: boolean;
  label: string | null;
  progress: JobProgress | null;
  error: unknown;
  /** Files written by the last export. */
  files: string[];
  run: (action: ExportAction) => Promise<void>;
  cancel: () => void;
  dismiss: () => void;
}

const ExportContext = createContext<ExportState | null>(null);

export function ExportProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { studio, client } = useStudio();
  const app = useApp();
  const [running, setRunning] = useState(false);
  const [label, setLabel] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [files, setFiles] = useState<string[]>([]);
  const abort = useRef<AbortController | null>(null);
  // `run` is called from menus and host events: it reads the app state as it is at that moment.
  const latest = useRef(app);
  useEffect(() => {
    latest.current = app;
  });

  const run = useCallback(
    async (action: ExportAction) => {
      const a = latest.current;
      if (action === 'export-chart-png' || action === 'export-chart-svg') {
        const chart = a.charts.current();
        if (!chart) {
          a.notify({ kind: 'error', text: t('exportMenu.needChart') });
          return;
        }
        const png = action === 'export-chart-png';
        saveBlob(await (png ? chart.png() : chart.svg()), `${a.dataset ?? 'chart'}-${chart.id}.${png ? 'png' : 'svg'}`);
        return;
      }
      if (!a.dataset) {
        a.notify({ kind: 'error', text: t('exportMenu.needDataset') });
        return;
      }
      const needsRun = action.startsWith('export-results') || action.startsWith('export-report') || action === 'publish';
      const run = a.lastRun && a.lastRun.dataset === a.dataset ? a.lastRun : null;
      if (needsRun && !run) {
        a.notify({ kind: 'error', text: t('exportMenu.needRun') });
        return;
      }
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setRunning(true);
      setError(null);
      setFiles([]);
      setProgress(null);
      try {
        if (action === 'publish') {
          setLabel(t('exportMenu.publishing'));
          // ECharts is loaded only when a chart is drawn (it is most of the renderer's weight).
          const { publishCharts } = await import('./charts');
          const charts = publishCharts(run!, { dark: false, lang: 'en' });
          const result = await client.run(
            'storage/publish',
            { dataset: a.dataset, runId: run!.runId, charts },
            { signal: controller.signal, onProgress: setProgress },
          );
          a.notify(
            result.status === 'queued'
              ? { kind: 'info', text: t('exportMenu.queued') }
              : { kind: 'success', text: t('exportMenu.published', { bucket: result.bucket, prefix: result.prefix }) },
          );
          return;
        }
        if (!(ENGINE_ACTIONS as readonly string[]).includes(action)) throw new StudioError('INVALID_REQUEST', `Unknown export: ${action}`);
        setLabel(t(`exportMenu.action.${action}`, { defaultValue: action }));
        const written = await engineExport(client, studio.host, action as EngineExportAction, {
          dataset: a.dataset,
          view: a.browseView,
          runId: run?.runId,
          lang: document.documentElement.lang === 'fr' ? 'fr' : 'en',
          // Reports are for reading and printing: always the light theme.
          dark: false,
          signal: controller.signal,
          onProgress: setProgress,
        });
        if (!written) return;
        setFiles(written.files);
        const first = written.files[0];
        if (written.files.length === 1 && first) {
          offerFile(studio, first);
          a.notify({ kind: 'success', text: t('exportMenu.done', { file: first }) });
        } else {
          written.files.forEach((file) => offerFile(studio, file));
          a.notify({ kind: 'success', text: t('exportMenu.doneMany', { count: written.files.length, folder: written.folder ?? '' }) });
        }
        if (action === 'export-report-pdf' && written.printInBrowser) a.notify({ kind: 'info', text: t('exportMenu.pdfInBrowser') });
      } catch (err) {
        if (abort.current === controller) setError(err);
      } finally {
        if (abort.current === controller) setRunning(false);
      }
    },
    [client, studio, t],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  const dismiss = useCallback(() => {
    setError(null);
    setFiles([]);
  }, []);
  const value = useMemo(
    () => ({ running, label, progress, error, files, run, cancel, dismiss }),
    [running, label, progress, error, files, run, cancel, dismiss],
  );
  return <ExportContext.Provider value={value}>{children}</ExportContext.Provider>;
}

export function useExportActions(): ExportState {
  const value = useContext(ExportContext);
  if (!value) throw new Error('useExportActions outside ExportProvider');
  return value;
}
