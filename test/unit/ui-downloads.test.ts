import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportsDirFor, resolveDownload, serveDownload } from '../../electron/serve/downloads';

describe('browser-mode downloads of exported files', () => {
  let home: string;
  let exportsDir: string;
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-downloads-'));
    exportsDir = exportsDirFor(path.join(home, 'uploads'));
    fs.mkdirSync(path.join(exportsDir, 'results-csv'), { recursive: true });
    fs.writeFileSync(path.join(exportsDir, 'crash view é.csv'), 'a,b\r\n1,2\r\n');
    fs.writeFileSync(path.join(exportsDir, 'results-csv', 'desc-body-type.csv'), 'x\r\n');
    fs.writeFileSync(path.join(home, 'secret.txt'), 'not yours');
    fs.symlinkSync(path.join(home, 'secret.txt'), path.join(exportsDir, 'link.txt'));
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      serveDownload(res, url.searchParams.get('path'), exportsDir, { 'x-content-type-options': 'nosniff' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(home, { recursive: true, force: true });
  });

  const fetchPath = (p: string) => fetch(`http://127.0.0.1:${port}/download?path=${encodeURIComponent(p)}`);

  it('serves a file of the exports folder as an attachment with its name', async () => {
    const res = await fetchPath(path.join(exportsDir, 'crash view é.csv'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('a,b\r\n1,2\r\n');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('crash view é.csv')}`);
    expect((await fetchPath(path.join(exportsDir, 'results-csv', 'desc-body-type.csv'))).status).toBe(200);
  });

  it('refuses anything outside it: other folders, traversal, symlinks out, folders, missing files', async () => {
    expect(resolveDownload(path.join(home, 'secret.txt'), exportsDir)).toBeNull();
    expect((await fetchPath(path.join(home, 'secret.txt'))).status).toBe(404);
    expect((await fetchPath(path.join(exportsDir, '..', 'secret.txt'))).status).toBe(404);
    expect((await fetchPath(path.join(exportsDir, 'link.txt'))).status).toBe(404);
    expect((await fetchPath(path.join(exportsDir, 'results-csv'))).status).toBe(404);
    expect((await fetchPath(path.join(exportsDir, 'nope.csv'))).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/download`)).status).toBe(404);
  });
});
