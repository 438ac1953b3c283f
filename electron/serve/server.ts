/**
 * Browser mode: the built renderer and the engine's WebSocket on 127.0.0.1 only, guarded by a
 * random per-launch token. The printed URL carries the token; the first page load turns it into
 * an HttpOnly same-site cookie, which then authorises assets, uploads and the WebSocket.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import { rendererCsp } from '../../shared/csp';
import { mediaType } from '../../shared/mime';
import type { Engine } from '../engine/engine';
import { websocketChannel } from './channel';
import { exportsDirFor, serveDownload } from './downloads';

const COOKIE = 'sparkpolar_token';

export interface BrowserServerOptions {
  engine: Engine;
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Where uploaded files are written (browser-mode drag and drop). */
  uploadDir: string;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function contentSecurityPolicy(port: number): string {
  return rendererCsp({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] });
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: http.IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return decodeURIComponent(v);
  }
  return null;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let port = options.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const authorised = (req: http.IncomingMessage, url: URL) =>
    allowedHosts().has(req.headers.host ?? '') && (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (!authorised(req, url)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: open the URL that `sparkpolar serve` printed (it carries the access token).\n');
      return;
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (url.searchParams.has('token')) headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;

    if (req.method === 'POST' && url.pathname === '/upload') {
      void receiveUpload(req, res, options.uploadDir, headers);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/download') {
      serveDownload(res, url.searchParams.get('path'), exportsDirFor(options.uploadDir), headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
        res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
        res.end('The renderer is not built yet: run `npm run build`.\n');
        return;
      }
      res.writeHead(404, headers).end();
      return;
    }
    const ext = path.extname(file);
    headers['content-type'] = mediaType(ext);
    if (ext === '.html') headers['content-security-policy'] = contentSecurityPolicy(port);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const origin = req.headers.origin;
    const originOk = !origin || allowedHosts().has(origin.replace(/^http:\/\//, ''));
    if (url.pathname !== '/rpc' || !authorised(req, url) || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const detach = options.engine.attach(websocketChannel(ws));
      ws.on('close', detach);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Streams a dropped file to disk (never buffered whole) and answers with its path. */
async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, dir: string, headers: Record<string, string>) {
  const rawName = String(req.headers['x-file-name'] ?? 'upload.csv');
  const name =
    path
      .basename(decodeURIComponent(rawName))
      .replace(/[^\w.\- ]+/g, '_')
      .slice(0, 120) || 'upload.csv';
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${randomUUID()}-${name}`);
  try {
    await pipeline(req, fs.createWriteStream(target));
    res.writeHead(200, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: target, name }));
  } catch (err) {
    fs.rmSync(target, { force: true });
    if (!res.headersSent) res.writeHead(500, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(err) }));
  }
}
