/**
 * The real electron/main/index.ts, loaded with a recording `electron` module: checks that the app
 * actually wires the security baseline (window options, CSP on the session, guards on every web
 * contents, sender-checked IPC) and the process model (engine forked as a utility process, one
 * port to it and one to the window, single-instance lock, clean shutdown).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostEvent } from '../../shared/client';
import { FILE_CAPABILITY_ENV, verifyFileCapability } from '../../electron/engine/files/access';
import { IPC, RENDERER_CHANNELS } from '../../electron/main/ipc';
import { APP_ENTRY_URL, APP_SCHEME } from '../../electron/main/window';
import { fakeElectron as fake, FakeWebContents } from '../support/fake-electron';

vi.mock('electron', async () => (await import('../support/fake-electron')).fakeElectron.module);

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('Electron main wiring', () => {
  let csv: string;
  beforeAll(async () => {
    delete process.env.ELECTRON_RENDERER_URL;
    csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wiring-')), 'opened.csv');
    fs.writeFileSync(csv, 'a,b\n1,2\n');
    await import('../../electron/main/index');
    await tick();
  });

  it('takes the single-instance lock', () => {
    expect(fake.state.singleInstanceRequested).toBe(true);
  });

  it('creates the window sandboxed, isolated, without Node, and loads the app scheme', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0]!.options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.windows[0]!.loaded).toEqual([APP_ENTRY_URL]);
    expect(fake.privileged).toEqual([expect.objectContaining({ scheme: APP_SCHEME })]);
    expect(fake.protocolHandlers.has(APP_SCHEME)).toBe(true);
  });

  it('sets a strict CSP on every response of the session and denies permissions', () => {
    let headers: Record<string, string[]> | undefined;
    fake.sessionGuards.onHeadersReceived!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    const csp = headers!['Content-Security-Policy']![0]!;
    expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-eval');
    let granted: boolean | null = null;
    fake.sessionGuards.permissionRequest!(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('guards every web contents created: no navigation, no new window, only http(s) opened externally', async () => {
    const contents = new FakeWebContents();
    fake.appEvents.fire('web-contents-created', contents);
    expect(contents.fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.openHandler!({ url: 'https://example.org/a' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///tmp/x' })).toEqual({ action: 'deny' });
    await tick();
    expect(fake.openedExternally).toEqual(['https://example.org/', 'https://example.org/a']);
    // The app window itself got the same guards.
    expect(fake.windows[0]!.webContents.openHandler).not.toBeNull();
  });

  it('registers the host IPC channels, each refusing a foreign sender', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.values(IPC).sort());
    for (const [channel, handler] of fake.ipcHandlers) {
      const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
      await expect(
        Promise.resolve().then(() => (handler as (...a: unknown[]) => unknown)(foreign, 'storage.secretKey', 'x')),
        channel,
      ).rejects.toThrow(/refused/);
    }
  });

  it('forks the engine as a utility process with the data and logs folders', () => {
    expect(fake.children).toHaveLength(1);
    const fork = fake.children[0]!;
    expect(fork.modulePath).toMatch(/main[\\/]engine\.js$/);
    expect(fork.args).toEqual(['--home', fake.userData, '--logs', path.join(fake.userData, 'logs')]);
    expect(fork.options).toMatchObject({ stdio: 'pipe' });
  });

  it('hands one end of a fresh channel to the engine and the other to the window when the page loads', () => {
    const win = fake.windows[0]!;
    win.webContents.fire('did-finish-load');
    const connect = fake.children[0]!.child.sent.find((s) => s.message.type === 'connect')!;
    expect(connect.message).toEqual({ type: 'connect', windowId: win.webContents.id });
    const toWindow = win.webContents.posted.find((p) => p.channel === RENDERER_CHANNELS.enginePort)!;
    expect(toWindow.ports).toHaveLength(1);
    expect(connect.ports).toHaveLength(1);
    expect(toWindow.ports[0]).not.toBe(connect.ports[0]);
  });

  it('imports a CSV given to a second launch in the running window', () => {
    fake.appEvents.fire('second-instance', ['/opt/SparkPolar Studio/sparkpolar-studio', '.', '--some-switch', csv], path.dirname(csv));
    const sent = fake.windows[0]!.webContents.sent.filter((s) => s.channel === RENDERER_CHANNELS.hostEvent).map((s) => s.args[0]);
    // The window gets a capability for the file, which the engine verifies with the key main forked it with.
    const key = Buffer.from(String((fake.children[0]!.options as { env: Record<string, string> }).env[FILE_CAPABILITY_ENV]), 'hex');
    const opened = (sent as HostEvent[]).filter((e): e is Extract<HostEvent, { type: 'open-file' }> => e.type === 'open-file');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.path).not.toBe(csv);
    expect(verifyFileCapability(key, opened[0]!.path, 'read')).toBe(csv);
    expect(verifyFileCapability(key, opened[0]!.path, 'write')).toBeNull();
  });

  it('builds the native menus and writes its log in the user-data folder', () => {
    const labels = fake.menus.at(-1)!.map((m) => String(m.label).replace('&', ''));
    expect(labels).toEqual(
      process.platform === 'darwin'
        ? ['SparkPolar Studio', 'File', 'Edit', 'View', 'Run', 'Export', 'Help']
        : ['File', 'Edit', 'View', 'Run', 'Export', 'Help'],
    );
    const log = fs.readFileSync(path.join(fake.userData, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('"msg":"app ready"');
  });

  it('stops the engine cleanly before quitting', async () => {
    const prevented = fake.appEvents.fire('before-quit');
    expect(prevented).toBe(true);
    const child = fake.children[0]!.child;
    expect(child.sent.at(-1)!.message).toEqual({ type: 'shutdown' });
    child.exit(0);
    await tick();
    expect(fake.state.quitCalls).toBe(1);
  });
});
