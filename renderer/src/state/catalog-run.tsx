/**
 * The analysis run of the dataset in use, kept above the pages so it goes on (and keeps
 * streaming) while the user is elsewhere. After an import, and whenever a dataset whose current
 * version has no full run is opened, the catalog runs by itself; otherwise its latest run is shown. A run already going on in the
 * engine (started before a reload of the window, say) is found through `job/list` and followed.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ORIGINAL_CLEANING } from '../../../shared/analyses';
import type { AnalysisResult, AnalysisRun, CleaningOptions, JobEvent, JobProgress } from '../../../shared/api';
import type { DatasetVersionInfo } from '../../../shared/types';
import { analysisRunProgress } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import { announce } from '../components/LiveRegion';
import { useClient } from '../hooks/studio';
import { useApp } from './app';

export interface CatalogRun {
  /** The dataset of the run shown (null before any). */
  dataset: string | null;
  running: boolean;
  progress: JobProgress | null;
  /** Results finished so far, in the order they finished. */
  results: AnalysisResult[];
  /** The analysis being computed now. */
  current: string | null;
  /** The cleaning options of the run going on. */
  cleaning: CleaningOptions | null;
  /** The results come from the import's frame, not yet proven equal to PostgreSQL. */
  provisional: boolean;
  error: unknown;
  start: (dataset: string, cleaning: CleaningOptions) => Promise<void>;
  cancel: () => void;
}

interface Live {
  dataset: string | null;
  jobId: string | null;
  running: boolean;
  progress: JobProgress | null;
  error: unknown;
}

const IDLE: Live = { dataset: null, jobId: null, running: false, progress: null, error: null };

/**
 * A run of this very version: the same number and import. Runs are kept by dataset name, so a
 * dataset deleted and imported again under its name (version 1 again) would otherwise show the
 * deleted data's results as its own. Runs saved before they recorded their import fall back to
 * having begun after it (the engine's clock against PostgreSQL's).
 */
export function runOfVersion(
  run: { version: number; importedAt?: string; startedAt: string },
  info: Pick<DatasetVersionInfo, 'version' | 'importedAt'>,
): boolean {
  if (run.version !== info.version) return false;
  return run.importedAt !== undefined ? run.importedAt === info.importedAt : Date.parse(run.startedAt) >= Date.parse(info.importedAt);
}
const CatalogRunContext = createContext<CatalogRun | null>(null);

