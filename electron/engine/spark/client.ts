/**
 * A thin typed client over the Databricks endpoints the Spark side needs (Jobs 2.2, Files API for
 * Unity Catalog volumes, DBFS, Workspace). Why not `@databricks/sdk-experimental`: tested here,
 * its `files.upload` sent an empty body and reported success, and it did not retry 503
 * (shared/DATABRICKS.md); a dozen endpoints are easier to get right by hand.
 */
import { StudioError } from '../../../shared/errors';
import type { HttpClient } from './http';
import { idLiteral, idString } from './json';

export type LifeCycleState =
  'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

export interface RunState {
  life_cycle_state: LifeCycleState;
  result_state?: string;
  state_message?: string;
  user_cancelled_or_timedout?: boolean;
}

export interface RunTiming {
  start_time?: number;
  end_time?: number;
  queue_duration?: number;
  setup_duration?: number;
  execution_duration?: number;
  cleanup_duration?: number;
  run_duration?: number;
}

export interface RunTask extends RunTiming {
  run_id: string;
  task_key: string;
  state?: RunState;
  status?: { state?: string; termination_details?: { code?: string; type?: string; message?: string } };
  cluster_instance?: { cluster_id?: string; spark_context_id?: string };
  existing_cluster_id?: string;
  environment_key?: string;
  run_page_url?: string;
  attempt_number?: number;
}

export interface Run extends RunTiming {
  run_id: string;
  run_name?: string;
  state: RunState;
  status?: { state?: string; termination_details?: { code?: string; type?: string; message?: string } };
  run_page_url?: string;
  tasks: RunTask[];
  cluster_instance?: { cluster_id?: string; spark_context_id?: string };
  job_clusters?: unknown[];
  creator_user_name?: string;
}

export interface RunOutput {
  notebook_output?: { result?: string; truncated?: boolean };
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
  metadata?: Partial<Run>;
}

export interface SubmitSpec {
  run_name: string;
  tasks: Array<Record<string, unknown>>;
  environments?: Array<{ environment_key: string; spec: { environment_version?: string; client?: string; dependencies?: string[] } }>;
  timeout_seconds?: number;
}

export interface FileInfo {
  size: number;
  lastModified: string | null;
}

const JOBS = '/api/2.2/jobs';

