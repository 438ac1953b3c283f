/**
 * Browser mode's `window.studio`: the same bridge the preload gives in Electron, over a WebSocket
 * to `/rpc` on the page's own origin (authorised by the HttpOnly token cookie the first page load
 * set). Reconnects by itself; while the link is down, calls wait and running jobs are reported
 * failed so no page waits forever for an event that will never come.
 */
import type { EngineEvent, JobEvent } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { WireMessage } from '../../../shared/rpc';
import type { ConnectionState, RendererStudio, StartedUpload, UploadOptions } from './types';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const LOST = 'The connection to the engine was lost.';

export function createBrowserStudio(base: Location = window.location): RendererStudio {
  const rpcUrl = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/rpc`;
  const pending = new Map<number, Pending>();
  const outbox: WireMessage[] = [];
  const eventListeners = new Set<(event: EngineEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const runningJobs = new Map<string, string>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let retryMs = 300;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    connectionListeners.forEach((l) => l(next));
  };
  const emit = (event: EngineEvent) => eventListeners.forEach((l) => l(event));

  const onMessage = (message: WireMessage) => {
    if (message.kind === 'event') {
      const event = message.event;
      if (event.type === 'job/done' || event.type === 'job/failed') runningJobs.delete((event as JobEvent).jobId);
      emit(event);
      return;
    }
    if (message.kind !== 'reply' && message.kind !== 'error') return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.kind === 'error') {
      waiter.reject(StudioError.fromData(message.error));
      return;
    }
    // A job method answers exactly `{ jobId }` (see shared/api.ts `Reply`).
    const data = message.data as { jobId?: unknown } | null;
    if (data && typeof data === 'object' && typeof data.jobId === 'string' && Object.keys(data).length === 1)
      runningJobs.set(data.jobId, waiter.method);
    waiter.resolve(message.data);
  };

  const connect = () => {
    const ws = new WebSocket(rpcUrl);
    socket = ws;
    ws.onopen = () => {
      retryMs = 300;
      setState('connected');
      while (outbox.length && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(outbox.shift()));
    };
    ws.onmessage = (e) => {
      try {
        onMessage(JSON.parse(String(e.data)) as WireMessage);
      } catch {
        // a malformed frame: ignore it rather than break every page
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      const error = new StudioError('ENGINE_UNAVAILABLE', LOST);
      pending.forEach((p) => p.reject(error));
      pending.clear();
      for (const [jobId, method] of runningJobs) {
        emit({ type: 'job/failed', jobId, method, error: error.toData() });
      }
      runningJobs.clear();
      setState('disconnected');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    call(method, params, options) {
      const id = nextId++;
      const message: WireMessage = { kind: 'request', id, method, params };
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve, reject });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
        else outbox.push(message);
        options?.onCancellable?.(() => {
          const waiter = pending.get(id);
          if (!waiter) return; // answered already
          const queued = outbox.indexOf(message);
          if (queued >= 0) {
            // Never sent: drop it here and answer it as the engine would.
            outbox.splice(queued, 1);
            pending.delete(id);
            waiter.reject(new StudioError('CANCELLED', 'Request cancelled.'));
          } else if (socket && socket.readyState === WebSocket.OPEN)
            socket.send(JSON.stringify({ kind: 'cancel', id } satisfies WireMessage));
        });
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    host: {
      kind: 'browser',
      pathForFile: () => null,
      startUpload: (file, options) => startUpload(file, options),
      download(path) {
        const a = document.createElement('a');
        a.href = `/download?path=${encodeURIComponent(path)}`;
        a.download = path.split(/[\\/]/).pop() ?? 'export';
        document.body.append(a);
        a.click();
        a.remove();
      },
      onConnection(listener) {
        connectionListeners.add(listener);
        return () => connectionListeners.delete(listener);
      },
      connectionState: () => state,
    },
  };
}

/**
 * Reserves the file in the engine's upload folder (POST /upload/begin), then streams the byte
 * ranges the importer samples first followed by the whole file (the browser reads it from disk as
 * it goes), so the engine can import while the upload goes on.
 */
async function startUpload(file: File, options: UploadOptions = {}): Promise<StartedUpload> {
  let begun: Response;
  try {
    begun = await fetch('/upload/begin', {
      method: 'POST',
      headers: { 'x-file-name': encodeURIComponent(file.name), 'x-file-size': String(file.size) },
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Upload cancelled.');
    throw new StudioError('ENGINE_UNAVAILABLE', `The upload could not reach the engine (${(err as Error).message}).`);
  }
  const body = (await begun.json().catch(() => ({}))) as { id?: string; path?: string; first?: Array<[number, number]>; error?: string };
  if (!begun.ok || !body.id || !body.path || !body.first)
    throw new StudioError(
      begun.status === 507 ? 'DISK_FULL' : 'FILE_NOT_FOUND',
      `Upload refused (${begun.status}): ${body.error ?? begun.statusText}`,
    );
  const parts: Blob[] = [...body.first.map(([start, end]) => file.slice(start, end)), file];
  const arrived = new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?id=${encodeURIComponent(body.id!)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => options.onProgress?.(Math.max(0, e.loaded - (e.total - file.size)), file.size);
    xhr.onload = () => {
      if (xhr.status === 200) resolve();
      else {
        let error = xhr.statusText;
        try {
          error = (JSON.parse(xhr.responseText) as { error?: string }).error ?? error;
        } catch {
          // not JSON: keep the status text
        }
        reject(new StudioError('FILE_NOT_FOUND', `Upload failed (${xhr.status}): ${error}`));
      }
    };
    xhr.onerror = () => reject(new StudioError('ENGINE_UNAVAILABLE', 'The upload could not reach the engine.'));
    xhr.onabort = () => reject(new StudioError('CANCELLED', 'Upload cancelled.'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(new Blob(parts));
  });
  return { path: body.path, arrived };
}
