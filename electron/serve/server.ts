/**
 * Browser mode: the built renderer and the engine's WebSocket on 127.0.0.1 only, guarded by a
 * random per-launch token. The printed URL carries the token; the first page load turns it into
 * an HttpOnly same-site cookie, which then authorises assets, uploads and the WebSocket.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { rendererCsp } from '../../shared/csp';
import { mediaType } from '../../shared/mime';
import type { Engine } from '../engine/engine';
import { websocketChannel } from './channel';
import { exportsDirFor, sendFile, serveDownload } from './downloads';
import { ArrivingUploads, DEFAULT_MAX_UPLOAD_BYTES, receiveUpload, sweepUploads, type UploadEvent } from './uploads';

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
  /** Largest upload accepted (default DEFAULT_MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
  /** Free bytes on a disk (tests inject it; statfs otherwise). */
  freeBytes?(dir: string): number | null;
  /** Told when an upload starts and ends (the benchmark's timeline). */
  observeUploads?(event: UploadEvent): void;
  /** How often every WebSocket is pinged (default HEARTBEAT_MS; tests shorten it). */
  heartbeatMs?: number;
}

/**
 * A window that vanished without closing its socket (a laptop put to sleep, a killed browser, a
 * dropped network path) leaves a half-open connection that would hold its subscriptions forever.
 * Every socket is pinged this often; one that has not answered the previous ping is dropped.
 * Browsers answer pings by themselves, so a live but idle window is never dropped.
 */
export const HEARTBEAT_MS = 30_000;

/** Largest WebSocket message: far above any request the window sends (a whole run's results included). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

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

/** decodeURIComponent that answers null instead of throwing on a malformed escape such as `%`. */
export function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function cookieToken(req: http.IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return safeDecode(v);
  }
  return null;
}

/**
 * The request's URL, parsed against a fixed base: the Host header is checked on its own and
 * never parsed (a Host the URL parser rejects must not reach it). Null when unparsable.
 */
function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(text.endsWith('\n') ? text : text + '\n');
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let port = options.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const authorised = (req: http.IncomingMessage, url: URL) =>
    allowedHosts().has(req.headers.host ?? '') && (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req), token));
  const log = options.engine.ctx.log;
  const uploads = path.resolve(options.uploadDir);
  const uploadLimits = {
    maxBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    freeBytes: options.freeBytes,
    observe: options.observeUploads,
  };
  const arrivingUploads = new ArrivingUploads(uploads, options.engine.ctx.arriving, uploadLimits);
  const swept = sweepUploads(uploads);
  if (swept) log.info('browser mode: removed uploads that were never imported', { count: swept });

  // Every request is answered, malformed ones with 400: nothing a local process sends may stop the server.
  const server = http.createServer((req, res) => {
    try {
      handleRequest(req, res);
    } catch (err) {
      log.warn('browser mode: request failed', { method: req.method, error: err instanceof Error ? err.message : String(err) });
      plain(res, 400, 'Bad request.');
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = requestUrl(req);
    if (!url) {
      plain(res, 400, 'Bad request: the URL cannot be parsed.');
      return;
    }
    if (!authorised(req, url)) {
      plain(res, 403, 'Forbidden: open the URL that `sparkpolar serve` printed (it carries the access token).');
      return;
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (url.searchParams.has('token')) headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;

    if (req.method === 'POST' && url.pathname === '/upload/begin') {
      arrivingUploads.begin(req, res, headers);
      return;
    }
    const uploadId = url.searchParams.get('id');
    if (req.method === 'POST' && url.pathname === '/upload' && uploadId !== null) {
      void arrivingUploads.receive(req, res, uploadId, headers).catch((err: unknown) => {
        log.warn('browser mode: upload failed', { error: err instanceof Error ? err.message : String(err) });
        plain(res, 500, 'Upload failed.', headers);
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      void receiveUpload(req, res, uploads, headers, uploadLimits).catch((err: unknown) => {
        log.warn('browser mode: upload failed', { error: err instanceof Error ? err.message : String(err) });
        plain(res, 500, 'Upload failed.', headers);
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/download') {
      serveDownload(res, url.searchParams.get('path'), exportsDirFor(uploads), headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const decoded = url.pathname === '/' ? 'index.html' : safeDecode(url.pathname);
    if (decoded === null || decoded.includes('\0')) {
      plain(res, 400, 'Bad request: malformed percent-encoding.', headers);
      return;
    }
    const file = path.resolve(rendererDir, decoded.replace(/^\/+/, ''));
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
    else sendFile(file, res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const answered = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!answered.has(ws)) {
        log.info('browser mode: a window stopped answering pings; its connection is closed');
        ws.terminate();
        continue;
      }
      answered.delete(ws);
      ws.ping();
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req);
      const origin = req.headers.origin;
      const originOk = !origin || allowedHosts().has(origin.replace(/^http:\/\//, ''));
      if (!url || url.pathname !== '/rpc' || !authorised(req, url) || !originOk) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Frames that break the protocol (bad opcode, too large, bad UTF-8) close this socket only.
        ws.on('error', (err) => log.warn('browser mode: WebSocket closed on a protocol error', { error: err.message }));
        answered.add(ws);
        ws.on('pong', () => answered.add(ws));
        const detach = options.engine.attach(websocketChannel(ws));
        ws.on('close', detach);
      });
    } catch (err) {
      log.warn('browser mode: upgrade failed', { error: err instanceof Error ? err.message : String(err) });
      socket.destroy();
    }
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
      clearInterval(heartbeat);
      arrivingUploads.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
