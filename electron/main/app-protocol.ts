/**
 * Serves the built renderer on `app://studio/…` (a standard, secure scheme registered before
 * `ready`): the window never loads file:// URLs, so the CSP's 'self' and the IPC sender checks
 * mean exactly "the app's own pages". Each response carries the CSP header.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mediaType } from '../../shared/mime';
import { APP_HOST, APP_SCHEME } from './window';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // corsEnabled: the renderer's module scripts are fetched in CORS mode (same origin, no CORS headers sent).
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

/** Maps an app URL to a file inside `rendererDir`, or null (other host, traversal, not found). */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const root = path.resolve(rendererDir);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  } catch {
    return null;
  }
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

export function appProtocolHandler(rendererDir: string, csp: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.promises.readFile(file);
      const headers: Record<string, string> = {
        'content-type': mediaType(file),
        'x-content-type-options': 'nosniff',
        'content-security-policy': csp,
        'cache-control': 'no-cache',
      };
      return new Response(body, { status: 200, headers });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
