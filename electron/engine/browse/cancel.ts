/**
 * Cancelling what a page request runs when its client no longer wants it (the grid scrolled
 * past, the view changed): `dataset/page` gets the request's AbortSignal from the RPC server.
 *
 * - A statement of the request's own runs on a connection of its own; an abort sends PostgreSQL a
 *   cancel request for it (the protocol's CancelRequest on a separate socket, as `pg` does: it
 *   needs no free connection of the pool, which may be full of the very queries to cancel), and
 *   the connection is then closed instead of going back to the pool, so a cancel that arrives late
 *   can never stop another request's statement.
 * - Work several requests wait for (a view's first row ids) is stopped when every request that
 *   waits for it has given up (`SharedWork`); work kept for later requests (a view's count, its row
 *   map) is never stopped: the request just stops waiting for it (`unlessAborted`).
 */
import pg from 'pg';
import { cancelledError, throwIfCancelled } from '../../../shared/errors';
import { pgError, type Database } from '../db/database';

const MESSAGE = 'Request cancelled.';

/** What `pg` keeps of a connection that a cancel request names (not in its type declarations). */
interface BackendKey {
  processID: number | null;
  secretKey: number | null;
}

/** The parts of a `pg` client a cancel request goes through: its address and its protocol connection. */
interface CancelLink {
  host: string;
  port: number;
  connection: {
    on(event: 'connect' | 'error', listener: () => void): void;
    connect(port: number | string, host?: string): void;
    cancel(processID: number, secretKey: number): void;
  };
}

/**
 * Sends PostgreSQL a cancel request for whatever statement runs on `client` (as `pg`'s own
 * `Client.cancel` does, on a new socket that the server closes once it has read the request).
 * A connection running no statement ignores it.
 */
function sendCancel(pool: pg.Pool, client: pg.PoolClient): void {
  const { processID, secretKey } = client as unknown as BackendKey;
  if (processID === null || secretKey === null) return;
  const link = new pg.Client((pool as unknown as { options: pg.ClientConfig }).options) as unknown as CancelLink;
  const con = link.connection;
  con.on('error', () => undefined); // nothing to do if it cannot be sent: the connection is closed anyway
  con.on('connect', () => con.cancel(processID, secretKey));
  if (link.host.startsWith('/')) con.connect(`${link.host}/.s.PGSQL.${link.port}`);
  else con.connect(link.port, link.host);
}

/**
 * Runs `fn` on a connection of its own; aborting `signal` cancels the statement running on it and
 * ends `fn` with CANCELLED. Without a signal it is `db.withClient`.
 */
export async function withCancellableClient<T>(
  db: Database,
  signal: AbortSignal | undefined,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if (!signal) return db.withClient(fn);
  throwIfCancelled(signal, MESSAGE);
  const pool = await db.pool();
  const client = await pool.connect().catch((err: unknown) => {
    throw pgError(err);
  });
  if (signal.aborted) {
    client.release();
    throw cancelledError(MESSAGE);
  }
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    sendCancel(pool, client);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await fn(client);
    throwIfCancelled(signal, MESSAGE);
    return result;
  } catch (err) {
    throwIfCancelled(signal, MESSAGE); // PostgreSQL's 57014 (query_canceled) is this request's cancel
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    client.release(cancelled ? new Error('cancelled: not reused') : undefined);
  }
}

/** One statement as rows of arrays, cancellable through `signal`. */
export async function cancellableQuery<R extends pg.QueryResultRow>(
  db: Database,
  signal: AbortSignal | undefined,
  config: pg.QueryConfig,
): Promise<pg.QueryResult<R>> {
  return withCancellableClient(db, signal, async (client) => {
    try {
      return await client.query<R>(config);
    } catch (err) {
      throw pgError(err);
    }
  });
}

/** `promise`, or CANCELLED as soon as `signal` aborts (the work itself goes on). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(cancelledError(MESSAGE));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError(MESSAGE));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Work that several requests may wait for. It gets its own signal, aborted once every request
 * that joined has aborted; a request without a signal keeps it going to the end.
 */
export class SharedWork<T> {
  private readonly controller = new AbortController();
  private waiting = 0;
  private pinned = false;
  private settled = false;
  readonly promise: Promise<T>;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    this.promise = run(this.controller.signal);
    this.promise.then(
      () => (this.settled = true),
      () => (this.settled = true),
    );
  }

  /** The work's result for one request; CANCELLED for it as soon as its own signal aborts. */
  join(signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
      this.pinned = true;
      return this.promise;
    }
    if (signal.aborted) return unlessAborted(this.promise, signal);
    this.waiting++;
    signal.addEventListener(
      'abort',
      () => {
        this.waiting--;
        if (this.waiting === 0 && !this.pinned && !this.settled) this.controller.abort();
      },
      { once: true },
    );
    return unlessAborted(this.promise, signal);
  }
}
