/** Builds a Databricks client from a resolved configuration (auth, retries, clock). */
import { silentLogger, type Logger } from '../log';
import { OAuthM2MAuth, TokenAuth, type AuthProvider } from './auth';
import { DatabricksClient } from './client';
import { realClock, type Clock } from '../clock';
import type { RetryPolicy } from '../retry';
import type { ResolvedDatabricksConfig } from './config';
import { HttpClient } from './http';

/**
 * Databricks calls retry 429 and 503 (honouring Retry-After), 502/504 and network errors within a
 * total time budget rather than a number of tries (the official SDKs allow about 5 minutes):
 * waits of 1 s doubling up to 30 s, plus up to 1 s of jitter.
 */
export function databricksRetryPolicy(clock: Clock, budgetMs: number): RetryPolicy {
  return { attempts: Infinity, budgetMs, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 'added', clock };
}

export interface ConnectOptions {
  fetch?: typeof fetch;
  clock?: Clock;
  log?: Logger;
}

export function connectDatabricks(config: ResolvedDatabricksConfig, options: ConnectOptions = {}): DatabricksClient {
  const clock = options.clock ?? realClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const retry = databricksRetryPolicy(clock, config.retryBudgetMs);
  const auth: AuthProvider =
    config.auth.kind === 'token'
      ? new TokenAuth(config.auth.token)
      : new OAuthM2MAuth({
          host: config.host,
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          fetch: doFetch,
          clock,
          retry,
        });
  const http = new HttpClient({
    host: config.host,
    auth,
    fetch: doFetch,
    retry,
    log: options.log ?? silentLogger,
    userAgent: 'sparkpolar-studio/0.1',
  });
  return new DatabricksClient(http);
}
