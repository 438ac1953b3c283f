/**
 * The real preload module, loaded with Electron's preload APIs replaced by recorders: it exposes
 * one global, `studio`, made only of functions and data, with no door to Node or to raw IPC.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, RENDERER_CHANNELS } from '../../electron/main/ipc';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, (event: { ports: unknown[] }, ...args: unknown[]) => void>();
  const invoked: unknown[][] = [];
  return {
    exposed,
    listeners,
    invoked,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: {
        on: (channel: string, listener: (event: { ports: unknown[] }, ...args: unknown[]) => void) => listeners.set(channel, listener),
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return args[0] === 'file:grant-dropped' ? `capability-of:${String(args[1])}` : null;
        },
        send: () => {
          throw new Error('the preload must not use ipcRenderer.send');
        },
      },
      webUtils: { getPathForFile: (file: { name: string }) => `/real/${file.name}` },
    },
  };
});
vi.mock('electron', () => electron.module);

type Studio = {
  call(method: string, params: unknown): Promise<unknown>;
  onEvent(l: (e: unknown) => void): () => void;
  host: Record<string, unknown> & { kind: string; pathForFile(f: unknown): Promise<string | null>; openCsvDialog(): Promise<unknown> };
};

function walk(value: unknown, path: string, seen: Set<unknown>, visit: (path: string, value: unknown) => void): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  for (const key of Object.getOwnPropertyNames(value)) {
    if (typeof value === 'function' && ['length', 'name', 'prototype'].includes(key)) continue;
    const child = (value as Record<string, unknown>)[key];
    visit(`${path}.${key}`, child);
    walk(child, `${path}.${key}`, seen, visit);
  }
}

describe('preload', () => {
  let studio: Studio;
  beforeAll(async () => {
    await import('../../electron/preload/index');
    studio = electron.exposed.get('studio') as Studio;
  });

  it('exposes exactly one global, window.studio', () => {
    expect([...electron.exposed.keys()]).toEqual(['studio']);
  });

  it('exposes only the bridge and the host capabilities, all functions or plain data', () => {
    expect(Object.keys(studio).sort()).toEqual(['call', 'host', 'onEvent']);
    expect(Object.keys(studio.host).sort()).toEqual(
      [
        'connectionState',
        'kind',
        'onConnection',
        'onHostEvent',
        'openCsvDialog',
        'pathForFile',
        'printReportToPdf',
        'saveDialog',
        'showItemInFolder',
      ].sort(),
    );
    expect(studio.host.kind).toBe('electron');
    const forbidden =
      /^(ipcRenderer|ipc|invoke|send|sendSync|require|process|Buffer|electron|contextBridge|webUtils|module|global|globalThis)$/;
    walk(studio, 'studio', new Set(), (path, value) => {
      expect(path.split('.').at(-1), path).not.toMatch(forbidden);
      expect(typeof value === 'function' || typeof value === 'string' || typeof value === 'object', path).toBe(true);
    });
  });

  it('listens only to the three main → renderer channels', () => {
    expect([...electron.listeners.keys()].sort()).toEqual(Object.values(RENDERER_CHANNELS).sort());
  });

  it('invokes only channels main registers with sender checks', async () => {
    await studio.host.openCsvDialog();
    await (studio.host.saveDialog as (r: unknown) => Promise<unknown>)({ kind: 'csv' });
    await (studio.host.printReportToPdf as (p: string) => Promise<unknown>)('/tmp/r.html');
    (studio.host.showItemInFolder as (p: string) => void)('/tmp/x.csv');
    await new Promise((r) => setTimeout(r, 0));
    const channels = electron.invoked.map((args) => args[0]);
    expect(channels).toEqual([IPC.openCsvDialog, IPC.saveDialog, IPC.printReportToPdf, IPC.showItemInFolder]);
    for (const channel of channels) expect(Object.values(IPC)).toContain(channel);
  });

  it('hands main the real path of a dropped file (webUtils) and gives the page only the capability main signs', async () => {
    const before = electron.invoked.length;
    expect(await studio.host.pathForFile({ name: 'crashes.csv' })).toBe('capability-of:/real/crashes.csv');
    expect(electron.invoked.slice(before)).toEqual([[IPC.grantDroppedFile, '/real/crashes.csv']]);
  });

  it('talks to the engine over the port main hands over, and returns errors as plain data with their code', async () => {
    const { port1, port2 } = new MessageChannel();
    port1.addEventListener('message', (e) => {
      const m = (e as MessageEvent).data as { id: number; method: string };
      if (m.method === 'system/ping') port1.postMessage({ kind: 'reply', id: m.id, data: { pong: true } });
      else port1.postMessage({ kind: 'error', id: m.id, error: { code: 'DATASET_NOT_FOUND', message: 'No dataset "x".' } });
    });
    port1.start();
    electron.listeners.get(RENDERER_CHANNELS.enginePort)!({ ports: [port2] });
    expect(await studio.call('system/ping', {})).toEqual({ pong: true });
    const error = await studio.call('dataset/get', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StudioError', code: 'DATASET_NOT_FOUND', message: 'No dataset "x".' });
    expect(error).not.toBeInstanceOf(Error); // an Error would lose `code` crossing the context bridge
    port1.close();
  });
});
