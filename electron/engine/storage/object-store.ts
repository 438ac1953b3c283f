/**
 * The bucket, through the `minio` client: every call retried on transient failures (with backoff),
 * every failure mapped to an S3_* code. Files bigger than the part size are streamed, which makes
 * the client upload them in multipart; smaller ones go in one PUT. Each object carries its
 * SHA-256 in metadata so a resumed publish can skip what is already there.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type * as Minio from 'minio';
import { cancelledError, StudioError, throwIfCancelled } from '../../../shared/errors';
import type { Logger } from '../log';
import type { StorageConfig } from './config';
import { answersOnlyTls, isTransient, isUnparsedAnswer, tlsExpected, toStorageError, type Operation } from './errors';
import { retryThrown } from '../retry';
import { lazyModule } from '../lazy-module';

const minio = lazyModule<typeof Minio>('minio');

export interface ListedObject {
  key: string;
  size: number;
  lastModified: string;
}

export interface StoredStat {
  size: number;
  /** The SHA-256 recorded in metadata at upload, when present. */
  sha256: string | null;
  contentType: string | null;
}

export type PutSource = { buffer: Buffer } | { path: string; size: number };

const SHA_META = 'sha256';
const PROBE_PREFIX = '.sparkpolar-probe/';

export class ObjectStore {
  readonly client: Minio.Client;

  constructor(
    readonly config: StorageConfig,
    private readonly log: Logger,
  ) {
    this.client = new (minio().Client)({
      endPoint: config.host,
      port: config.port,
      useSSL: config.useTLS,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region: config.region,
      partSize: config.partSizeBytes,
      pathStyle: true,
      // Our own retry (below) maps errors and honours cancellation; the client's would double it.
      retryOptions: { disableRetry: true },
    });
  }

  get bucket(): string {
    return this.config.bucket;
  }

  private async call<T>(op: Operation, fn: () => Promise<T>, key?: string, signal?: AbortSignal): Promise<T> {
    try {
      return await retryThrown(this.config.retry, fn, isTransient, {
        signal,
        onRetry: ({ attempt, waitMs, error }) =>
          this.log.warn('storage request failed; retrying', {
            op,
            key,
            attempt,
            delayMs: waitMs,
            error: error instanceof Error ? error.message : String(error),
          }),
      });
    } catch (err) {
      if (isUnparsedAnswer(err) && (await answersOnlyTls(this.config.endpoint))) throw tlsExpected(this.config);
      throw toStorageError(err, this.config, op, key);
    }
  }

