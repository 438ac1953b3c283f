/** Builds a Databricks client from a resolved configuration (auth, retries, clock). */
import { silentLogger, type Logger } from '../log';
import { OAuthM2MAuth, TokenAuth, type AuthProvider } from './auth';
import { DatabricksClient } from './client';
import { realClock, type Clock } from './clock';
import type { ResolvedDatabricksConfig } from './config';
import { HttpClient } from './http';
import { defaultRetryPolicy } from './retry';

export interface ConnectOptions {
  fetch?: typeof fetch;
  clock?: Clock;
  log?: Logger;
}

export function connectDatabricks(config: ResolvedDatabricksConfig, options: ConnectOptions = {}): DatabricksClient {
  const clock = options.clock ?? realClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const retry = defaultRetryPolicy(clock, config.retryBudgetMs);
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
