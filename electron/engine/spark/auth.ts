/**
 * Credentials for Databricks calls: a personal access token, or OAuth machine-to-machine
 * (a service principal's client id and secret exchanged for a one-hour access token, refreshed
 * well before it expires because servers were seen rejecting tokens ~30 s early).
 */
import { StudioError, throwIfCancelled } from '../../../shared/errors';
import type { Clock } from '../clock';
import { databricksError, networkError, parseErrorBody } from './databricks-errors';
import { parseRetryAfter, withRetries, type RetryPolicy } from '../retry';

export interface AuthProvider {
  readonly kind: 'token' | 'oauth-m2m';
  /** The Authorization header value. */
  authorization(signal?: AbortSignal): Promise<string>;
  /** Forget a cached token (after the server refused it) so the next call fetches a new one. */
  invalidate(): void;
}

export class TokenAuth implements AuthProvider {
  readonly kind = 'token';
  constructor(private readonly token: string) {
    if (!token) throw new StudioError('DATABRICKS_NOT_CONFIGURED', 'The Databricks token is empty.');
  }
  async authorization(): Promise<string> {
    return `Bearer ${this.token}`;
  }
  invalidate(): void {}
}

export interface OAuthOptions {
  host: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  clock: Clock;
  retry: RetryPolicy;
  /** Refresh this long before expiry at most (default 5 minutes; half the lifetime for short tokens). */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

export class OAuthM2MAuth implements AuthProvider {
  readonly kind = 'oauth-m2m';
  private token: CachedToken | null = null;
  private pending: Promise<CachedToken> | null = null;
  private tokenEndpoint: string | null = null;
  /** How many tokens were fetched (tests check refresh behaviour through it). */
  fetchedTokens = 0;

  constructor(private readonly options: OAuthOptions) {
    if (!options.clientId || !options.clientSecret)
      throw new StudioError('DATABRICKS_NOT_CONFIGURED', 'OAuth needs both a client id and a client secret.');
  }

  async authorization(signal?: AbortSignal): Promise<string> {
    const now = this.options.clock.now();
    if (!this.token || now >= this.token.expiresAt) {
      this.pending ??= this.fetchToken(signal).finally(() => (this.pending = null));
      this.token = await this.pending;
    }
    return `Bearer ${this.token.value}`;
  }

  invalidate(): void {
    this.token = null;
  }

  private async discover(signal?: AbortSignal): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    const url = `${this.options.host}/oidc/.well-known/oauth-authorization-server`;
    const doc = await this.send<{ token_endpoint?: string }>('GET', url, '/oidc/.well-known/oauth-authorization-server', undefined, signal);
    this.tokenEndpoint = doc.token_endpoint || `${this.options.host}/oidc/v1/token`;
    return this.tokenEndpoint;
  }

  private async fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const endpoint = await this.discover(signal);
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'all-apis' });
    const basic = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString(
      'base64',
    );
    const answer = await this.send<{ access_token?: string; expires_in?: number }>(
      'POST',
      endpoint,
      new URL(endpoint).pathname,
      { form, basic },
      signal,
    );
    if (!answer.access_token) throw new StudioError('DATABRICKS_AUTH_FAILED', 'The OAuth token endpoint answered without an access token.');
    const lifetimeMs = (Number(answer.expires_in) || 3600) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 5 * 60_000, lifetimeMs / 2);
    this.fetchedTokens++;
    return { value: answer.access_token, expiresAt: this.options.clock.now() + lifetimeMs - margin };
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    path: string,
    post: { form: URLSearchParams; basic: string } | undefined,
    signal?: AbortSignal,
  ): Promise<T> {
    const { clock } = this.options;
    return withRetries<T, StudioError>(
      this.options.retry,
      async () => {
        let response: Response;
        try {
          response = await this.options.fetch(url, {
            method,
            signal: signal ?? null,
            headers: post
              ? { authorization: `Basic ${post.basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
              : { accept: 'application/json' },
            ...(post ? { body: post.form.toString() } : {}),
          });
        } catch (err) {
          throwIfCancelled(signal);
          return { ok: false, error: networkError(err, { method, path }), decision: { retry: true } };
        }
        const text = await response.text();
        if (response.ok) {
          try {
            return { ok: true, value: JSON.parse(text) as T };
          } catch {
            return {
              ok: false,
              error: new StudioError('DATABRICKS_AUTH_FAILED', `The OAuth endpoint ${path} did not answer JSON.`),
              decision: { retry: false },
            };
          }
        }
        const body = parseErrorBody(text, response.headers.get('content-type') ?? '');
        // The token endpoint says 400/401 invalid_client for a wrong id or secret.
        const error =
          post && response.status < 500 && response.status !== 429
            ? new StudioError(
                'DATABRICKS_AUTH_FAILED',
                `Databricks refused the OAuth client credentials: ${body.message || body.errorCode || `HTTP ${response.status}`}`,
                { status: response.status },
              )
            : databricksError(response.status, body, { method, path });
        const retry = response.status === 429 || response.status === 503 || response.status === 502 || response.status === 504;
        return retry
          ? { ok: false, error, decision: { retry: true, afterMs: parseRetryAfter(response.headers.get('retry-after'), clock.now()) } }
          : { ok: false, error, decision: { retry: false } };
      },
      { signal },
    );
  }
}