export function CatalogRunProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const app = useApp();
  const { dataset, datasetsEpoch, setLastRun } = app;
  const [live, setLive] = useState<Live>(IDLE);
  // The effect below reads the live run as it is when the dataset changes, without re-running on it.
  const liveRef = useRef(live);
  const lastRunRef = useRef(app.lastRun);
  useEffect(() => {
    liveRef.current = live;
    lastRunRef.current = app.lastRun;
  }, [live, app.lastRun]);
  const abort = useRef<AbortController | null>(null);
  const following = useRef<(() => void) | null>(null);
  /** Datasets whose run is being looked up or started (so one event does not start two runs). */
  const pending = useRef(new Set<string>());
  // Every progress event carries every result so far, parsed anew: a result already on screen
  // keeps its object, so its panel neither renders nor redraws its chart again.
  const shown = useRef(new Map<string, { json: string; result: AnalysisResult }>());
  const keepShown = useCallback((progress: JobProgress): JobProgress => {
    const streamed = analysisRunProgress(progress.details);
    if (!streamed) return progress;
    const results = streamed.results.map((r) => {
      const json = JSON.stringify(r);
      const before = shown.current.get(r.id);
      if (before?.json === json) return before.result;
      shown.current.set(r.id, { json, result: r });
      return r;
    });
    return { ...progress, details: { ...progress.details, results } };
  }, []);

  const { t } = useTranslation();
  const finished = useCallback(
    (jobId: string | null, run: AnalysisRun | null, error: unknown) => {
      setLive((l) => (jobId && l.jobId !== jobId ? l : { ...l, running: false, error }));
      if (run) setLastRun(run);
      // The outcome is said through the window's live region, as for every other job.
      const job = t('live.job.analysis');
      const cancelled = error instanceof StudioError && error.code === 'CANCELLED';
      announce(t(run ? 'live.done' : cancelled ? 'live.cancelled' : 'live.failed', { job }));
    },
    [setLastRun, t],
  );

  const start = useCallback(
    async (name: string, cleaning: CleaningOptions) => {
      abort.current?.abort();
      following.current?.();
      const controller = new AbortController();
      abort.current = controller;
      setLive({ dataset: name, jobId: null, running: true, progress: null, error: null });
      try {
        const run = await client.run(
          'analysis/run',
          { dataset: name, cleaning },
          {
            signal: controller.signal,
            onStarted: (jobId) => setLive((l) => ({ ...l, jobId })),
            onProgress: (progress) => {
              if (abort.current !== controller) return;
              const kept = keepShown(progress);
              setLive((l) => ({ ...l, progress: kept }));
            },
          },
        );
        if (abort.current === controller) finished(null, run, null);
      } catch (err) {
        if (abort.current === controller) finished(null, null, err);
      }
    },
    [client, finished, keepShown],
  );

  /** Follows a run the engine already has going (its progress holds every result so far). */
  const follow = useCallback(
    (name: string, jobId: string, progress: JobProgress) => {
      abort.current?.abort();
      abort.current = null;
      following.current?.();
      setLive({ dataset: name, jobId, running: true, progress: keepShown(progress), error: null });
      const off = client.onEvent((event) => {
        if (!event.type.startsWith('job/')) return;
        const e = event as JobEvent;
        if (e.jobId !== jobId) return;
        if (e.type === 'job/progress') {
          const kept = keepShown(e.progress);
          setLive((l) => (l.jobId === jobId ? { ...l, progress: kept } : l));
        } else {
          off();
          following.current = null;
          if (e.type === 'job/done') finished(jobId, e.result as AnalysisRun, null);
          else finished(jobId, null, StudioError.fromData(e.error));
        }
      });
      following.current = off;
    },
    [client, finished, keepShown],
  );

  // A run for the dataset in use: follow the one going on, else start one when its version has none.
  useEffect(() => {
    if (!dataset || pending.current.has(dataset)) return;
    // Already running for it (an import starts its run as soon as it answers): nothing to look up.
    if (liveRef.current.running && liveRef.current.dataset === dataset) return;
    pending.current.add(dataset);
    void (async () => {
      try {
        const [jobs, info, runs] = await Promise.all([
          client.call('job/list', {}),
          client.call('dataset/get', { dataset }),
          client.call('analysis/runs', { dataset, limit: 20 }),
        ]);
        const active = jobs.find(
          (j) => j.method === 'analysis/run' && j.state === 'running' && analysisRunProgress(j.progress.details)?.dataset === dataset,
        );
        const now = liveRef.current;
        if (active) {
          if (now.jobId !== active.jobId) follow(dataset, active.jobId, active.progress);
          return;
        }
        if (now.running && now.dataset === dataset) return;
        // Column profiles (Browse) are small runs of their own: only a run of the catalog counts.
        const latest = runs.find((r) => runOfVersion(r, info) && r.analyses > 2);
        if (!latest) {
          await start(dataset, ORIGINAL_CLEANING);
          return;
        }
        // Show the latest run of the current version, unless a run has begun meanwhile.
        if (lastRunRef.current?.dataset === dataset && runOfVersion(lastRunRef.current, info)) return;
        const run = await client.call('analysis/get-run', { runId: latest.runId });
        if (!liveRef.current.running) setLastRun(run);
      } catch {
        // No dataset any more (deleted) or the engine is restarting: nothing to run.
      } finally {
        pending.current.delete(dataset);
      }
    })();
  }, [dataset, datasetsEpoch, client, follow, start, setLastRun]);

  const cancel = useCallback(() => {
    if (abort.current) abort.current.abort();
    else if (live.jobId) void client.call('job/cancel', { jobId: live.jobId }).catch(() => undefined);
  }, [client, live.jobId]);

  const value = useMemo<CatalogRun>(() => {
    const streamed = analysisRunProgress(live.progress?.details);
    return {
      dataset: live.dataset,
      running: live.running,
      progress: live.progress,
      results: live.running ? (streamed?.results ?? []) : [],
      current: live.running ? (streamed?.current ?? null) : null,
      cleaning: live.running ? (streamed?.cleaning ?? null) : null,
      provisional: live.running && (streamed?.provisional ?? false),
      error: live.error,
      start,
      cancel,
    };
  }, [live, start, cancel]);
  return <CatalogRunContext.Provider value={value}>{children}</CatalogRunContext.Provider>;
}

export function useCatalogRun(): CatalogRun {
  const value = useContext(CatalogRunContext);
  if (!value) throw new Error('useCatalogRun outside CatalogRunProvider');
  return value;
}
