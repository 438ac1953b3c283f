/**
 * The import in progress, kept above the pages so it goes on while the user browses: a dropped
 * or picked file (streamed to the engine first in browser mode), a path (Electron, OS file
 * association), a re-import with changed column types, or the sample dataset.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult, JobProgress, Params } from '../../../shared/api';
import type { SampleResult } from '../../../shared/contract/export';
import { formatNumber } from '../format';
import { StudioError } from '../../../shared/errors';
import type { ColumnType, DatasetVersionInfo } from '../../../shared/types';
import { enginePathFor } from '../host/files';
import { announce } from '../components/LiveRegion';
import { useStudio } from '../hooks/studio';
import { useApp } from './app';
import { ORIGINAL_CLEANING } from '../../../shared/analyses';
import { useCatalogRun } from './catalog-run';

export interface ImportState {
  running: boolean;
  /** File name or dataset name being imported. */
  label: string | null;
  progress: JobProgress | null;
  error: unknown;
  result: ImportResult | null;
  /** The dataset the window showed when this import began: the Analyses page shows the import in its place. */
  startedOver: string | null;
  importFile: (file: File, options?: { name?: string; types?: Record<string, ColumnType> }) => Promise<ImportResult | null>;
  importPath: (path: string, options?: { name?: string; types?: Record<string, ColumnType> }) => Promise<ImportResult | null>;
  reimport: (version: DatasetVersionInfo, types?: Record<string, ColumnType>) => Promise<ImportResult | null>;
  loadSample: () => Promise<SampleResult | null>;
  /** File ▸ Open CSV…: the host's dialog (Electron) or the browser's file picker. */
  openCsv: () => void;
  cancel: () => void;
  dismiss: () => void;
}

export type ImportActions = Pick<ImportState, 'importFile' | 'importPath' | 'reimport' | 'loadSample' | 'openCsv' | 'cancel' | 'dismiss'>;

const ImportContext = createContext<ImportState | null>(null);
/** The actions alone: what the app shell and the drop target use, so they do not render again on every progress tick. */
const ImportActionsContext = createContext<ImportActions | null>(null);

