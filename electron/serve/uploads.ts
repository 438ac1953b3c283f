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
import type { Arrival, ArrivingFiles } from '../engine/ingest/arriving';
import { sampledRanges } from '../engine/ingest/sample';

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

/** Why a file of `size` bytes cannot be uploaded here (too large, or not enough free space), or null. */
function refusal(size: number, dir: string, limits: UploadLimits): { status: number; body: Record<string, unknown> } | null {
  if (size > limits.maxBytes)
    return {
      status: 413,
      body: {
        error: `The file is larger than the ${Math.round(limits.maxBytes / 1024 ** 3)} GB browser-mode limit; import it with \`sparkpolar import\` instead.`,
      },
    };
  fs.mkdirSync(dir, { recursive: true });
  const free = (limits.freeBytes ?? statfsFree)(dir);
  if (free !== null && size + FREE_SPACE_MARGIN > free)
    return {
      status: 507,
      body: {
        error: `Not enough disk space for the upload: it needs ${(size / 1e9).toFixed(2)} GB and ${(free / 1e9).toFixed(2)} GB is free in the data folder.`,
        code: 'DISK_FULL',
      },
    };
  return null;
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
  const refused = refusal(length, dir, limits);
  if (refused) return answer(res, refused.status, headers, refused.body);
  const target = path.join(dir, `${randomUUID()}-${name}`);
  limits.observe?.({ phase: 'start', bytes: length, at: Date.now() });
  try {
    const handle = await fs.promises.open(target, 'wx');
    try {
      // A client that stops early (closed tab, broken connection) leaves a short file: not an upload.
      await writeSegments(req, handle, [[0, length]], () => undefined);
    } finally {
      await handle.close();
    }
    limits.observe?.({ phase: 'end', bytes: length, at: Date.now() });
    answer(res, 200, headers, { path: target, name });
  } catch (err) {
    limits.observe?.({ phase: 'failed', bytes: length, at: Date.now() });
    fs.rmSync(target, { force: true });
    answerFailure(res, headers, err);
  }
}