/** `/Volumes/a/b c/d` → `/Volumes/a/b%20c/d` (each segment escaped). */
export function escapePath(path: string): string {
  if (!path.startsWith('/')) throw new StudioError('INVALID_REQUEST', `A Databricks path must be absolute: ${path}`);
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export class DatabricksClient {
  constructor(readonly http: HttpClient) {}

  get host(): string {
    return this.http.host;
  }

  // ---- Jobs ----

  /** Submits a one-time run; the token makes a retried POST return the same run. */
  async submitRun(spec: SubmitSpec, idempotencyToken: string, signal?: AbortSignal): Promise<string> {
    if (!idempotencyToken || idempotencyToken.length > 64)
      throw new StudioError('INVALID_REQUEST', 'The idempotency token must be 1 to 64 characters.');
    const answer = await this.http.json<{ run_id: unknown }>({
      method: 'POST',
      path: `${JOBS}/runs/submit`,
      json: { ...spec, idempotency_token: idempotencyToken },
      retryInvalidState: true,
      signal,
    });
    return idString(answer.run_id);
  }

  /** A run with every page of its arrays (2.2 gives at most 100 tasks per page). */
  async getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    let run: Run | null = null;
    let pageToken: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const answer = await this.http.json<Run & { next_page_token?: string }>({
        method: 'GET',
        path: `${JOBS}/runs/get`,
        query: { run_id: runId, page_token: pageToken },
        signal,
      });
      const tasks = (answer.tasks ?? []).map((t) => ({ ...t, run_id: idString(t.run_id) }));
      if (!run) run = { ...answer, run_id: idString(answer.run_id), tasks };
      else {
        run.tasks.push(...tasks);
        if (answer.job_clusters) run.job_clusters = [...(run.job_clusters ?? []), ...answer.job_clusters];
      }
      pageToken = answer.next_page_token || undefined;
      if (!pageToken) break;
    }
    delete (run as { next_page_token?: string }).next_page_token;
    return run!;
  }

  /** The output of one TASK run (a parent run id is refused by the API). */
  async getRunOutput(taskRunId: string, signal?: AbortSignal): Promise<RunOutput> {
    return this.http.json<RunOutput>({ method: 'GET', path: `${JOBS}/runs/get-output`, query: { run_id: taskRunId }, signal });
  }

  async cancelRun(runId: string, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: `${JOBS}/runs/cancel`, json: { run_id: idLiteral(runId) }, signal });
  }

  // ---- Files API (Unity Catalog volumes) ----

  async putFile(path: string, body: () => { stream: ReadableStream<Uint8Array>; length: number }, signal?: AbortSignal): Promise<void> {
    const response = await this.http.call({
      method: 'PUT',
      path: `/api/2.0/fs/files${escapePath(path)}`,
      query: { overwrite: true },
      body,
      signal,
    });
    await response.body?.cancel();
  }

  /** Size and date of a file, or null when it does not exist. */
  async headFile(path: string, signal?: AbortSignal): Promise<FileInfo | null> {
    try {
      const response = await this.http.call({ method: 'HEAD', path: `/api/2.0/fs/files${escapePath(path)}`, signal });
      return { size: Number(response.headers.get('content-length') ?? -1), lastModified: response.headers.get('last-modified') };
    } catch (err) {
      if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_FOUND') return null;
      throw err;
    }
  }

  /** The response of a download; read its body as a stream or as text. */
  async getFile(path: string, signal?: AbortSignal, range?: { start: number; end?: number }): Promise<Response> {
    const headers: Record<string, string> = range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : {};
    return this.http.call({ method: 'GET', path: `/api/2.0/fs/files${escapePath(path)}`, headers, signal });
  }

  async deleteFile(path: string, signal?: AbortSignal): Promise<void> {
    const response = await this.http.call({ method: 'DELETE', path: `/api/2.0/fs/files${escapePath(path)}`, signal });
    await response.body?.cancel();
  }

  /** mkdir -p inside a volume (the volume itself must exist). */
  async createDirectory(path: string, signal?: AbortSignal): Promise<void> {
    const response = await this.http.call({ method: 'PUT', path: `/api/2.0/fs/directories${escapePath(path)}`, signal });
    await response.body?.cancel();
  }

  /** Whether a directory exists (HEAD on the Files API's directories endpoint). */
  async directoryExists(path: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const response = await this.http.call({ method: 'HEAD', path: `/api/2.0/fs/directories${escapePath(path)}`, signal });
      await response.body?.cancel();
      return true;
    } catch (err) {
      if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_FOUND') return false;
      throw err;
    }
  }

  // ---- DBFS (legacy; the fallback where no volume is available) ----

  async dbfsCreate(path: string, overwrite: boolean, signal?: AbortSignal): Promise<string> {
    // Creating with overwrite is idempotent (a lost answer leaves at most an unused handle): retry it fully.
    const answer = await this.http.json<{ handle: unknown }>({
      method: 'POST',
      path: '/api/2.0/dbfs/create',
      json: { path: dbfsPath(path), overwrite },
      signal,
      retry: overwrite ? 'all' : 'status',
    });
    return String(answer.handle);
  }

  /** One block of at most 1 MB. Network errors are not retried here: the caller restarts the file. */
  async dbfsAddBlock(handle: string, data: Buffer, signal?: AbortSignal): Promise<void> {
    await this.http.json({
      method: 'POST',
      path: '/api/2.0/dbfs/add-block',
      json: { handle: handleLiteral(handle), data: data.toString('base64') },
      signal,
      retry: 'status',
    });
  }

  async dbfsClose(handle: string, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: '/api/2.0/dbfs/close', json: { handle: handleLiteral(handle) }, signal, retry: 'status' });
  }

  async dbfsGetStatus(path: string, signal?: AbortSignal): Promise<{ path: string; is_dir: boolean; file_size: number } | null> {
    try {
      return await this.http.json({ method: 'GET', path: '/api/2.0/dbfs/get-status', query: { path: dbfsPath(path) }, signal });
    } catch (err) {
      if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_FOUND') return null;
      throw err;
    }
  }

  async dbfsMkdirs(path: string, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: '/api/2.0/dbfs/mkdirs', json: { path: dbfsPath(path) }, signal });
  }

  async dbfsDelete(path: string, recursive = false, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: '/api/2.0/dbfs/delete', json: { path: dbfsPath(path), recursive }, signal });
  }

  /** At most 1 MB per read; `data` comes back base64. */
  async dbfsRead(path: string, offset: number, length: number, signal?: AbortSignal): Promise<{ bytesRead: number; data: Buffer }> {
    const answer = await this.http.json<{ bytes_read: number; data: string }>({
      method: 'GET',
      path: '/api/2.0/dbfs/read',
      query: { path: dbfsPath(path), offset, length },
      signal,
    });
    return { bytesRead: answer.bytes_read ?? 0, data: Buffer.from(answer.data ?? '', 'base64') };
  }

  // ---- Workspace ----

  async workspaceMkdirs(path: string, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: '/api/2.0/workspace/mkdirs', json: { path }, signal });
  }

  async workspaceGetStatus(path: string, signal?: AbortSignal): Promise<{ path: string; object_type: string } | null> {
    try {
      return await this.http.json({ method: 'GET', path: '/api/2.0/workspace/get-status', query: { path }, signal });
    } catch (err) {
      if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_FOUND') return null;
      throw err;
    }
  }

  /** Imports source (≤ 10 MB); a SOURCE/PYTHON import becomes a notebook usable by notebook_task. */
  async workspaceImport(
    path: string,
    content: Buffer,
    options: { format?: 'SOURCE' | 'AUTO' | 'JUPYTER' | 'RAW'; language?: 'PYTHON'; overwrite?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<void> {
    if (content.length > 10 * 1024 * 1024)
      throw new StudioError('DATABRICKS_INVALID', `The workspace import limit is 10 MB; ${path} is ${content.length} bytes.`);
    await this.http.json({
      method: 'POST',
      path: '/api/2.0/workspace/import',
      json: {
        path,
        content: content.toString('base64'),
        format: options.format ?? 'SOURCE',
        language: options.language ?? 'PYTHON',
        overwrite: options.overwrite ?? true,
      },
      signal,
    });
  }
}

/** DBFS takes `/x/y` or `dbfs:/x/y`; the API wants the former. */
export function dbfsPath(path: string): string {
  return path.startsWith('dbfs:') ? path.slice('dbfs:'.length) : path;
}

function handleLiteral(handle: string) {
  return /^\d+$/.test(handle) ? idLiteral(handle) : handle;
}
