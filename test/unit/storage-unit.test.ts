/** Storage building blocks: key layout, endpoint parsing, error mapping, backoff, result files, SigV4 check. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Minio from 'minio';
import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../shared/contract/analysis';
import { checkBucketName, configFromFields, parseEndpoint } from '../../electron/engine/storage/config';
import { isTransient, toStorageError } from '../../electron/engine/storage/errors';
import { datasetFromSegment, datasetSegment, parseRunKey, runPrefix } from '../../electron/engine/storage/layout';
import { neutraliseFormula, resultFromParquet, resultToCsv, resultToParquet } from '../../electron/engine/storage/result-files';
import { backoffDelay, retryThrown, type RetryPolicy } from '../../electron/engine/retry';
import { renderChartSvg } from '../../electron/engine/storage/chart-images';
import { verifySignatureV4 } from '../support/s3-server';

const where = { endpoint: 'http://127.0.0.1:9000', bucket: 'sparkpolar' };

describe('key layout', () => {
  it.each(['crashes', 'NY crash vehicles 2024', 'a/b\\c%d', 'été ü', '..', 'x\ty'])(
    'round-trips the dataset name %j through its key segment',
    (name) => {
      const seg = datasetSegment(name);
      expect(seg).not.toMatch(/[/\\]/);
      expect(seg).not.toMatch(/^\.+$/);
      expect(datasetFromSegment(seg)).toBe(name);
      const prefix = runPrefix({ dataset: name, version: 3, runId: 'r-1' });
      expect(parseRunKey(`${prefix}results/x.csv`)).toEqual({
        run: { dataset: name, version: 3, runId: 'r-1' },
        prefix,
        rest: 'results/x.csv',
      });
    },
  );

  it('ignores keys outside the layout', () => {
    expect(parseRunKey('loose.txt')).toBeNull();
    expect(parseRunKey('ds/not-a-version/run/x')).toBeNull();
  });
});

describe('configuration', () => {
  it('parses URLs and bare host:port with the TLS switch', () => {
    expect(parseEndpoint('http://127.0.0.1:9000')).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      host: '127.0.0.1',
      port: 9000,
      useTLS: false,
    });
    expect(parseEndpoint('https://s3.example.org/')).toEqual({
      endpoint: 'https://s3.example.org',
      host: 's3.example.org',
      port: 443,
      useTLS: true,
    });
    expect(parseEndpoint('minio.local:9000', true)).toMatchObject({ endpoint: 'https://minio.local:9000', useTLS: true });
    expect(() => parseEndpoint('ftp://x')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseEndpoint('http://x:9000/bucket')).toThrow(/no path/);
  });

  it('uses the docker-compose defaults for missing keys and checks the bucket name', () => {
    expect(configFromFields({ endpoint: 'http://localhost:9000' })).toMatchObject({
      accessKey: 'minioadmin',
      secretKey: 'minioadmin',
      bucket: 'sparkpolar',
      region: 'us-east-1',
      partSizeBytes: 64 * 1024 * 1024,
    });
    expect(() => configFromFields({})).toThrow(/No object storage endpoint/);
    expect(() => checkBucketName('Bad_Bucket')).toThrow(/not a valid bucket name/);
    expect(configFromFields({ endpoint: 'http://127.0.0.1:1' }, { SPARKPOLAR_S3_PART_SIZE_MB: '1' }).partSizeBytes).toBe(5 * 1024 * 1024);
  });
});

describe('error mapping', () => {
  it.each([
    [{ code: 'SignatureDoesNotMatch', message: 'x' }, 'write', 'S3_AUTH_FAILED'],
    [{ code: 'InvalidAccessKeyId', message: 'x' }, 'list', 'S3_AUTH_FAILED'],
    [{ code: 'AccessDenied', message: 'x' }, 'write', 'S3_AUTH_FAILED'],
    [{ code: 'AccessDenied', message: 'x' }, 'create-bucket', 'S3_BUCKET_MISSING'],
    [{ code: 'NoSuchBucket', message: 'x' }, 'list', 'S3_BUCKET_MISSING'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'connect', 'S3_UNAVAILABLE'],
    [{ message: 'Request failed after 0 retries: Error: Retryable HTTP status: 503' }, 'write', 'S3_UNAVAILABLE'],
    [{ code: 'EPROTO', message: 'SSL routines:ssl3_get_record:wrong version number' }, 'connect', 'S3_TLS_MISMATCH'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'connect', 'S3_TLS_MISMATCH'],
    [{ code: 'NoSuchKey', message: 'x' }, 'read', 'NOT_FOUND'],
  ] as const)('%j during %s is %s', (raw, op, code) => {
    expect(toStorageError(raw, where, op).code).toBe(code);
  });

  it('retries only transient failures', () => {
    expect(isTransient({ code: 'ECONNRESET' })).toBe(true);
    expect(isTransient({ code: 'SlowDown' })).toBe(true);
    expect(isTransient({ code: 'SignatureDoesNotMatch' })).toBe(false);
    expect(isTransient({ code: 'NoSuchBucket' })).toBe(false);
  });
});

describe('backoff', () => {
  it('grows and stays under the ceiling', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const d = backoffDelay(attempt, { baseDelayMs: 100, maxDelayMs: 2000, jitter: 'equal' });
      const ceiling = Math.min(2000, 100 * 2 ** attempt);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });

  it('retries transient errors up to the attempts, not the others', async () => {
    const policy: RetryPolicy = { attempts: 3, budgetMs: Infinity, baseDelayMs: 1, maxDelayMs: 2, jitter: 'equal' };
    let calls = 0;
    await expect(
      retryThrown(
        policy,
        async () => {
          calls++;
          throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        },
        isTransient,
      ),
    ).rejects.toThrow('reset');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retryThrown(
        policy,
        async () => {
          calls++;
          throw Object.assign(new Error('denied'), { code: 'AccessDenied' });
        },
        isTransient,
      ),
    ).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });
});

describe('result files', () => {
  const table: ResultTable = {
    columns: [
      { name: 'make', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      { name: 'other', type: 'boolean' },
    ],
    rows: [
      ['VOLVO', 12, 0.125, false],
      ['=HYPERLINK("x")', 3, null, true],
      [null, 9007199254740991, -1.5e-9, null],
    ],
  };

  it('keeps every value and type through Parquet', () => {
    expect(resultFromParquet(resultToParquet(table))).toEqual(table);
    // Column names that are also DataFrame members must not confuse the reader.
    const awkward: ResultTable = {
      columns: [
        { name: 'columns', type: 'integer' },
        { name: 'rows', type: 'integer' },
        { name: 'dtypes', type: 'text' },
      ],
      rows: [[3, 4401, 'x']],
    };
    expect(resultFromParquet(resultToParquet(awkward))).toEqual(awkward);
    const empty: ResultTable = { columns: [{ name: 'n', type: 'integer' }], rows: [] };
    expect(resultFromParquet(resultToParquet(empty))).toEqual(empty);
  });

  it('neutralises formula-like text in CSV, never numbers', () => {
    const csv = resultToCsv(table).toString();
    expect(csv.split('\n')[0]).toBe('make,count,share,other');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(neutraliseFormula(-12)).toBe(-12);
    expect(neutraliseFormula('-x')).toBe("'-x");
    expect(neutraliseFormula('@cmd')).toBe("'@cmd");
  });
});

describe('the test server SigV4 check', () => {
  /** A request signed by the real minio client, checked by the gateway's verifier. */
  async function signedBy(secret: string): Promise<{ status: number; code: string }> {
    const seen = new Promise<{ status: number; code: string }>((resolve) => {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const result = verifySignatureV4(req, new URL(req.url ?? '/', 'http://x'), Buffer.concat(chunks), 'AKID', 'the-real-secret');
          resolve(result.ok ? { status: 200, code: 'OK' } : { status: result.status, code: result.code });
          res.writeHead(200, { 'Content-Length': 0, ETag: '"e"' }).end();
          server.close();
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        const client = new Minio.Client({
          endPoint: '127.0.0.1',
          port,
          useSSL: false,
          accessKey: 'AKID',
          secretKey: secret,
          region: 'us-east-1',
          retryOptions: { disableRetry: true },
        });
        void client
          .putObject('bucket-x', 'dir/a b+c.txt', Buffer.from('payload'), 7, { 'Content-Type': 'text/plain' })
          .catch(() => undefined);
      });
    });
    return seen;
  }

  it('accepts the right secret and rejects a wrong one', async () => {
    expect(await signedBy('the-real-secret')).toEqual({ status: 200, code: 'OK' });
    expect(await signedBy('a-wrong-secret')).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});

describe('server-side chart images', () => {
  it('renders a bar chart of a result as SVG with its values, and nothing for an empty table', () => {
    const table: ResultTable = {
      columns: [
        { name: 'body_type', type: 'text' },
        { name: 'count', type: 'integer' },
      ],
      rows: [
        ['SUBURBAN', 40],
        ['4 DOOR SEDAN', 25],
      ],
    };
    const svg = renderChartSvg('desc-body-type', table);
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svg).toContain('SUBURBAN');
    expect(renderChartSvg('desc-body-type', table)).toBe(svg); // same bytes each time: a resumed publish skips it
    expect(renderChartSvg('desc-body-type', { columns: table.columns, rows: [] })).toBeNull();
  });
});
