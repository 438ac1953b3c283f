/**
 * One Databricks HTTP call: auth header, JSON or streamed body, tolerant error parsing and
 * retries within the budget. Nothing here logs a header or a body (tokens travel in both).
 */
import { throwIfCancelled, type StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import type { AuthProvider } from './auth';
import { databricksError, networkError, parseErrorBody } from './databricks-errors';
import { parseJson, stringifyJson } from './json';
import { clockOf, parseRetryAfter, withRetries, type RetryDecision, type RetryPolicy } from '../retry';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE';

export interface CallOptions {
  method: HttpMethod;
  /** API path, e.g. `/api/2.2/jobs/runs/get`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body (RawJson fragments allowed). */
  json?: unknown;
  /** A streamed body; a factory because each retry needs a fresh stream. */
  body?: () => { stream: ReadableStream<Uint8Array>; length: number };
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Which failures are retried. `all`: 429/502/503/504 and network errors (safe for reads and
   * for POSTs protected by an idempotency token). `status`: only the answered 429/503 kind, never
   * a network error after which the server may have applied the call (DBFS add-block).
   */
  retry?: 'all' | 'status' | 'none';
  /** Job-creation throttling can arrive as 400 INVALID_STATE: retry it (submit only). */
  retryInvalidState?: boolean;
}

export interface HttpClientOptions {
  host: string;
  auth: AuthProvider;
  fetch: typeof fetch;
  retry: RetryPolicy;
  log: Logger;
  userAgent: string;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export class HttpClient {
  /** Calls made, retries included (tests and diagnostics). */
  attempts = 0;

  constructor(readonly options: HttpClientOptions) {}

  get host(): string {
    return this.options.host;
  }

  /** Calls and parses a JSON answer (an empty answer gives `{}`). */
  async json<T>(options: CallOptions): Promise<T> {
    const response = await this.call(options);
    const text = await response.text();
    return (text.trim() ? parseJson<T>(text) : {}) as T;
  }

  /** Calls and returns the successful response unread (downloads, HEAD). */
  async call(options: CallOptions): Promise<Response> {
    const { fetch: doFetch, retry, auth, log } = this.options;
    const url = this.url(options);
    const describe = { method: options.method, path: options.path };
    let reauthenticated = false;
    return withRetries<Response, StudioError>(
      retry,
      async () => {
        this.attempts++;
        const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...options.headers };
        headers.authorization = await auth.authorization(options.signal);
        let body: RequestInit['body'];
        if (options.json !== undefined) {
          headers['content-type'] = 'application/json';
          body = stringifyJson(options.json);
        } else if (options.body) {
          const made = options.body();
          headers['content-type'] ??= 'application/octet-stream';
          headers['content-length'] = String(made.length);
          body = made.stream;
        }
        let response: Response;
        try {
          response = await doFetch(url, {
            method: options.method,
            headers,
            body: body ?? null,
            signal: options.signal ?? null,
            ...(options.body ? { duplex: 'half' } : {}),
          } as RequestInit);
        } catch (err) {
          throwIfCancelled(options.signal);
          const error = networkError(err, describe);
          log.debug('databricks call failed', { ...describe, reason: error.message });
          return { ok: false, error, decision: { retry: (options.retry ?? 'all') === 'all' } };
        }
        if (response.ok) return { ok: true, value: response };
        const text = options.method === 'HEAD' ? '' : await response.text().catch(() => '');
        const parsed = parseErrorBody(text, response.headers.get('content-type') ?? '');
        const error = databricksError(response.status, parsed, describe);
        log.debug('databricks call refused', { ...describe, status: response.status, errorCode: parsed.errorCode });
        if (
          (response.status === 401 || response.status === 403) &&
          auth.kind === 'oauth-m2m' &&
          !reauthenticated &&
          error.code === 'DATABRICKS_AUTH_FAILED'
        ) {
          // An OAuth token can be refused shortly before its stated expiry: fetch a new one once.
          reauthenticated = true;
          auth.invalidate();
          return { ok: false, error, decision: { retry: true, afterMs: 0 } };
        }
        return { ok: false, error, decision: this.decide(options, response, parsed.errorCode) };
      },
      {
        signal: options.signal,
        onRetry: ({ attempt, waitMs, error }) =>
          log.info('retrying databricks call', { ...describe, attempt, waitMs: Math.round(waitMs), code: error.code }),
      },
    );
  }

  private decide(options: CallOptions, response: Response, errorCode: string): RetryDecision {
    const mode = options.retry ?? 'all';
    if (mode === 'none') return { retry: false };
    const throttledSubmit = options.retryInvalidState && response.status === 400 && errorCode === 'INVALID_STATE';
    if (!RETRY_STATUSES.has(response.status) && !throttledSubmit) return { retry: false };
    const afterMs = parseRetryAfter(response.headers.get('retry-after'), clockOf(this.options.retry).now());
    return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
  }

  private url(options: CallOptions): string {
    const url = new URL(`${this.options.host}${options.path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }
}

/** `https://x.cloud.databricks.com/` or `x.cloud.databricks.com` → `https://x.cloud.databricks.com`. */
export function normaliseHost(host: string): string {
  let h = host.trim();
  if (!/^https?:\/\//i.test(h)) h = `https://${h}`;
  const url = new URL(h);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
