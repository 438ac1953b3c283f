/**
 * Checks that only a real MinIO can confirm (see docs/storage.md "Covered only against a real
 * MinIO"). Skipped unless MINIO_ENDPOINT is set, e.g. after `docker compose up -d minio minio-init`:
 *   MINIO_ENDPOINT=http://127.0.0.1:9000 MINIO_ACCESS_KEY=minioadmin MINIO_SECRET_KEY=minioadmin \
 *     npx vitest run test/integration/storage-minio.test.ts
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { configFromFields, MIN_PART_SIZE } from '../../electron/engine/storage/config';
import { ObjectStore } from '../../electron/engine/storage/object-store';
import { silentLogger } from '../../electron/engine/log';

const endpoint = process.env.MINIO_ENDPOINT;
const bucket = `sparkpolar-test-${randomBytes(4).toString('hex')}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const hasMc = (() => {
  try {
    execFileSync('mc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function store(over: { accessKey?: string; secretKey?: string; bucket?: string; endpoint?: string } = {}): ObjectStore {
  const config = configFromFields(
    {
      endpoint: over.endpoint ?? endpoint,
      accessKey: over.accessKey ?? process.env.MINIO_ACCESS_KEY,
      secretKey: over.secretKey ?? process.env.MINIO_SECRET_KEY,
      bucket: over.bucket ?? bucket,
    },
    { SPARKPOLAR_S3_ATTEMPTS: '2', SPARKPOLAR_S3_PART_SIZE_MB: '5' },
  );
  return new ObjectStore(config, silentLogger);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StudioError) return err.code;
    throw err;
  }
  return 'no error';
}

describe.skipIf(!endpoint)('against a real MinIO (MINIO_ENDPOINT)', () => {
  afterAll(async () => {
    if (!endpoint) return;
    const s = store();
    const left = await s.list('').catch(() => []);
    if (left.length) await s.remove(left.map((o) => o.key));
    await s.client.removeBucket(bucket).catch(() => undefined);
  });

  it('creates the bucket, and refuses a wrong secret with S3_AUTH_FAILED', async () => {
    expect(await store().ensureBucket()).toEqual({ created: true });
    expect(await code(store({ secretKey: 'definitely-wrong-secret' }).probe())).toBe('S3_AUTH_FAILED');
    expect(await code(store({ accessKey: 'no-such-user-here' }).probe())).toBe('S3_AUTH_FAILED');
  });

  it('uploads in multipart with MinIO and reads back identical bytes with content type and checksum metadata', async () => {
    const s = store();
    const bytes = randomBytes(MIN_PART_SIZE * 2 + 4321);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minio-')), 'big.bin');
    fs.writeFileSync(file, bytes);
    await s.put('multi/big.bin', { path: file, size: bytes.length }, 'application/vnd.apache.parquet', sha(bytes));
    expect(await s.stat('multi/big.bin')).toEqual({
      size: bytes.length,
      sha256: sha(bytes),
      contentType: 'application/vnd.apache.parquet',
    });
    expect(await s.download('multi/big.bin', null, bytes.length)).toEqual({ size: bytes.length, sha256: sha(bytes) });
  });

  it('pages listings longer than one page', async () => {
    const s = store();
    const keys = Array.from({ length: 7 }, (_, i) => `paged/k${i}.txt`);
    for (const k of keys) await s.put(k, { buffer: Buffer.from(k) }, 'text/plain', sha(Buffer.from(k)));
    expect((await s.list('paged/', undefined, 2)).map((o) => o.key)).toEqual(keys);
  });

  it.skipIf(!hasMc)('says the bucket is missing when the user may not create it (restricted user via mc)', async () => {
    const alias = `sp${randomBytes(3).toString('hex')}`;
    const user = `reader${randomBytes(3).toString('hex')}`;
    const secret = randomBytes(12).toString('hex');
    execFileSync('mc', [
      'alias',
      'set',
      alias,
      endpoint!,
      process.env.MINIO_ACCESS_KEY ?? 'minioadmin',
      process.env.MINIO_SECRET_KEY ?? 'minioadmin',
    ]);
    try {
      execFileSync('mc', ['admin', 'user', 'add', alias, user, secret]);
      // Objects of one (absent) bucket only: listing it answers NoSuchBucket, creating it AccessDenied.
      const policy = path.join(os.tmpdir(), `${user}.json`);
      fs.writeFileSync(
        policy,
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
              Resource: [`arn:aws:s3:::${bucket}-absent`, `arn:aws:s3:::${bucket}-absent/*`],
            },
          ],
        }),
      );
      execFileSync('mc', ['admin', 'policy', 'create', alias, `${user}-p`, policy]);
      execFileSync('mc', ['admin', 'policy', 'attach', alias, `${user}-p`, '--user', user]);
      expect(await code(store({ accessKey: user, secretKey: secret, bucket: `${bucket}-absent` }).ensureBucket())).toBe(
        'S3_BUCKET_MISSING',
      );
    } finally {
      execFileSync('mc', ['admin', 'user', 'remove', alias, user], { stdio: 'ignore' });
      execFileSync('mc', ['admin', 'policy', 'remove', alias, `${user}-p`], { stdio: 'ignore' });
      execFileSync('mc', ['alias', 'remove', alias], { stdio: 'ignore' });
    }
  });

  it.skipIf(!process.env.MINIO_TLS_ENDPOINT)(
    'reports http:// against a TLS MinIO as S3_TLS_MISMATCH (MINIO_TLS_ENDPOINT=https://…)',
    async () => {
      const tls = new URL(process.env.MINIO_TLS_ENDPOINT!);
      expect(await code(store({ endpoint: `http://${tls.host}` }).probe())).toBe('S3_TLS_MISMATCH');
    },
  );
});
