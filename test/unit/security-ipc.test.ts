/**
 * Every IPC handler main registers refuses a sender that is not the app's own top-level page,
 * before doing anything, and validates its arguments. Tested on the real registration function.
 */
import { describe, expect, it } from 'vitest';
import { IPC, isTrustedSender, registerIpcHandlers, type InvokeEventLike, type IpcDeps } from '../../electron/main/ipc';
import { isAppUrl } from '../../electron/main/window';
import { memoryLogger } from '../support/electron-fakes';

function setup() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const calls: string[] = [];
  const deps: IpcDeps = {
    isAppUrl: (url) => isAppUrl(url),
    log: memoryLogger(),
    showOpenCsvDialog: async () => (calls.push('open'), '/data/a.csv'),
    showSaveDialog: async (r) => (calls.push(`save:${r.kind}`), `/out/x.${r.kind}`),
    grantDroppedFile: (f) => (calls.push(`grant:${f}`), `capability-of:${f}`),
    printReportToPdf: async (p) => (calls.push(`pdf:${p}`), '/out/r.pdf'),
    showItemInFolder: (p) => void calls.push(`show:${p}`),
    fileExists: () => true,
  };
  const off = registerIpcHandlers({ handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) }, deps);
  const invoke = async (channel: string, event: InvokeEventLike, ...args: unknown[]) => handlers.get(channel)!(event, ...args);
  return { handlers, calls, invoke, off };
}

const app: InvokeEventLike = { senderFrame: { url: 'app://studio/index.html#/settings', parent: null } };
const untrusted: [string, InvokeEventLike][] = [
  ['no frame (navigated away or destroyed)', { senderFrame: null }],
  ['a subframe of the app', { senderFrame: { url: 'app://studio/index.html', parent: {} } }],
  ['a web page', { senderFrame: { url: 'https://evil.example/', parent: null } }],
  ['a local file', { senderFrame: { url: 'file:///home/me/report.html', parent: null } }],
  ['a look-alike host', { senderFrame: { url: 'app://studio.evil/index.html', parent: null } }],
];
const validArgs: Record<string, unknown[]> = {
  [IPC.openCsvDialog]: [],
  [IPC.saveDialog]: [{ kind: 'csv', defaultName: 'x.csv' }],
  [IPC.grantDroppedFile]: ['/tmp/dropped.csv'],
  [IPC.printReportToPdf]: ['/tmp/report.html'],
  [IPC.showItemInFolder]: ['/tmp/x.csv'],
};

describe('IPC sender checks', () => {
  it('registers exactly the host actions, nothing that reads a secret back', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC).sort());
    expect([...handlers.keys()].some((c) => /secret.*get|get.*secret/i.test(c))).toBe(false);
  });

  for (const [what, event] of untrusted) {
    it(`refuses every channel from ${what} before acting`, async () => {
      const { handlers, calls, invoke } = setup();
      for (const channel of handlers.keys()) {
        await expect(invoke(channel, event, ...(validArgs[channel] ?? [])), channel).rejects.toThrow(/refused/);
      }
      expect(calls).toEqual([]);
    });
  }

  it('serves the app page', async () => {
    const { handlers, calls, invoke } = setup();
    for (const channel of handlers.keys()) await invoke(channel, app, ...(validArgs[channel] ?? []));
    expect(calls).toEqual(['open', 'save:csv', 'grant:/tmp/dropped.csv', 'pdf:/tmp/report.html', 'show:/tmp/x.csv']);
  });

  it('validates arguments from the app page too', async () => {
    const { invoke, calls } = setup();
    await expect(invoke(IPC.saveDialog, app, { kind: 'exe' })).rejects.toThrow();
    await expect(invoke(IPC.printReportToPdf, app, 'relative/report.html')).rejects.toThrow();
    await expect(invoke(IPC.printReportToPdf, app, '/etc/passwd')).rejects.toThrow();
    await expect(invoke(IPC.showItemInFolder, app, 42)).rejects.toThrow();
    await expect(invoke(IPC.grantDroppedFile, app, 'relative.csv')).rejects.toThrow();
    await expect(invoke(IPC.grantDroppedFile, app, { path: '/etc/passwd' })).rejects.toThrow();
    expect(calls).toEqual([]);
  });

  it('checks the top frame and the URL in one predicate', () => {
    expect(isTrustedSender(app, (u) => isAppUrl(u))).toBe(true);
    for (const [, event] of untrusted) expect(isTrustedSender(event, (u) => isAppUrl(u))).toBe(false);
  });

  it('removes its handlers on request', () => {
    const { handlers, off } = setup();
    off();
    expect(handlers.size).toBe(0);
  });
});
