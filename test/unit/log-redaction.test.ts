import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../electron/engine/log';

describe('log redaction', () => {
  it('removes secrets by key, URL passwords, Databricks tokens and bearer headers', () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l), 'debug');
    log.info('connecting to postgresql://me:s3cret@db:5432/x with Bearer abc.def', {
      password: 'hunter2',
      secretKey: 'minio-secret',
      token: 'dapi0123456789abcdef',
      nested: { clientSecret: 'xyz', note: 'token dapi0123456789abcdef here' },
      rows: 10,
    });
    const text = lines.join('\n');
    for (const secret of ['s3cret', 'hunter2', 'minio-secret', 'dapi0123456789abcdef', 'xyz', 'abc.def'])
      expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0]!).rows).toBe(10);
  });

  it('leaves ordinary values alone', () => {
    expect(redact({ rows: 3, name: 'crashes' })).toEqual({ rows: 3, name: 'crashes' });
  });
});
