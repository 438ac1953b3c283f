/**
 * Secrets belong to the endpoint they were entered for. Two rules, applied where settings are
 * saved and again where a connection is resolved (environment variables and profiles included):
 * - a stored secret is forgotten when its endpoint changes, unless it is entered again with it
 *   (so a typo'd or malicious host never receives the token meant for the real one);
 * - credentials are not sent in clear text to another machine: a plain `http://` Databricks host
 *   or object-storage endpoint that is not loopback is refused unless the user opts in.
 */
import { StudioError } from '../../../shared/errors';

/** `1` lets the environment's (or a profile's) plain-HTTP endpoints through, as the settings' opt-in does. */
export const INSECURE_HTTP_ENV = 'SPARKPOLAR_ALLOW_INSECURE_HTTP';

export function insecureHttpAllowedByEnv(env: NodeJS.ProcessEnv): boolean {
  return env[INSECURE_HTTP_ENV] === '1';
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/** `scheme://host[:port]` of an endpoint written with or without a scheme; null when it is not a URL. */
export function endpointOrigin(raw: string, defaultScheme: 'http' | 'https'): string | null {
  const text = raw.trim();
  if (!text) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${defaultScheme}://${text}`);
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/** Who a database password is for: the user at the server (the database name does not matter). */
export function databaseEndpoint(url: string): string | null {
  try {
    const u = new URL(url);
    return `${decodeURIComponent(u.username)}@${u.hostname.toLowerCase()}:${u.port || '5432'}`;
  } catch {
    return null;
  }
}

/** Refuses credentials for a plain-HTTP endpoint on another machine unless allowed. */
export function checkCleartextEndpoint(what: string, origin: string, allowed: boolean): void {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return; // not a URL: the caller's own validation says so
  }
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname) || allowed) return;
  throw new StudioError(
    'SETTINGS_INVALID',
    `${what} ${url.protocol}//${url.host} is plain HTTP to another machine: its credentials and data would cross the network unencrypted.`,
    { endpoint: `${url.protocol}//${url.host}` },
    `Use https://. On a network you trust, allow plain HTTP explicitly: "allowInsecureHttp" in the settings, or ${INSECURE_HTTP_ENV}=1.`,
  );
}
