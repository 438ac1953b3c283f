/**
 * The main window's security baseline, as option builders and guards that take Electron's objects
 * as arguments (only types are imported here, so the unit tests load this module without Electron):
 * sandboxed renderer with context isolation and no Node, a strict CSP on every response, no
 * navigation, no new windows, only http(s) links handed to the OS browser, no permissions.
 */
import { rendererCsp, type CspOptions } from '../../shared/csp';
import type { BrowserWindowConstructorOptions, HandlerDetails, Rectangle, WebPreferences, WindowOpenHandlerResponse } from 'electron';

/** The renderer is served from this privileged scheme (not file://, so 'self' means only the app). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The renderer's CSP is defined once, in `shared/csp.ts`; main passes the dev server in development. */
export function contentSecurityPolicy(options: Pick<CspOptions, 'devServer'> = {}): string {
  return rendererCsp({ devServer: options.devServer });
}

/** Adds (or replaces) the CSP header of a response's header map. */
export function withCspHeader(headers: Record<string, string[] | string> | undefined, policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === 'content-security-policy') continue;
    out[key] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

/** The renderer's web preferences. Every flag here is checked by test/unit/security-window.test.ts. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function mainWindowOptions(options: {
  preload: string;
  bounds?: Partial<Rectangle> | undefined;
  icon?: string | undefined;
  dark?: boolean;
}): BrowserWindowConstructorOptions {
  const result: BrowserWindowConstructorOptions = {
    title: 'SparkPolar Studio',
    width: options.bounds?.width ?? 1360,
    height: options.bounds?.height ?? 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: options.dark ? '#1e1f22' : '#ffffff',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(options.preload),
  };
  if (options.bounds?.x !== undefined && options.bounds.y !== undefined) {
    result.x = options.bounds.x;
    result.y = options.bounds.y;
  }
  if (options.icon) result.icon = options.icon;
  return result;
}

/** Only web links leave the app, and only to the OS browser. */
export function isExternalHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** True for the app's own pages (the app scheme, or the dev server in development). */
export function isAppUrl(url: string, devServer?: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
    return !!devServer && u.origin === new URL(devServer).origin;
  } catch {
    return false;
  }
}

/** The part of WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url?: string }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

export interface GuardOptions {
  openExternal(url: string): void;
  onBlocked?(kind: 'navigation' | 'redirect' | 'window' | 'webview', url: string): void;
}

/**
 * Blocks every navigation, redirect, new window and webview. A blocked http(s) link is opened in
 * the OS browser instead; any other scheme (file:, javascript:, custom handlers) goes nowhere.
 */
export function guardNavigation(contents: GuardedContents, options: GuardOptions): void {
  const external = (url: string) => {
    if (isExternalHttpUrl(url)) options.openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    options.onBlocked?.('navigation', url);
    external(url);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    options.onBlocked?.('redirect', url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onBlocked?.('webview', '');
  });
  contents.setWindowOpenHandler((details) => {
    options.onBlocked?.('window', details.url);
    external(details.url);
    return { action: 'deny' };
  });
}

/** The part of Session the session guards use. */
export interface GuardedSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/** Copying a result table to the clipboard is the one permission the app's pages use. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** A CSP header on every response the window's session receives, and no other permission granted. */
export function guardSession(session: GuardedSession, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCspHeader(details.responseHeaders, policy) }),
  );
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
}
