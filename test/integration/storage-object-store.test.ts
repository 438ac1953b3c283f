/**
 * The object store against a real S3-protocol server on loopback (s3rver behind the SigV4-checking
 * gateway of test/support/s3-server.ts): credentials, bucket creation and its refusal, TLS mismatch,
 * multipart, retries on 5xx, and an outage.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { configFromFields, MIN_PART_SIZE, type StorageConfig } from '../../electron/engine/storage/config';
import { ObjectStore } from '../../electron/engine/storage/object-store';
import { silentLogger } from '../../electron/engine/log';
import { S3TestServer } from '../support/s3-server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function storeFor(server: S3TestServer, over: Partial<StorageConfig> & { secretKey?: string; bucket?: string } = {}): ObjectStore {
  const config = configFromFields(
    {
      endpoint: server.endpoint,
      accessKey: server.accessKey,
      secretKey: over.secretKey ?? server.secretKey,
      bucket: over.bucket ?? 'sparkpolar',
    },
    {
      SPARKPOLAR_S3_ATTEMPTS: '3',
      SPARKPOLAR_S3_RETRY_BASE_MS: '10',
      SPARKPOLAR_S3_RETRY_MAX_MS: '40',
      SPARKPOLAR_S3_PART_SIZE_MB: '5',
    },
  );
  return new ObjectStore({ ...config, ...over }, silentLogger);
}

async function failure(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  }
  throw new Error('expected a failure');
}

describe('object store on a real S3 server', () => {
  const server = new S3TestServer();
  let tmp: string;

  beforeAll(async () => {
    await server.start();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-os-'));
  });
  afterAll(async () => {
    await server.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates the missing bucket, then writes, stats, lists, reads and removes objects', async () => {
    const store = storeFor(server, { bucket: 'created-here' });
    expect((await store.probe()).bucketExists).toBe(false);
    expect(await store.ensureBucket()).toEqual({ created: true });
    expect(await store.ensureBucket()).toEqual({ created: false });

    const body = Buffer.from('name,count\nVolvo,3\n');
    const key = 'NY crash+%/1/run-1/results/a b.csv';
    await store.put(key, { buffer: body }, 'text/csv; charset=utf-8', sha(body));
    const stat = await store.stat(key);
    expect(stat).toMatchObject({ size: body.length, sha256: sha(body), contentType: 'text/csv; charset=utf-8' });
    expect((await store.list('NY crash+%/')).map((o) => o.key)).toEqual([key]);
    expect(await store.getBuffer(key, body.length)).toEqual(body);
    expect(await store.stat('NY crash+%/1/run-1/absent')).toBeNull();
    expect(await store.remove([key])).toBe(1);
    expect(await server.keys('created-here')).toEqual([]);
  });

  it('refuses a wrong secret with S3_AUTH_FAILED, and an unknown access key too', async () => {
    const wrongSecret = await failure(storeFor(server, { secretKey: 'not-the-secret' }).probe());
    expect(wrongSecret.code).toBe('S3_AUTH_FAILED');
    expect(wrongSecret.message).toMatch(/secret key does not match/);
    expect(wrongSecret.fix).toMatch(/access key and secret key/);

    const wrongKey = await failure(storeFor(server, { accessKey: 'nobody' }).ensureBucket());
    expect(wrongKey.code).toBe('S3_AUTH_FAILED');
    expect(wrongKey.message).toMatch(/access key is unknown/);
    // Nothing reached the storage behind the gateway.
    expect(server.log.filter((r) => r.status === 200 && r.bucket === 'sparkpolar')).toEqual([]);
  });

  it('says the bucket is missing and may not be created when the keys lack that right', async () => {
    server.allowCreateBucket = false;
    try {
      const err = await failure(storeFor(server, { bucket: 'not-allowed' }).ensureBucket());
      expect(err.code).toBe('S3_BUCKET_MISSING');
      expect(err.message).toMatch(/"not-allowed" does not exist, and these keys are not allowed to create it/);
      expect(err.fix).toMatch(/mc mb|s3:CreateBucket/);
    } finally {
      server.allowCreateBucket = true;
    }
  });

  it('reports https:// against a plain-HTTP server as S3_TLS_MISMATCH', async () => {
    const url = new URL(server.endpoint);
    const err = await failure(storeFor(server, { endpoint: `https://${url.host}`, useTLS: true }).probe());
    expect(err.code).toBe('S3_TLS_MISMATCH');
    expect(err.fix).toMatch(/http:\/\//);
  });

  it('reports http:// against a TLS-only server as S3_TLS_MISMATCH (the plain-HTTP answer of Go servers such as MinIO)', async () => {
    // What Go's net/http writes when plain HTTP reaches a TLS listener (MinIO is a Go server).
    const tlsOnly = net.createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n'));
    });
    await new Promise<void>((resolve) => tlsOnly.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (tlsOnly.address() as net.AddressInfo).port;
      const err = await failure(storeFor(server, { endpoint: `http://127.0.0.1:${port}`, host: '127.0.0.1', port }).probe());
      expect(err.code).toBe('S3_TLS_MISMATCH');
      expect(err.fix).toMatch(/https:\/\//);
    } finally {
      tlsOnly.close();
    }
  });

  it('uploads a file larger than the part size in multipart, and reads back the same bytes', async () => {
    const store = storeFor(server);
    await store.ensureBucket();
    const bytes = randomBytes(MIN_PART_SIZE * 2 + 12345);
    const file = path.join(tmp, 'big.bin');
    fs.writeFileSync(file, bytes);
    server.clearLog();
    await store.put('multi/big.bin', { path: file, size: bytes.length }, 'application/octet-stream', sha(bytes));
    const parts = server.log
      .filter((r) => r.method === 'PUT' && r.key === 'multi/big.bin' && r.query.has('partNumber'))
      .map((p) => p.bytes);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(bytes.length);
    expect(parts.slice(0, -1).every((n) => n >= MIN_PART_SIZE)).toBe(true);
    expect(server.log.some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(true);
    const back = await store.download('multi/big.bin', path.join(tmp, 'back.bin'), bytes.length);
    expect(back).toEqual({ size: bytes.length, sha256: sha(bytes) });
    expect(fs.readFileSync(path.join(tmp, 'back.bin')).equals(bytes)).toBe(true);
  });

  it('retries 5xx answers with backoff and succeeds when the server recovers', async () => {
    const store = storeFor(server);
    let refusals = 2;
    server.hook = (r) =>
      r.method === 'PUT' && r.key === 'retry/object.txt' && refusals-- > 0 ? { status: 503, code: 'SlowDown' } : undefined;
    try {
      const body = Buffer.from('survives two 503s');
      server.clearLog();
      await store.put('retry/object.txt', { buffer: body }, 'text/plain', sha(body));
      expect(server.log.filter((r) => r.key === 'retry/object.txt').map((r) => r.status)).toEqual([503, 503, 200]);
      expect(await store.getBuffer('retry/object.txt', body.length)).toEqual(body);
    } finally {
      server.hook = null;
    }
  });

  it('gives S3_UNAVAILABLE when the server is down, after its retries, and works again once restarted', async () => {
    const store = storeFor(server);
    await server.stop();
    const err = await failure(store.probe());
    expect(err.code).toBe('S3_UNAVAILABLE');
    await server.start();
    expect((await store.probe()).bucketExists).toBe(true);
    // Objects written before the outage are still there (same port, same data folder).
    expect((await store.stat('multi/big.bin'))?.size).toBe(MIN_PART_SIZE * 2 + 12345);
  });
});