/** The answer to an upload that broke off: 507 when the disk filled up, else 400 with the reason. */
function answerFailure(res: http.ServerResponse, headers: Record<string, string>, err: unknown): void {
  const code = (err as NodeJS.ErrnoException).code;
  answer(res, code === 'ENOSPC' ? 507 : 400, headers, {
    error: code === 'ENOSPC' ? 'The disk filled up during the upload.' : `The upload did not complete: ${(err as Error).message}`,
  });
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

/** A dropped file whose import may start before its bytes are all here (`POST /upload/begin`, then `POST /upload?id=`). */
interface OpenUpload {
  target: string;
  name: string;
  size: number;
  /** The body's segments in order: the ranges the importer samples first, then the whole file. */
  segments: Array<[start: number, end: number]>;
  arrival: Arrival;
  /** Set once the body has started; an upload whose body never comes is abandoned. */
  receiving: boolean;
  timer: NodeJS.Timeout;
}

/** How long a begun upload waits for its body before it is abandoned (the import then fails). */
const BODY_WAIT_MS = 60_000;

/**
 * Browser mode's uploads that the import reads while they arrive. `begin` reserves the file at
 * its full size and answers with the byte ranges the importer samples first; the page then sends
 * those ranges followed by the whole file in one body, and the engine's `ArrivingFiles` tells the
 * import which bytes are on disk.
 */
export class ArrivingUploads {
  private readonly open = new Map<string, OpenUpload>();

  constructor(
    private readonly dir: string,
    private readonly arriving: ArrivingFiles,
    private readonly limits: UploadLimits,
  ) {}

  begin(req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): void {
    const name = uploadName(req.headers['x-file-name']);
    if (name === null) return answer(res, 400, headers, { error: 'x-file-name is not valid percent-encoding.' });
    const rawSize = req.headers['x-file-size'];
    const size = Number(rawSize);
    if (typeof rawSize !== 'string' || !/^\d+$/.test(rawSize) || !Number.isSafeInteger(size))
      return answer(res, 400, headers, { error: 'x-file-size must give the size of the file in bytes.' });
    const refused = refusal(size, this.dir, this.limits);
    if (refused) return answer(res, refused.status, headers, refused.body);
    const target = path.join(this.dir, `${randomUUID()}-${name}`);
    // The whole size at once: the importer reads the ranges it samples before the bytes between them.
    const fd = fs.openSync(target, 'wx');
    try {
      fs.ftruncateSync(fd, size);
    } finally {
      fs.closeSync(fd);
    }
    const id = randomUUID();
    const first = sampledRanges(size);
    const upload: OpenUpload = {
      target,
      name,
      size,
      segments: [...first, [0, size]],
      arrival: this.arriving.begin(target, size),
      receiving: false,
      timer: setTimeout(() => {
        if (!upload.receiving) this.abandon(id, 'its body never came');
      }, BODY_WAIT_MS),
    };
    upload.timer.unref();
    this.open.set(id, upload);
    this.limits.observe?.({ phase: 'start', bytes: size, at: Date.now() });
    answer(res, 200, headers, { id, path: target, name, first });
  }

  async receive(req: http.IncomingMessage, res: http.ServerResponse, id: string, headers: Record<string, string>): Promise<void> {
    const upload = this.open.get(id);
    if (!upload || upload.receiving) return answer(res, 404, headers, { error: 'No upload is waiting under this id.' });
    upload.receiving = true;
    clearTimeout(upload.timer);
    const expected = upload.segments.reduce((sum, [a, b]) => sum + (b - a), 0);
    if (Number(req.headers['content-length']) !== expected) {
      this.abandon(id, 'its body had the wrong length');
      return answer(res, 400, headers, { error: `The body must be ${expected} bytes: the ranges asked for first, then the file.` });
    }
    const handle = await fs.promises.open(upload.target, 'r+');
    try {
      // No fsync: the file is read back through the page cache and deleted once imported, so
      // forcing it to disk would only add its size in writes beside PostgreSQL's own.
      await writeSegments(req, handle, upload.segments, (start, end) => upload.arrival.wrote(start, end));
      upload.arrival.finish();
      this.forget(id);
      this.limits.observe?.({ phase: 'end', bytes: upload.size, at: Date.now() });
      answer(res, 200, headers, { path: upload.target, name: upload.name });
    } catch (err) {
      this.abandon(id, (err as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk filled up' : (err as Error).message);
      answerFailure(res, headers, err);
    } finally {
      await handle.close();
    }
  }

  /** Fails the import reading this upload and removes the file. */
  private abandon(id: string, reason: string): void {
    const upload = this.open.get(id);
    if (!upload) return;
    upload.arrival.fail(reason);
    this.forget(id);
    this.limits.observe?.({ phase: 'failed', bytes: upload.size, at: Date.now() });
    fs.rmSync(upload.target, { force: true });
  }

  private forget(id: string): void {
    const upload = this.open.get(id);
    if (!upload) return;
    clearTimeout(upload.timer);
    this.open.delete(id);
    this.arriving.end(upload.target);
  }

  /** Abandons every upload still open (the server is closing). */
  close(): void {
    for (const id of [...this.open.keys()]) this.abandon(id, 'the server closed');
  }
}

/**
 * Writes the body into the file: each segment's bytes at the segment's offsets, in writes of about
 * WRITE_BUFFER_BYTES (large writes: fewer system calls while the browser streams the body),
 * telling `wrote` after each one. A body shorter than its segments fails.
 */
async function writeSegments(
  body: AsyncIterable<Buffer>,
  handle: fs.promises.FileHandle,
  segments: Array<[start: number, end: number]>,
  wrote: (start: number, end: number) => void,
): Promise<void> {
  let segment = 0;
  let offset = 0;
  /** Moves to the next segment that has bytes (a file of 0 bytes has none). */
  const enter = (index: number) => {
    segment = index;
    while (segments[segment] && segments[segment]![1] <= segments[segment]![0]) segment++;
    offset = segments[segment]?.[0] ?? 0;
  };
  enter(0);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (!pendingBytes) return;
    const start = offset - pendingBytes;
    const buffers = pending;
    const length = pendingBytes;
    pending = [];
    pendingBytes = 0;
    // The pieces as they came, in one system call: no copy into one buffer first.
    const { bytesWritten } = await handle.writev(buffers, start);
    if (bytesWritten < length) {
      const rest = Buffer.concat(buffers, length).subarray(bytesWritten);
      await handle.write(rest, 0, rest.length, start + bytesWritten);
    }
    wrote(start, start + length);
  };
  for await (const chunk of body) {
    let at = 0;
    while (at < chunk.length) {
      const current = segments[segment];
      if (!current) throw new Error('the body is longer than announced');
      const take = Math.min(chunk.length - at, current[1] - offset);
      pending.push(chunk.subarray(at, at + take));
      pendingBytes += take;
      offset += take;
      at += take;
      if (offset === current[1]) {
        await flush();
        enter(segment + 1);
      } else if (pendingBytes >= WRITE_BUFFER_BYTES) await flush();
    }
  }
  await flush();
  if (segment < segments.length) throw new Error('the upload ended before its Content-Length');
}
