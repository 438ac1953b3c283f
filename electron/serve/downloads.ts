/**
 * Browser mode's GET /download?path=…: hands the browser a file the engine exported, and only
 * files inside the data folder's exports folder (symlinks resolved first, so none leads out).
 * The request is authorised by the same token cookie as everything else on the server.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { mediaType } from '../../shared/mime';

/** The exports folder of a data folder (browser mode knows its upload folder, `<home>/uploads`). */
export function exportsDirFor(uploadDir: string): string {
  return path.join(path.dirname(path.resolve(uploadDir)), 'exports');
}

/** The real path of `requested` when it is a file inside `exportsDir`, else null. */
export function resolveDownload(requested: string | null, exportsDir: string): string | null {
  if (!requested || requested.includes('\0')) return null;
  try {
    const root = fs.realpathSync(exportsDir);
    const real = fs.realpathSync(path.resolve(root, requested));
    if (!real.startsWith(root + path.sep) || !fs.statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

export function serveDownload(
  res: http.ServerResponse,
  requested: string | null,
  exportsDir: string,
  headers: Record<string, string>,
): void {
  const file = resolveDownload(requested, exportsDir);
  if (!file) {
    res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('No such export.\n');
    return;
  }
  const name = path.basename(file);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    ...headers,
    'content-type': mediaType(name),
    'content-length': String(fs.statSync(file).size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    // An exported HTML report must not run as a page of this origin.
    'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
  });
  sendFile(file, res);
}

/** Pipes a file to a response; a read error ends the response, never the process. */
export function sendFile(file: string, res: http.ServerResponse): void {
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
