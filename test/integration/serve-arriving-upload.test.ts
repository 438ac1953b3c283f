/**
 * Browser mode imports a dropped file while it uploads: `POST /upload/begin` reserves the file,
 * the page sends the ranges the profiler samples first and then the whole file, and the import
 * reads each byte once it is on disk. Checked over real HTTP against a real engine and PostgreSQL.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult, JobProgress } from '../../shared/api';
import { startBrowserServer, type BrowserServer } from '../../electron/serve/server';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

interface Begun {
  id: string;
  path: string;
  first: Array<[number, number]>;
}

/** A CSV of `rows` rows whose `score` column turns to text after 60 % of the rows (a probe sees it, the head does not). */
function csvWithLateText(rows: number): Buffer {
  const lines = ['id,city,score,day'];
  const cities = ['Albany', 'Buffalo', 'Queens', 'Utica', 'Yonkers'];
  for (let i = 0; i < rows; i++) {
    const score = i > rows * 0.6 && i % 7 === 0 ? 'n/a' : String((i * 37) % 1000);
    lines.push(`${i},${cities[i % cities.length]},${score},2024-0${1 + (i % 9)}-1${i % 10}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe('browser mode: import while the file uploads', () => {
  let t: TestEngine;
  let server: BrowserServer;
  let cookie: string;
  let file: Buffer;

  const request = (method: string, pathname: string, headers: Record<string, string | number>) =>
    http.request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers: { cookie, ...headers } });

  const answerOf = (req: http.ClientRequest): Promise<{ status: number; body: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }));
      });
      req.on('error', reject);
    });

  async function begin(name: string, size: number): Promise<Begun> {
    const req = request('POST', '/upload/begin', { 'x-file-name': name, 'x-file-size': size, 'content-length': 0 });
    const answer = answerOf(req);
    req.end();
    const { status, body } = await answer;
    expect(status).toBe(200);
    return body as unknown as Begun;
  }

  /** The body the page sends: the sampled ranges, then the whole file. */
  const bodyOf = (begun: Begun, bytes: Buffer) => Buffer.concat([...begun.first.map(([a, b]) => bytes.subarray(a, b)), bytes]);

  beforeAll(async () => {
    t = await startTestEngine();
    const rendererDir = tempHome('renderer');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>shell</title>');
    server = await startBrowserServer({ engine: t.engine, rendererDir, uploadDir: path.join(t.home, 'uploads') });
    cookie = `sparkpolar_token=${encodeURIComponent(server.token)}`;
    file = csvWithLateText(400_000);
    expect(file.length).toBeGreaterThan(8 * 1024 * 1024); // probes beyond the 4 MB head
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('starts loading rows before the upload has finished, and gives the same table as a whole file', async () => {
    const begun = await begin('late-text.csv', file.length);
    expect(begun.first.length).toBeGreaterThan(1);
    const body = bodyOf(begun, file);
    const send = request('POST', `/upload?id=${begun.id}`, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    const sent = answerOf(send);

    const phases: JobProgress[] = [];
    let loadingSeen: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => (loadingSeen = resolve));
    const imported = t.client.run(
      'dataset/import',
      { path: begun.path, name: 'arriving', deleteSourceAfter: true },
      {
        onProgress: (p) => {
          phases.push(p);
          if (p.phase === 'load' && (p.done ?? 0) > 0) loadingSeen();
        },
      },
    );
    // The sampled ranges and the first 60 % of the file; then the upload pauses.
    const firstBytes = begun.first.reduce((n, [a, b]) => n + (b - a), 0);
    const pauseAt = firstBytes + Math.floor(file.length * 0.6);
    send.write(body.subarray(0, pauseAt));
    // The import reads rows while the rest of the file has not been sent: it cannot be waiting for the upload's end.
    await loading;
    const loadedBeforeTheRest = Math.max(...phases.filter((p) => p.phase === 'load').map((p) => p.done ?? 0));
    expect(loadedBeforeTheRest).toBeGreaterThan(0);
    expect(loadedBeforeTheRest).toBeLessThanOrEqual(file.length * 0.6 + 1);
    send.end(body.subarray(pauseAt));
    const [result, answer] = await Promise.all([imported, sent]);
    expect(answer.status).toBe(200);

    // The same file imported whole: the same rows, types and checksum. The probes saw the text
    // turning up late, so the column is text from the start and nothing was loaded twice.
    const whole = path.join(tempHome('whole'), 'late-text.csv');
    fs.writeFileSync(whole, file);
    const reference: ImportResult = await t.client.run('dataset/import', { path: whole, name: 'whole' });
    expect(result.rows).toBe(400_000);
    expect(result.rows).toBe(reference.rows);
    expect(result.rejected).toBe(reference.rejected);
    expect(result.sha256).toBe(reference.sha256);
    expect(result.columns.map((c) => [c.identifier, c.type])).toEqual(reference.columns.map((c) => [c.identifier, c.type]));
    expect(result.columns.find((c) => c.identifier === 'score')?.type).toBe('text');
    expect(result.widened).toEqual([]);
    const page = await t.client.call('dataset/page', { dataset: 'arriving', offset: 399_990, limit: 10 });
    const refPage = await t.client.call('dataset/page', { dataset: 'whole', offset: 399_990, limit: 10 });
    expect(page.rows).toEqual(refPage.rows);
    // The upload was the engine's copy: gone once the table holds the rows.
    expect(fs.existsSync(begun.path)).toBe(false);
  });

  it('fails the import with a clear error, and keeps nothing, when the upload breaks off', async () => {
    const begun = await begin('broken.csv', file.length);
    const body = bodyOf(begun, file);
    const send = request('POST', `/upload?id=${begun.id}`, { 'content-length': body.length });
    send.on('error', () => undefined);
    const imported = t.client.run('dataset/import', { path: begun.path, name: 'broken', deleteSourceAfter: true });
    const failed = imported.then(
      () => null,
      (err: unknown) => err,
    );
    send.write(body.subarray(0, Math.floor(body.length / 2)));
    await new Promise((r) => setTimeout(r, 200));
    send.destroy();
    const err = await failed;
    expect(err).toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('did not complete') });
    const datasets = await t.client.call('dataset/list', {});
    expect(datasets.map((d) => d.dataset)).not.toContain('broken');
    await expect.poll(() => fs.existsSync(begun.path)).toBe(false);
  });

  it('says why when the import starts only after its upload broke off', async () => {
    const begun = await begin('late.csv', file.length);
    const send = request('POST', `/upload?id=${begun.id}`, { 'content-length': bodyOf(begun, file).length });
    send.on('error', () => undefined);
    send.write(file.subarray(0, 1024));
    await new Promise((r) => setTimeout(r, 100));
    send.destroy();
    await expect.poll(() => fs.existsSync(begun.path)).toBe(false);
    await expect(t.client.run('dataset/import', { path: begun.path, name: 'late' })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('did not complete'),
    });
  });

  it('refuses a body of the wrong length, and an id it never gave', async () => {
    const begun = await begin('short.csv', 100);
    const wrong = request('POST', `/upload?id=${begun.id}`, { 'content-length': 10 });
    const answer = answerOf(wrong);
    wrong.end(Buffer.alloc(10));
    expect((await answer).status).toBe(400);
    expect(fs.existsSync(begun.path)).toBe(false);
    const unknown = request('POST', '/upload?id=not-an-id', { 'content-length': 1 });
    const refused = answerOf(unknown);
    unknown.end('x');
    expect((await refused).status).toBe(404);
  });

  it('refuses to begin an upload without a valid size, or larger than the limit', async () => {
    for (const size of ['', '-1', '1e3', 'abc']) {
      const req = request('POST', '/upload/begin', { 'x-file-name': 'x.csv', 'x-file-size': size, 'content-length': 0 });
      const answer = answerOf(req);
      req.end();
      expect((await answer).status).toBe(400);
    }
    const huge = request('POST', '/upload/begin', { 'x-file-name': 'x.csv', 'x-file-size': 64 * 1024 ** 4, 'content-length': 0 });
    const answer = answerOf(huge);
    huge.end();
    expect((await answer).status).toBe(413);
  });
});
