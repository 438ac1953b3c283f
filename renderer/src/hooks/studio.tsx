/**
 * The typed client every page uses, and small hooks over it: a call whose answer is shown, and
 * a job with progress and cancel. Pages never touch `window.studio` or know the host.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { JobMethodName, JobProgress, MethodName, Params, Reply, Result } from '../../../shared/api';
import { createClient, type StudioClient } from '../../../shared/client';
import { useTranslation } from 'react-i18next';
import { announce } from '../components/LiveRegion';
import type { RendererStudio } from '../host/types';

interface StudioContextValue {
  studio: RendererStudio;
  client: StudioClient;
  /** Bumped when the engine came back (reconnect or restart): answers should be fetched again. */
  epoch: number;
}

const StudioContext = createContext<StudioContextValue | null>(null);

export function StudioProvider({ studio, children }: { studio: RendererStudio; children: ReactNode }) {
  const client = useMemo(() => createClient(studio), [studio]);
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    const offConnection = studio.host.onConnection?.((state) => {
      if (state === 'connected') setEpoch((e) => e + 1);
    });
    const offHost = studio.host.onHostEvent?.((event) => {
      if (event.type === 'engine/restarted') setEpoch((e) => e + 1);
    });
    return () => {
      offConnection?.();
      offHost?.();
    };
  }, [studio]);
  const value = useMemo(() => ({ studio, client, epoch }), [studio, client, epoch]);
  return <StudioContext.Provider value={value}>{children}</StudioContext.Provider>;
}

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio outside StudioProvider');
  return value;
}

export function useClient(): StudioClient {
  return useStudio().client;
}

export interface CallState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Calls a request method when its params change (or `reload()`), keeping the last answer. */
export function useCall<M extends MethodName>(method: M, params: Params<M> | null, extraDeps: unknown[] = []): CallState<Reply<M>> {
  const { client, epoch } = useStudio();
  const [tick, setTick] = useState(0);
  const key = params === null ? null : JSON.stringify(params);
  const request = key === null ? null : `${method} ${key} ${tick} ${epoch} ${JSON.stringify(extraDeps)}`;
  /** The last answer, tagged with the request it answers (a newer request shows it while loading). */
  const [answer, setAnswer] = useState<{ request: string; key: string; data?: Reply<M>; error?: unknown } | null>(null);
  useEffect(() => {
    if (key === null || request === null) return;
    let live = true;
    client.call(method, JSON.parse(key) as Params<M>).then(
      (data) => live && setAnswer({ request, key, data }),
      (error: unknown) =>
        live && setAnswer((previous) => ({ request, key, data: previous?.key === key ? previous.data : undefined, error })),
    );
    return () => {
      live = false;
    };
  }, [client, method, key, request]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Answers to other params are not shown (a different dataset's list is not this one's).
  const current = answer && key !== null && answer.key === key ? answer : null;
  return { data: current?.data, error: current?.error ?? null, loading: key !== null && answer?.request !== request, reload };
}

export interface JobState<M extends JobMethodName> {
  running: boolean;
  progress: JobProgress | null;
  result: Result<M> | undefined;
  error: unknown;
  startedAt: number | null;
  /** Starts the job; resolves with its result, or undefined when it failed or was cancelled. */
  start: (params: Params<M>) => Promise<Result<M> | undefined>;
  cancel: () => void;
  reset: () => void;
}

/** A job method with live progress and a Cancel that reaches the engine (`job/cancel`). */
export function useJob<M extends JobMethodName>(method: M): JobState<M> {
  const client = useClient();
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [result, setResult] = useState<Result<M> | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  // Jobs outlive the component that started them (an import goes on while the user browses).
  const abort = useRef<AbortController | null>(null);
  const { t } = useTranslation();
  const area = method.split('/')[0]!;
  const job = t(`live.job.${area}`, { defaultValue: area });

  const start = useCallback(
    async (params: Params<M>) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setRunning(true);
      setProgress(null);
      setError(null);
      setResult(undefined);
      setStartedAt(Date.now());
      try {
        const answer = await client.run(method, params, { signal: controller.signal, onProgress: (p) => setProgress(p) });
        if (abort.current === controller) setResult(answer);
        announce(t('live.done', { job }));
        return answer;
      } catch (err) {
        if (abort.current === controller) setError(err);
        announce(t(controller.signal.aborted ? 'live.cancelled' : 'live.failed', { job }));
        return undefined;
      } finally {
        if (abort.current === controller) setRunning(false);
      }
    },
    [client, method, t, job],
  );
  const cancel = useCallback(() => abort.current?.abort(), []);
  const reset = useCallback(() => {
    setProgress(null);
    setResult(undefined);
    setError(null);
    setStartedAt(null);
  }, []);
  return { running, progress, result, error, startedAt, start, cancel, reset };
}
