/**
 * Files that are still arriving: browser mode writes a dropped file into the upload folder while
 * the import already reads it, so the import does not wait for the whole upload. The upload is
 * written at known offsets (the ranges the profiler samples first, then the file in order); a
 * reader asks for a byte range and waits until every byte of it has been written. Correctness
 * never depends on the order: a range not yet written is simply waited for.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { StudioError } from '../../../shared/errors';

type Range = [start: number, end: number];

interface Waiter {
  start: number;
  end: number;
  resolve(): void;
  reject(err: Error): void;
}

/** One upload in progress: which byte ranges of the file are on disk. */
export class Arrival {
  /** Written ranges, sorted and disjoint (adjacent ranges merged). */
  private written: Range[] = [];
  private waiters: Waiter[] = [];
  private failure: Error | null = null;
  private complete = false;

  constructor(
    readonly file: string,
    readonly size: number,
  ) {}

  /** The upload wrote bytes [start, end). */
  wrote(start: number, end: number): void {
    if (end <= start) return;
    const merged: Range[] = [];
    let next: Range = [start, end];
    for (const r of this.written) {
      if (r[1] < next[0]) merged.push(r);
      else if (next[1] < r[0]) {
        merged.push(next);
        next = r;
      } else next = [Math.min(r[0], next[0]), Math.max(r[1], next[1])];
    }
    merged.push(next);
    this.written = merged;
    this.waiters = this.waiters.filter((w) => {
      if (!this.has(w.start, w.end)) return true;
      w.resolve();
      return false;
    });
  }

  /** Every byte is on disk. */
  finish(): void {
    this.complete = true;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** The upload broke off: every reader waiting, and every later one, gets this error. */
  fail(reason: string): void {
    if (this.complete) return;
    this.failure = new StudioError(
      'FILE_NOT_FOUND',
      `The upload of the file did not complete: ${reason}. Nothing was imported.`,
      { path: this.file },
      'Drop the file on the window again.',
    );
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  get done(): boolean {
    return this.complete;
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Throws the upload's error when it broke off. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private has(start: number, end: number): boolean {
    const to = Math.min(end, this.size);
    if (to <= start) return true;
    return this.written.some((r) => r[0] <= start && r[1] >= to);
  }

  /** Resolves once bytes [start, end) (cut at the file's size) are on disk. */
  ready(start: number, end: number, signal?: AbortSignal): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.complete || this.has(start, end)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new StudioError('CANCELLED', 'Import cancelled.'));
      };
      const waiter: Waiter = {
        start,
        end,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }
}

/** How many broken-off uploads are remembered, so that an import starting late still says why. */
const FAILED_KEPT = 64;

/** The engine's uploads in progress, by absolute path. */
export class ArrivingFiles {
  private readonly arrivals = new Map<string, Arrival>();
  private readonly failed = new Map<string, Arrival>();

  begin(file: string, size: number): Arrival {
    const arrival = new Arrival(file, size);
    this.arrivals.set(file, arrival);
    return arrival;
  }

  /** The upload still arriving at this path, or one that broke off; a finished one is forgotten. */
  of(file: string): Arrival | undefined {
    return this.arrivals.get(file) ?? this.failed.get(file);
  }

  /** Forgets an upload once it has finished; one that failed is remembered a while, for its error. */
  end(file: string): void {
    const arrival = this.arrivals.get(file);
    this.arrivals.delete(file);
    if (!arrival?.failed) return;
    this.failed.set(file, arrival);
    if (this.failed.size > FAILED_KEPT) this.failed.delete(this.failed.keys().next().value!);
  }
}

/**
 * The file from `start` to its end in chunks of up to `chunkBytes`, each read once it is on disk:
 * what `fs.createReadStream` gives for a file already whole.
 */
export function arrivingChunks(arrival: Arrival, start: number, chunkBytes: number, signal?: AbortSignal): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const fd = await fs.promises.open(arrival.file, 'r');
    try {
      for (let at = start; at < arrival.size;) {
        const end = Math.min(arrival.size, at + chunkBytes);
        await arrival.ready(at, end, signal);
        const buf = Buffer.allocUnsafe(end - at);
        const { bytesRead } = await fd.read(buf, 0, buf.length, at);
        if (bytesRead !== buf.length)
          throw new StudioError('FILE_NOT_FOUND', `The uploaded file is shorter than announced.`, { path: arrival.file });
        at = end;
        yield buf;
      }
    } finally {
      await fd.close();
    }
  }
  return Readable.from(chunks(), { objectMode: true });
}
