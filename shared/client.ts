/**
 * The renderer's (and CLI's, and tests') view of the engine. A `StudioBridge` is the untyped
 * pipe a host provides (preload over a MessagePort, browser mode over a WebSocket); a
 * `StudioClient` is the typed API every page uses.
 */
import type { EngineEvent, JobEvent, JobProgress, JobMethodName, MethodName, Params, Reply, Result } from './api';
import { cancelledError, StudioError, type ErrorData } from './errors';
import type { HostEvent } from './host';
import type { Channel, WireMessage } from './rpc';

export interface BridgeCallOptions {
  /**
   * Given, once the request is sent, the function that cancels it: the engine stops the work and
   * answers CANCELLED; called after the answer, it does nothing. A callback rather than an
   * AbortSignal, because it crosses Electron's contextBridge, which proxies functions but not
   * signals. A bridge that never calls it lets every call run to its end.
   */
  onCancellable?: (cancel: () => void) => void;
}

export interface StudioBridge {
  call(method: string, params: unknown, options?: BridgeCallOptions): Promise<unknown>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Host-only capabilities that are not engine requests (file dialogs, dropped-file paths). */
export interface StudioHost {
  kind: 'electron' | 'browser' | 'cli' | 'test';
  /**
   * Electron: what the engine may read for a dropped File (a capability main signs, never a raw
   * path); browser mode: null (the file is streamed).
   */
  pathForFile?(file: File): string | null | Promise<string | null>;
  /** Electron: the capability of the CSV picked in the Open dialog; null when cancelled. */
  openCsvDialog?(): Promise<string | null>;
  onHostEvent?(listener: (event: HostEvent) => void): () => void;
}

export type { HostEvent };

export interface StudioApi extends StudioBridge {
  host: StudioHost;
}

/** Wraps a channel into a bridge: numbered requests, matching replies, pushed events. */
export function bridgeFromChannel(channel: Channel): StudioBridge & { dispose(): void } {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(event: EngineEvent) => void>();
  const offMessage = channel.onMessage((message: WireMessage) => {
    if (message.kind === 'event') {
      listeners.forEach((l) => l(message.event));
      return;
    }
    if (message.kind !== 'reply' && message.kind !== 'error') return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.kind === 'reply') waiter.resolve(message.data);
    else waiter.reject(StudioError.fromData(message.error));
  });
  const offClose = channel.onClose?.(() => {
    const error = new StudioError('ENGINE_UNAVAILABLE', 'The engine connection closed.');
    pending.forEach((w) => w.reject(error));
    pending.clear();
  });
  return {
    call(method, params, options) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          channel.send({ kind: 'request', id, method, params });
        } catch (err) {
          pending.delete(id);
          reject(err);
          return;
        }
        options?.onCancellable?.(() => {
          if (!pending.has(id)) return; // answered already
          try {
            channel.send({ kind: 'cancel', id });
          } catch {
            // a closed channel: its close rejects the call
          }
        });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      offMessage();
      offClose?.();
    },
  };
}

export interface RunOptions {
  onProgress?: (progress: JobProgress) => void;
  /** Aborting cancels the job in the engine (`job/cancel`). */
  signal?: AbortSignal;
  /** Called as soon as the engine has accepted the job. */
  onStarted?: (jobId: string) => void;
}

export interface CallOptions {
  /**
   * Aborting stops the request in the engine (a `cancel` message; a running PostgreSQL query is
   * cancelled) and rejects the call with CANCELLED at once.
   */
  signal?: AbortSignal;
}

export interface StudioClient {
  call<M extends MethodName>(method: M, params: Params<M>, options?: CallOptions): Promise<Reply<M>>;
  /** Starts a job method and resolves with its final result; rejects with its StudioError. */
  run<M extends JobMethodName>(method: M, params: Params<M>, options?: RunOptions): Promise<Result<M>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

function asStudioError(err: unknown): unknown {
  if (err instanceof StudioError) return err;
  const data = err as Partial<ErrorData> | null;
  if (data && typeof data === 'object' && typeof data.code === 'string' && typeof data.message === 'string')
    return StudioError.fromData(data as ErrorData);
  return err;
}

export function createClient(bridge: StudioBridge): StudioClient {
  // Events can arrive before the reply that names the job id: keep the latest per job.
  const early = new Map<string, JobEvent[]>();
  bridge.onEvent((event) => {
    if (event.type.startsWith('job/')) {
      const e = event as JobEvent;
      const list = early.get(e.jobId) ?? [];
      list.push(e);
      if (list.length > 50) list.shift();
      early.set(e.jobId, list);
      if (early.size > 200) early.delete(early.keys().next().value as string);
    }
  });

  // Errors that crossed Electron's contextBridge arrive as plain data: make them StudioErrors again.
  const call = <M extends MethodName>(method: M, params: Params<M>, options: CallOptions = {}): Promise<Reply<M>> => {
    const { signal } = options;
    if (!signal) return plainCall(method, params);
    if (signal.aborted) return Promise.reject(cancelledError('Request cancelled.'));
    return new Promise<Reply<M>>((resolve, reject) => {
      let cancel: (() => void) | undefined;
      const onAbort = () => {
        cancel?.();
        reject(cancelledError('Request cancelled.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // A bridge may hand the cancel function over after the abort (the desktop's, waiting for its port).
      const onCancellable = (fn: () => void) => {
        cancel = fn;
        if (signal.aborted) fn();
      };
      (
        bridge.call(method, params, { onCancellable }).catch((err: unknown) => {
          throw asStudioError(err);
        }) as Promise<Reply<M>>
      )
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
  const plainCall = <M extends MethodName>(method: M, params: Params<M>) =>
    bridge.call(method, params).catch((err: unknown) => {
      throw asStudioError(err);
    }) as Promise<Reply<M>>;

  return {
    call,
    onEvent: (listener) => bridge.onEvent(listener),
    run(method, params, options = {}) {
      return new Promise((resolve, reject) => {
        let jobId: string | null = null;
        let settled = false;
        const handle = (event: JobEvent) => {
          if (settled || event.jobId !== jobId) return;
          if (event.type === 'job/progress') options.onProgress?.(event.progress);
          else {
            settled = true;
            off();
            options.signal?.removeEventListener('abort', onAbort);
            if (event.type === 'job/done') resolve(event.result as never);
            else reject(StudioError.fromData(event.error));
          }
        };
        const off = bridge.onEvent((event) => {
          if (event.type.startsWith('job/')) handle(event as JobEvent);
        });
        let cancelSent = false;
        const onAbort = () => {
          if (!jobId || cancelSent || settled) return;
          cancelSent = true;
          void bridge.call('job/cancel', { jobId }).catch(() => undefined);
        };
        options.signal?.addEventListener('abort', onAbort);
        (call(method, params) as Promise<{ jobId: string }>).then(
          (reply) => {
            jobId = reply.jobId;
            options.onStarted?.(jobId);
            for (const e of early.get(jobId) ?? []) handle(e);
            early.delete(jobId);
            if (options.signal?.aborted) onAbort();
          },
          (err) => {
            settled = true;
            off();
            reject(err);
          },
        );
      });
    },
  };
}