export function ImportProvider({ children }: { children: ReactNode }) {
  const { studio, client } = useStudio();
  const { t } = useTranslation();
  const app = useApp();
  // The catalog runs as soon as an import answers, without the run lookups a dataset change makes.
  const { start: startRun } = useCatalogRun();
  const [running, setRunning] = useState(false);
  const [label, setLabel] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [startedOver, setStartedOver] = useState<string | null>(null);
  const shownDataset = useRef(app.dataset);
  useEffect(() => {
    shownDataset.current = app.dataset;
  }, [app.dataset]);
  const abort = useRef<AbortController | null>(null);
  /** Files dropped this session, so a browser-mode re-import can stream them again. */
  const files = useRef(new Map<string, File>());

  const begin = (name: string) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setStartedOver(shownDataset.current);
    setLabel(name);
    setProgress(null);
    setError(null);
    setResult(null);
    return controller;
  };

  const finish = useCallback(
    (controller: AbortController, answer: ImportResult | null, err: unknown) => {
      if (abort.current !== controller) return;
      setRunning(false);
      if (answer) {
        void startRun(answer.dataset, ORIGINAL_CLEANING);
        setResult(answer);
        app.setDataset(answer.dataset);
        app.datasetsChanged();
        announce(t('live.imported', { name: answer.dataset, rows: formatNumber(answer.rows), rejected: formatNumber(answer.rejected) }));
      } else if (err) {
        setError(err);
        announce(t(controller.signal.aborted ? 'live.cancelled' : 'live.failed', { job: t('live.job.dataset') }));
      }
    },
    [app, t, startRun],
  );

  const runImport = useCallback(
    async (
      controller: AbortController,
      params: Params<'dataset/import'>,
      onProgress: (progress: JobProgress) => void = setProgress,
    ): Promise<ImportResult | null> => {
      try {
        const answer = await client.run('dataset/import', params, { signal: controller.signal, onProgress });
        finish(controller, answer, null);
        return answer;
      } catch (err) {
        finish(controller, null, err);
        return null;
      }
    },
    [client, finish],
  );

  const importFile = useCallback(
    async (file: File, options: { name?: string; types?: Record<string, ColumnType> } = {}) => {
      const controller = begin(file.name);
      // The upload stops with the import: when the user cancels, and when the import fails first.
      const upload = new AbortController();
      const stopUpload = () => upload.abort();
      controller.signal.addEventListener('abort', stopUpload);
      // Until the import reads rows, the upload's progress is the one to show.
      let importLoading = false;
      let located: { path: string; uploaded: boolean; arrived?: Promise<void> };
      try {
        located = await enginePathFor(studio, file, {
          signal: upload.signal,
          onProgress: (done, total) => {
            if (!importLoading) setProgress({ phase: 'upload', done, total, unit: 'bytes' });
          },
        });
      } catch (err) {
        finish(controller, null, controller.signal.aborted ? new StudioError('CANCELLED', 'Import cancelled.') : err);
        return null;
      }
      // A broken upload fails the import itself (the engine reports it); nothing else to do here.
      located.arrived?.catch(() => undefined);
      // An uploaded copy has a unique prefix: name the dataset after the file the user dropped.
      const name = options.name ?? (file.name.replace(/\.(csv|tsv|txt|psv)$/i, '').trim() || undefined);
      const answer = await runImport(
        controller,
        { path: located.path, name, types: options.types, deleteSourceAfter: located.uploaded },
        (p) => {
          if (p.phase !== 'connect' && p.phase !== 'inspect') importLoading = true;
          if (importLoading) setProgress(p);
        },
      );
      controller.signal.removeEventListener('abort', stopUpload);
      if (!answer) stopUpload();
      if (answer && located.uploaded) files.current.set(answer.dataset, file);
      return answer;
    },
    [studio, runImport, finish],
  );

  const importPath = useCallback(
    async (path: string, options: { name?: string; types?: Record<string, ColumnType> } = {}) => {
      const controller = begin(path.split(/[\\/]/).pop() ?? path);
      return runImport(controller, { path, name: options.name, types: options.types });
    },
    [runImport],
  );

  const reimport = useCallback(
    async (version: DatasetVersionInfo, types?: Record<string, ColumnType>) => {
      const kept = files.current.get(version.dataset);
      if (kept) return importFile(kept, { name: version.dataset, types });
      if (!version.sourcePath) {
        const controller = begin(version.dataset);
        finish(
          controller,
          null,
          new StudioError('FILE_NOT_FOUND', 'The original file of this dataset is not known: drop it on the window again.'),
        );
        return null;
      }
      return importPath(version.sourcePath, { name: version.dataset, types });
    },
    [importFile, importPath, finish],
  );

  const loadSample = useCallback(async () => {
    const controller = begin(t('importer.sampleLabel'));
    try {
      const answer = await client.run('dataset/sample', {}, { signal: controller.signal, onProgress: setProgress });
      if (abort.current === controller) {
        setRunning(false);
        void startRun(answer.dataset, ORIGINAL_CLEANING);
        app.setDataset(answer.dataset);
        app.datasetsChanged();
        app.notify({ kind: 'success', text: t('importer.sampleLoaded', { name: answer.dataset, rows: formatNumber(answer.rows) }) });
      }
      return answer;
    } catch (err) {
      finish(controller, null, err);
      return null;
    }
  }, [client, finish, app, t, startRun]);

  const picker = useRef<HTMLInputElement>(null);
  const openCsv = useCallback(() => {
    if (studio.host.openCsvDialog) {
      void studio.host.openCsvDialog().then((path) => {
        if (path) void importPath(path);
      });
    } else picker.current?.click();
  }, [studio, importPath]);

  const cancel = useCallback(() => abort.current?.abort(), []);
  const dismiss = useCallback(() => {
    setError(null);
    setResult(null);
    setProgress(null);
    setLabel(null);
  }, []);

  const actions = useMemo<ImportActions>(
    () => ({ importFile, importPath, reimport, loadSample, openCsv, cancel, dismiss }),
    [importFile, importPath, reimport, loadSample, openCsv, cancel, dismiss],
  );
  const value = useMemo<ImportState>(
    () => ({ running, label, progress, error, result, startedOver, ...actions }),
    [running, label, progress, error, result, startedOver, actions],
  );
  return (
    <ImportContext.Provider value={value}>
      <ImportActionsContext.Provider value={actions}>{children}</ImportActionsContext.Provider>
      <input
        ref={picker}
        type="file"
        accept=".csv,.tsv,.txt,text/csv"
        hidden
        aria-hidden="true"
        tabIndex={-1}
        data-testid="csv-picker"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
    </ImportContext.Provider>
  );
}

export function useImport(): ImportState {
  const value = useContext(ImportContext);
  if (!value) throw new Error('useImport outside ImportProvider');
  return value;
}

export function useImportActions(): ImportActions {
  const value = useContext(ImportActionsContext);
  if (!value) throw new Error('useImportActions outside ImportProvider');
  return value;
}