  /**
   * Checks the endpoint, the keys and the bucket with one listing request (a GET: unlike HEAD, its
   * error answer says whether the key, the signature or the bucket is wrong).
   */
  async probe(signal?: AbortSignal): Promise<{ bucketExists: boolean; latencyMs: number }> {
    const started = performance.now();
    try {
      // A prefix nothing uses: the answer is small whatever the bucket holds.
      await this.call('connect', () => this.client.listObjectsV2Query(this.bucket, PROBE_PREFIX, '', '', 1, ''), undefined, signal);
      return { bucketExists: true, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (err instanceof StudioError && err.code === 'S3_BUCKET_MISSING')
        return { bucketExists: false, latencyMs: Math.round(performance.now() - started) };
      throw err;
    }
  }

  /** Creates the bucket when missing; S3_BUCKET_MISSING with the fix when the keys may not. */
  async ensureBucket(signal?: AbortSignal): Promise<{ created: boolean }> {
    const { bucketExists } = await this.probe(signal);
    if (bucketExists) return { created: false };
    try {
      await this.call('create-bucket', () => this.client.makeBucket(this.bucket, this.config.region), undefined, signal);
    } catch (err) {
      // Created meanwhile by someone else: fine.
      if (err instanceof StudioError && /BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(String(err.details?.cause)))
        return { created: false };
      throw err;
    }
    this.log.info('bucket created', { bucket: this.bucket });
    return { created: true };
  }

  async put(key: string, source: PutSource, contentType: string, sha256: string, signal?: AbortSignal): Promise<void> {
    const meta = { 'Content-Type': contentType, [`X-Amz-Meta-${SHA_META}`]: sha256 };
    await this.call(
      'write',
      async () => {
        if ('buffer' in source) {
          await this.client.putObject(this.bucket, key, source.buffer, source.buffer.length, meta);
          return;
        }
        const stream = fs.createReadStream(source.path);
        const onAbort = () => stream.destroy(cancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await this.client.putObject(this.bucket, key, stream, source.size, meta);
        } finally {
          signal?.removeEventListener('abort', onAbort);
          stream.destroy();
        }
      },
      key,
      signal,
    );
  }

  /** The object's size and recorded checksum, or null when it does not exist. */
  async stat(key: string, signal?: AbortSignal): Promise<StoredStat | null> {
    try {
      const s = await this.call('read', () => this.client.statObject(this.bucket, key), key, signal);
      const meta = s.metaData as Record<string, string | undefined>;
      return { size: s.size, sha256: meta[SHA_META] ?? meta[`x-amz-meta-${SHA_META}`] ?? null, contentType: meta['content-type'] ?? null };
    } catch (err) {
      if (err instanceof StudioError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /**
   * An object held in memory, read as a stream and refused (S3_INTEGRITY) as soon as it passes
   * `maxBytes`: a huge object, or one that grows when decoded, cannot fill the memory.
   */
  async getBuffer(key: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
    return this.call(
      'read',
      async () => {
        const stream = await this.client.getObject(this.bucket, key);
        return readAll(stream, key, maxBytes, signal);
      },
      key,
      signal,
    );
  }

  /**
   * Streams an object into a file (or only through the hash), answering its size and SHA-256;
   * stops with S3_INTEGRITY (and no file) as soon as it passes `maxBytes`.
   */
  async download(
    key: string,
    file: string | null,
    maxBytes: number,
    signal?: AbortSignal,
    onBytes?: (n: number) => void,
  ): Promise<{ size: number; sha256: string }> {
    return this.call(
      'read',
      async () => {
        const stream = await this.client.getObject(this.bucket, key);
        const hash = createHash('sha256');
        let size = 0;
        const sink = file ? fs.createWriteStream(file) : null;
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            throwIfCancelled(signal);
            size += chunk.length;
            if (size > maxBytes) throw tooLarge(key, maxBytes);
            hash.update(chunk);
            onBytes?.(chunk.length);
            if (sink && !sink.write(chunk)) await once(sink, 'drain');
          }
          if (sink) await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
        } catch (err) {
          stream.destroy();
          // A write still in flight fails once the sink is destroyed: that is expected, not a new error.
          sink?.on('error', () => undefined).destroy();
          if (file) fs.rmSync(file, { force: true });
          throw err;
        }
        return { size, sha256: hash.digest('hex') };
      },
      key,
      signal,
    );
  }

  /** Every object under a prefix (recursive), paged through the listing API. */
  async list(prefix: string, signal?: AbortSignal, pageSize = 1000): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token = '';
    for (;;) {
      const page = await this.call(
        'list',
        () => this.client.listObjectsV2Query(this.bucket, prefix, token, '', pageSize, ''),
        prefix,
        signal,
      );
      for (const o of page.objects) {
        if (o.name !== undefined) out.push({ key: o.name, size: o.size, lastModified: new Date(o.lastModified).toISOString() });
      }
      if (!page.isTruncated || !page.nextContinuationToken) break;
      token = page.nextContinuationToken;
    }
    return out;
  }

  /** Removes objects (1000 per request); answers how many were removed. */
  async remove(keys: string[], signal?: AbortSignal): Promise<number> {
    let removed = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const answers = await this.call('delete', () => this.client.removeObjects(this.bucket, batch), batch[0], signal);
      const failed = answers.filter((a) => a && a.Error && a.Error.Code !== 'NoSuchKey');
      if (failed.length) {
        const first = failed[0]!.Error!;
        throw toStorageError({ code: first.Code, message: first.Message ?? 'delete failed' }, this.config, 'delete', first.Key);
      }
      removed += batch.length;
    }
    return removed;
  }
}

function tooLarge(key: string, maxBytes: number): StudioError {
  return new StudioError('S3_INTEGRITY', `${key} is larger than the ${maxBytes.toLocaleString('en-US')} bytes its run declares.`, {
    key,
    maxBytes,
  });
}

async function readAll(stream: Readable, key: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (signal?.aborted) {
      stream.destroy();
      throw cancelledError();
    }
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw tooLarge(key, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
