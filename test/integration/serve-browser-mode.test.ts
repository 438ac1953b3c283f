import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../electron/serve/server';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}

function wsOpen(url: string, headers: Record<string, string> = {}, options: { autoPong?: boolean } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, ...options });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('browser mode server', () => {
  let t: TestEngine;
  let server: BrowserServer;
  let rendererDir: string;

  beforeAll(async () => {
    t = await startTestEngine();
    rendererDir = tempHome('renderer');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>shell</title>');
    fs.mkdirSync(path.join(rendererDir, 'assets'));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    server = await startBrowserServer({ engine: t.engine, rendererDir, uploadDir: path.join(t.home, 'uploads'), heartbeatMs: 200 });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{20,}$`));
  });

  it('refuses pages and assets without the token', async () => {
    expect((await get(`http://127.0.0.1:${server.port}/`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/assets/app.js`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${server.port}/?token=wrong-token-of-some-length`)).status).toBe(403);
  });

  it('serves the page with a strict CSP and a same-site cookie when the token is right', async () => {
    const res = await get(server.url);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>shell</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get(`http://127.0.0.1:${server.port}/assets/app.js`, { cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await get(server.url, { host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await get(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd?token=${server.token}`);
    expect(res.status).toBe(404);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(wsOpen(`ws://127.0.0.1:${server.port}/rpc`)).rejects.toThrow(/403/);
    await expect(wsOpen(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { origin: 'http://evil.example' })).rejects.toThrow(
      /403/,
    );
  });

  it('answers contract requests over the WebSocket with the token', async () => {
    const ws = await wsOpen(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
    const reply = await new Promise<{ kind: string; data: { pong: boolean } }>((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.send(JSON.stringify({ kind: 'request', id: 7, method: 'system/ping', params: {} }));
    });
    ws.close();
    expect(reply.kind).toBe('reply');
    expect(reply.data.pong).toBe(true);
  });

  it('drops a connection that stops answering pings, and keeps one that answers', async () => {
    const url = `ws://127.0.0.1:${server.port}/rpc?token=${server.token}`;
    const silent = await wsOpen(url, {}, { autoPong: false });
    const alive = await wsOpen(url);
    const silentClosed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    let pings = 0;
    alive.on('ping', () => pings++);
    // 1006: closed without a close frame, as terminate() does.
    expect(await silentClosed).toBe(1006);
    await new Promise((r) => setTimeout(r, 700));
    expect(alive.readyState).toBe(WebSocket.OPEN);
    expect(pings).toBeGreaterThanOrEqual(2);
    const reply = await new Promise<{ kind: string }>((resolve) => {
      alive.once('message', (data) => resolve(JSON.parse(String(data))));
      alive.send(JSON.stringify({ kind: 'request', id: 8, method: 'system/ping', params: {} }));
    });
    expect(reply.kind).toBe('reply');
    alive.close();
  });
});
