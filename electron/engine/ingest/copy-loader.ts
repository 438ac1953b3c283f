/**
 * Feeds bytes into `COPY … FROM STDIN (FORMAT csv)` through pg-copy-streams, with backpressure:
 * `write` resolves once the socket has room again, so memory stays bounded whatever the file
 * size. `abort` sends CopyFail, which makes PostgreSQL drop everything this COPY sent.
 */
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { quoteIdent } from '../db/sql';
import type { Delimiter } from './dialect';

export interface CopyTarget {
  /** Quoted, schema-qualified table. */
  table: string;
  identifiers: string[];
  delimiter: Delimiter;
  /** Typed columns: a quoted empty value there is NULL too (`FORCE_NULL`). */
  forceNull: string[];
}

function delimiterLiteral(d: Delimiter): string {
  return d === '\t' ? "E'\\t'" : `'${d}'`;
}

export function copySql(target: CopyTarget): string {
  const options = ['FORMAT csv', `DELIMITER ${delimiterLiteral(target.delimiter)}`, "ENCODING 'UTF8'", 'FREEZE'];
  if (target.forceNull.length) options.push(`FORCE_NULL (${target.forceNull.map(quoteIdent).join(', ')})`);
  return `COPY ${target.table} (${target.identifiers.map(quoteIdent).join(', ')}) FROM STDIN WITH (${options.join(', ')})`;
}

export class CopyLoader {
  private readonly stream: Writable & { rowCount?: number };
  private failure: Error | null = null;
  private readonly failed: Promise<never>;

  constructor(client: pg.PoolClient, target: CopyTarget) {
    this.stream = client.query(copyFrom(copySql(target)));
    this.failed = new Promise<never>((_, reject) => {
      this.stream.once('error', (err: Error) => {
        this.failure = err;
        reject(err);
      });
    });
    this.failed.catch(() => undefined);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(bytes)) await Promise.race([once(this.stream, 'drain'), this.failed]);
  }

  /** Ends the COPY; resolves with the row count PostgreSQL reports. */
  async finish(): Promise<number> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await Promise.race([once(this.stream, 'finish'), this.failed]);
    return this.stream.rowCount ?? 0;
  }

  /** Stops the COPY (CopyFail); waits until the server has answered so the connection is usable. */
  async abort(reason: string): Promise<void> {
    if (this.failure || this.stream.destroyed) return;
    this.stream.destroy(new Error(reason));
    await once(this.stream, 'close').catch(() => undefined);
  }
}
