/**
 * A lean `COPY … TO STDOUT` reader for node-postgres. It takes over the connection's socket for
 * the duration of the copy (as pg-copy-streams does), but instead of emitting each row it copies
 * the CopyData payloads straight into large batch buffers: PostgreSQL sends exactly one CopyData
 * message per row, so every batch ends on a row boundary and can be parsed on its own. At
 * CopyDone (or an ErrorResponse) the socket goes back to node-postgres, which finishes the query.
 */
import type { Socket } from 'node:net';

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

interface PgConnection {
  stream: Socket;
  query(text: string): void;
}

type DataHandler = (chunk: Buffer) => void;

export interface CopyOutOptions {
  /** Bytes per batch handed to `onBatch` (default 16 MB; a longer row makes its batch longer). */
  batchBytes?: number;
  /**
   * Receives row-aligned batches; may be slow (the socket waits, PostgreSQL waits). The batch
   * buffer is reused once it returns, so it must copy (parse) what it keeps, synchronously.
   */
  onBatch: (batch: Buffer) => void;
}

/** A submittable for `client.query(...)`: resolves `done` once the server is ready again. */
export class CopyOut {
  readonly done: Promise<number>;
  bytes = 0;
  private resolve!: (rows: number) => void;
  private reject!: (err: Error) => void;
  private connection: PgConnection | null = null;
  private pgHandler: DataHandler | null = null;
  private rows = 0;
  private batch: Buffer;
  private used = 0;
  /** Bytes of a message header or payload split across socket chunks. */
  private carry: Buffer | null = null;
  private finished = false;
  private failure: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly options: CopyOutOptions,
  ) {
    this.batch = Buffer.allocUnsafe(options.batchBytes ?? 16 * 1024 * 1024);
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Callers await `done`; a rejection before they do must not count as unhandled.
    this.done.catch(() => undefined);
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    const listeners = connection.stream.listeners('data') as DataHandler[];
    if (listeners.length !== 1) throw new Error('unexpected socket listeners on the PostgreSQL connection');
    this.pgHandler = listeners[0]!;
    connection.stream.removeListener('data', this.pgHandler);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
  }

  /** Stops reading; the caller must discard the connection. */
  abort(err: Error): void {
    this.failure ??= err;
    this.connection?.stream.removeListener('data', this.onData);
    this.reject(err);
  }

  private onData = (chunk: Buffer): void => {
    try {
      this.parse(this.carry ? Buffer.concat([this.carry, chunk]) : chunk);
    } catch (err) {
      this.abort(err instanceof Error ? err : new Error(String(err)));
    }
  };

  private parse(buf: Buffer): void {
    this.carry = null;
    let pos = 0;
    const end = buf.length;
    while (pos < end) {
      if (end - pos < 5) break;
      const code = buf[pos]!;
      const length = buf.readUInt32BE(pos + 1);
      if (code === ERROR_RESPONSE) return this.handBack(buf.subarray(pos));
      if (code === COPY_DONE) {
        this.flush();
        // node-postgres never sees the copy itself: it resumes at CommandComplete.
        return this.handBack(buf.subarray(pos + 1 + length));
      }
      const total = 1 + length;
      if (end - pos < total) break;
      // CopyOutResponse, and notices interleaved with the data, are skipped.
      if (code === COPY_DATA) this.append(buf, pos + 5, pos + total);
      pos += total;
    }
    if (pos < end) this.carry = Buffer.from(buf.subarray(pos));
  }

  private append(buf: Buffer, start: number, stop: number): void {
    const n = stop - start;
    this.rows++;
    this.bytes += n;
    if (this.used + n > this.batch.length) {
      this.flush();
      if (n > this.batch.length) this.batch = Buffer.allocUnsafe(n);
    }
    buf.copy(this.batch, this.used, start, stop);
    this.used += n;
  }

  private flush(): void {
    if (!this.used) return;
    const full = this.batch.subarray(0, this.used);
    this.used = 0;
    // One buffer for the whole copy: a fresh 16 MB per batch would be new memory for the kernel
    // to hand out page by page, for every batch.
    this.options.onBatch(full);
  }

  private handBack(rest: Buffer): void {
    const connection = this.connection!;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', this.pgHandler!);
    this.pgHandler!(rest);
  }

  // node-postgres calls these on the active query once it parses the rest of the exchange.
  handleError(err: Error): void {
    this.failure ??= err;
  }

  handleCommandComplete(): void {
    this.finished = true;
  }

  handleReadyForQuery(): void {
    if (this.failure) this.reject(this.failure);
    else if (this.finished) this.resolve(this.rows);
    else this.reject(new Error('COPY ended without completing'));
  }
}
