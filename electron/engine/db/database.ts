/**
 * The engine's PostgreSQL: embedded by default, external when a URL is given. The server is
 * started (or joined) on first need, and migrations run once per process before first use.
 */
import pg from 'pg';
import { StudioError } from '../../../shared/errors';
import type { DatabaseInfo } from '../../../shared/contract/system';
import type { Logger } from '../log';
import { ensureEmbeddedServer, type EmbeddedServer } from './embedded-server';
import { migrate } from './migrate';

// int8 and numeric arrive as strings by default; counts fit in a double, so parse int8 as number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * `environmentPassword: false`: a URL without a password is connected to with an empty one, not
 * with the PGPASSWORD node-postgres would otherwise take from the process (a URL from the settings).
 */
export type DatabaseSource = { kind: 'embedded'; home: string } | { kind: 'external'; url: string; environmentPassword?: boolean };

export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid URL';
  }
}

/**
 * A connection whose URL has no password, sent an empty one: node-postgres would otherwise take
 * the process's PGPASSWORD (or ~/.pgpass), even when the option says '' (it reads '' as unset).
 */
export class NoEnvironmentPasswordClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    (this as unknown as { password: string }).password = '';
  }
}

export function urlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/** Maps connection-level failures to stable error codes. */
export function pgError(err: unknown): StudioError {
  if (err instanceof StudioError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === '28P01' || e.code === '28000')
    return new StudioError('PG_AUTH_FAILED', `PostgreSQL refused the credentials: ${e.message}`);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === '57P03' || e.code === 'EHOSTUNREACH')
    return new StudioError('PG_UNAVAILABLE', `PostgreSQL is not reachable: ${e.message ?? e.code}`);
  if (e.code === '3D000') return new StudioError('PG_UNAVAILABLE', `The database does not exist: ${e.message}`);
  return new StudioError('PG_ERROR', e.message ?? String(err), e.code ? { sqlstate: e.code } : undefined);
}

export class Database {
  private poolPromise: Promise<pg.Pool> | null = null;
  private server: EmbeddedServer | null = null;

  constructor(
    readonly source: DatabaseSource,
    private readonly log: Logger,
  ) {}

  get mode(): 'embedded' | 'external' {
    return this.source.kind;
  }

  /** The pool, starting or joining the server and migrating on first call. */
  pool(): Promise<pg.Pool> {
    this.poolPromise ??= this.open().catch((err) => {
      this.poolPromise = null;
      throw pgError(err);
    });
    return this.poolPromise;
  }

  private async open(): Promise<pg.Pool> {
    let config: pg.PoolConfig;
    if (this.source.kind === 'embedded') {
      this.server = await ensureEmbeddedServer(this.source.home, this.log);
      const { host, port, user, password } = this.server;
      await ensureDatabase({ host, port, user, password, database: 'postgres' }, this.server.database);
      config = { host, port, user, password, database: this.server.database };
    } else {
      config = { connectionString: this.source.url };
      if (this.source.environmentPassword === false && !urlHasPassword(this.source.url)) config.Client = NoEnvironmentPasswordClient;
    }
    const pool = new pg.Pool({ ...config, max: 8, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
    pool.on('error', (err) => this.log.warn('idle PostgreSQL connection failed', { error: err.message }));
    // The pool listens to a client's 'error' only while the client is idle. A connection lost
    // while checked out but between two statements (server stopped, backend terminated) would
    // emit an unhandled 'error' and crash the engine. The loss reaches the caller through its
    // next statement, and the pool drops the client when it is released.
    pool.on('connect', (client) => client.on('error', (err) => this.log.warn('PostgreSQL connection lost', { error: err.message })));
    try {
      await migrate(pool, this.log);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return pool;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    const pool = await this.pool();
    try {
      return await pool.query<R>(sql, params);
    } catch (err) {
      throw pgError(err);
    }
  }

  /** Runs `fn` on one dedicated connection (COPY streams, transactions). */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.pool();
    const client = await pool.connect().catch((err) => {
      throw pgError(err);
    });
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  /** Runs `fn` inside BEGIN/COMMIT; any throw rolls back. */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Connection parameters for tools that need their own connection (psql in the benchmark). */
  async connectionInfo(): Promise<{ url: string; host: string; port: number; user: string; password: string; database: string }> {
    await this.pool();
    if (this.server) {
      const { host, port, user, password, database } = this.server;
      return {
        url: `postgresql://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`,
        host,
        port,
        user,
        password,
        database,
      };
    }
    const u = new URL((this.source as { url: string }).url);
    return {
      url: u.toString(),
      host: u.hostname,
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1) || 'postgres',
    };
  }

  async info(): Promise<DatabaseInfo> {
    const location = this.source.kind === 'embedded' ? this.source.home : describeUrl(this.source.url);
    try {
      const { rows } = await this.query<{ version: string; server_version: string }>(
        'SELECT version() AS version, current_setting($1) AS server_version',
        ['server_version'],
      );
      const info: DatabaseInfo = {
        mode: this.mode,
        serverVersion: rows[0]?.version ?? null,
        version: rows[0]?.server_version ?? null,
        location,
      };
      if (this.server) {
        info.startedHere = this.server.startedHere;
        info.location = `127.0.0.1:${this.server.port} (${this.server.dataDir})`;
      }
      return info;
    } catch (err) {
      return { mode: this.mode, serverVersion: null, version: null, location, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    const pending = this.poolPromise;
    this.poolPromise = null;
    if (pending) await pending.then((p) => p.end()).catch(() => undefined);
    await this.server?.stop();
    this.server = null;
  }
}

async function ensureDatabase(config: pg.ClientConfig, name: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount)
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by another process
      });
  } finally {
    await client.end();
  }
}
