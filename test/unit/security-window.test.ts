/**
 * The window's security baseline, tested on the real option builders and guards (Electron's
 * objects replaced by recorders). Each test fails if its protection is switched off.
 */
import { describe, expect, it } from 'vitest';
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import {
  APP_ENTRY_URL,
  contentSecurityPolicy,
  guardNavigation,
  guardSession,
  isAppUrl,
  isExternalHttpUrl,
  mainWindowOptions,
  secureWebPreferences,
  withCspHeader,
  type GuardedContents,
  type GuardedSession,
} from '../../electron/main/window';
import { appProtocolHandler, resolveAppFile } from '../../electron/main/app-protocol';
import { PRINT_WINDOW_OPTIONS } from '../../electron/main/report-pdf';

function parseCsp(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('web preferences', () => {
  it('isolate the context, sandbox the renderer and give it no Node', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    // No remote module, no extra switches that reopen Node.
    expect(Object.keys(prefs)).not.toContain('enableRemoteModule');
    expect(Object.keys(prefs)).not.toContain('additionalArguments');
  });

  it('are the ones the main window is built with', () => {
    const options = mainWindowOptions({ preload: '/p.cjs', bounds: { x: 10, y: 20, width: 1000, height: 700 } });
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(options.show).toBe(false);
    expect([options.x, options.y, options.width, options.height]).toEqual([10, 20, 1000, 700]);
  });

  it('keep the hidden PDF printer sandboxed with JavaScript off', () => {
    expect(PRINT_WINDOW_OPTIONS.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
    });
  });
});

describe('content security policy', () => {
  it('is strict in production: default-src self, no eval, no inline script, no plugins, no framing', () => {
    const csp = parseCsp(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    for (const [, values] of csp) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain('*');
      expect(values.some((v) => v.startsWith('http:') || v.startsWith('ws:'))).toBe(false);
    }
  });

  it('opens up only to the dev server in development, and never to eval', () => {
    const csp = parseCsp(contentSecurityPolicy({ devServer: 'http://localhost:5173/' }));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it('replaces any CSP header a response carries', () => {
    const headers = withCspHeader({ 'content-security-policy': ['default-src *'], 'X-Other': 'a' }, "default-src 'self'");
    expect(headers['Content-Security-Policy']).toEqual(["default-src 'self'"]);
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toHaveLength(1);
    expect(headers['X-Other']).toEqual(['a']);
  });

  it('is set on every response of the session, and no permission but clipboard writing is granted', () => {
    let onHeaders: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0] | null = null;
    let onRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let onCheck: ((wc: unknown, permission: string) => boolean) | null = null;
    const session: GuardedSession = {
      webRequest: { onHeadersReceived: (l) => (onHeaders = l) },
      setPermissionRequestHandler: (h) => (onRequest = h),
      setPermissionCheckHandler: (h) => (onCheck = h),
    };
    const policy = contentSecurityPolicy();
    guardSession(session, policy);
    let answered: Record<string, string[] | string> | undefined;
    onHeaders!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (answered = r.responseHeaders));
    expect(answered!['Content-Security-Policy']).toEqual([policy]);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      let granted: boolean | null = null;
      onRequest!(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(onCheck!(null, permission), permission).toBe(false);
    }
    expect(onCheck!(null, 'clipboard-sanitized-write')).toBe(true);
  });

  it('is sent with every page the app protocol serves, which serves nothing outside the renderer folder', async () => {
    const dir = new URL('../../', import.meta.url).pathname;
    expect(resolveAppFile('/app/renderer', 'app://studio/assets/x.js')).toBe('/app/renderer/assets/x.js');
    expect(resolveAppFile('/app/renderer', 'app://studio/')).toBe('/app/renderer/index.html');
    // Dot segments are clamped to the root by URL parsing; encoded slashes are caught by the path check.
    expect(resolveAppFile('/app/renderer', 'app://studio/%2e%2e/%2e%2e/etc/passwd')).toBe('/app/renderer/etc/passwd');
    expect(resolveAppFile('/app/renderer', 'app://studio/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveAppFile('/app/renderer', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/app/renderer', 'file:///etc/passwd')).toBeNull();
    const handler = appProtocolHandler(dir, "default-src 'self'");
    const ok = await handler(new Request('app://studio/package.json'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await handler(new Request('app://studio/no-such-file'))).status).toBe(404);
  });
});

describe('navigation and new windows', () => {
  function recorder() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
    const contents: GuardedContents = {
      on: ((event: string, l: (event: { preventDefault(): void }, url: string) => void) =>
        listeners.set(event, l)) as GuardedContents['on'],
      setWindowOpenHandler: (h) => (openHandler = h),
    };
    const opened: string[] = [];
    guardNavigation(contents, { openExternal: (u) => opened.push(u) });
    const fire = (name: string, url: string) => {
      let prevented = false;
      listeners.get(name)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    const open = (url: string) => openHandler!({ url } as HandlerDetails);
    return { fire, open, opened };
  }

  it('blocks every navigation, opening only http(s) links in the OS browser', () => {
    const r = recorder();
    expect(r.fire('will-navigate', 'https://example.org/docs')).toBe(true);
    expect(r.fire('will-navigate', 'http://example.org/')).toBe(true);
    expect(r.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(r.fire('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(r.fire('will-navigate', APP_ENTRY_URL)).toBe(true);
    expect(r.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(r.opened).toEqual(['https://example.org/docs', 'http://example.org/']);
  });

  it('denies every new window, opening only http(s) targets externally', () => {
    const r = recorder();
    for (const url of [
      'https://databricks.example/run/1',
      'file:///C:/Windows/system32/calc.exe',
      'smb://share/x',
      'mailto:a@b.c',
      'app://studio/index.html',
    ]) {
      expect(r.open(url)).toEqual({ action: 'deny' });
    }
    expect(r.opened).toEqual(['https://databricks.example/run/1']);
  });

  it('refuses webviews', () => {
    const r = recorder();
    expect(r.fire('will-attach-webview', '')).toBe(true);
  });

  it('recognises only web links as external and only the app scheme (or the dev server) as the app', () => {
    expect(isExternalHttpUrl('https://a.b/c')).toBe(true);
    expect(isExternalHttpUrl('http://a.b')).toBe(true);
    for (const bad of ['file:///x', 'javascript:void 0', 'data:text/html,x', 'ms-settings:', 'vbscript:x', 'not a url', 'https://'])
      expect(isExternalHttpUrl(bad), bad).toBe(false);
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('app://studio.evil/index.html')).toBe(false);
    expect(isAppUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});
