/**
 * Browser mode's POST /upload: a dropped file streamed into `<home>/uploads` (never buffered
 * whole), refused up front when it is larger than the cap or than the free space, and removed if
 * the upload breaks off. The import deletes its upload once the table holds the rows; uploads that
 * were never imported (a failed import, a closed tab) are swept when the server starts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Larger than any CSV the app is meant for (the sampler and COPY stream, so size is not memory). */
export const DEFAULT_MAX_UPLOAD_BYTES = 32 * 1024 ** 3;
/** Left free after an upload, so the import that follows still has room for its table. */
const FREE_SPACE_MARGIN = 256 * 1024 ** 2;
/** An upload this recent may still be streaming into a second server on the same data folder. */
const SWEEP_GRACE_MS = 10 * 60 * 1000;
const WRITE_BUFFER_BYTES = 1024 * 1024;

export interface UploadLimits {
  maxBytes: number;
  /** Free bytes on the disk of `dir` (injected by tests; statfs otherwise). */
  freeBytes?(dir: string): number | null;
  /** Told when an accepted upload starts and ends (the benchmark's timeline; epoch milliseconds). */
  observe?(event: UploadEvent): void;
}

export interface UploadEvent {
  phase: 'start' | 'end' | 'failed';
  bytes: number;
  at: number;
}

function statfsFree(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function answer(res: http.ServerResponse, status: number, headers: Record<string, string>, body: Record<string, unknown>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Connection: close, so a refused body is not read (the client learns the answer before sending it all).
  res.writeHead(status, { ...headers, 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

/** The file name to keep for a dropped file (`x-file-name`, percent-encoded by the page), or null when malformed. */
export function uploadName(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return 'upload.csv';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return (
    path
      .basename(decoded.replace(/\\/g, '/'))
      .replace(/[^\w.\- ]+/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 120) || 'upload.csv'
  );
}

export async function receiveUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  dir: string,
  headers: Record<string, string>,
  limits: UploadLimits,
): Promise<void> {
  const name = uploadName(req.headers['x-file-name']);
  if (name === null) return answer(res, 400, headers, { error: 'x-file-name is not valid percent-encoding.' });
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0)
    return answer(res, 411, headers, { error: 'An upload needs a Content-Length.' });
  if (length > limits.maxBytes)
    return answer(res, 413, headers, {
      error: `The file is larger than the ${Math.round(limits.maxBytes / 1024 ** 3)} GB browser-mode limit; import it with \`sparkpolar import\` instead.`,
    });
  fs.mkdirSync(dir, { recursive: true });
  const free = (limits.freeBytes ?? statfsFree)(dir);
  if (free !== null && length + FREE_SPACE_MARGIN > free)
    return answer(res, 507, headers, {
      error: `Not enough disk space for the upload: it needs ${(length / 1e9).toFixed(2)} GB and ${(free / 1e9).toFixed(2)} GB is free in the data folder.`,
      code: 'DISK_FULL',
    });
  const target = path.join(dir, `${randomUUID()}-${name}`);
  limits.observe?.({ phase: 'start', bytes: length, at: Date.now() });
  try {
    // Large writes: fewer system calls and thread-pool round trips while the browser streams the body.
    await pipeline(req, fs.createWriteStream(target, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES }));
    // A client that stops early (closed tab, broken connection) leaves a short file: not an upload.
    if (fs.statSync(target).size !== length) throw new Error('the upload ended before its Content-Length');
    limits.observe?.({ phase: 'end', bytes: length, at: Date.now() });
    answer(res, 200, headers, { path: target, name });
  } catch (err) {
    limits.observe?.({ phase: 'failed', bytes: length, at: Date.now() });
    fs.rmSync(target, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    answer(res, code === 'ENOSPC' ? 507 : 400, headers, {
      error: code === 'ENOSPC' ? 'The disk filled up during the upload.' : `The upload did not complete: ${(err as Error).message}`,
    });
  }
}

/** Removes uploads left by earlier runs (not imported); returns how many. */
export function sweepUploads(dir: string, now = Date.now()): number {
  let swept = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    try {
      if (now - fs.lstatSync(file).mtimeMs < SWEEP_GRACE_MS) continue;
      fs.rmSync(file, { force: true, recursive: true });
      swept++;
    } catch {
      // gone already, or not ours to remove
    }
  }
  return swept;
}
