/**
 * A recording stand-in for the `electron` module as Electron main uses it, so the real
 * electron/main/index.ts can be loaded in vitest (`vi.mock('electron', ...)`) and its wiring
 * checked: which options the window gets, which guards and handlers are installed, what is forked.
 * One instance per test file (`fakeElectron`), created on first import.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { FakeChild } from './electron-fakes';
import { fakeSafeStorage } from './fake-safe-storage';

type Listener = (...args: never[]) => unknown;

class Recorder extends EventEmitter {
  /** Calls the listeners of an event like Electron would, returning whether one prevented it. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    const e = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners(event)) (l as (...a: unknown[]) => void)(e, ...args);
    return prevented;
  }
}

export class FakeWebContents extends Recorder {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly posted: { channel: string; message: unknown; ports: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  postMessage(channel: string, message: unknown, ports: unknown[] = []) {
    this.posted.push({ channel, message, ports });
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (d: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  isDestroyed() {
    return false;
  }
}

export function createFakeElectron() {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkpolar-fake-electron-'));
  const appEvents = new Recorder();
  const windows: FakeBrowserWindow[] = [];
  const children: { child: FakeChild; modulePath: string; args: string[]; options: unknown }[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  const sessionGuards: {
    onHeadersReceived:
      | ((details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void)
      | null;
    permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null;
  } = { onHeadersReceived: null, permissionRequest: null };
  const menus: MenuItemConstructorOptions[][] = [];
  const openedExternally: string[] = [];
  const state = { singleInstanceRequested: false, quitCalls: 0 };

  class FakeBrowserWindow extends Recorder {
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    destroyed = false;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
      appEvents.fire('web-contents-created', this.webContents);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    show() {}
    maximize() {}
    reload() {}
    destroy() {
      this.destroyed = true;
    }
    isMaximized() {
      return false;
    }
    isFullScreen() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 10, width: 1200, height: 800 };
    }
  }

  const module = {
    app: Object.assign(appEvents, {
      isPackaged: false,
      name: 'SparkPolar Studio',
      getPath: (name: string) => (name === 'userData' ? userData : path.join(userData, name)),
      getVersion: () => '0.0.0-test',
      requestSingleInstanceLock: () => ((state.singleInstanceRequested = true), true),
      whenReady: () => Promise.resolve(),
      isReady: () => true,
      quit: () => void state.quitCalls++,
      setAppUserModelId: () => undefined,
      addRecentDocument: () => undefined,
      clearRecentDocuments: () => undefined,
    }),
    BrowserWindow: FakeBrowserWindow,
    MessageChannelMain: class {
      readonly port1: MessagePort;
      readonly port2: MessagePort;
      constructor() {
        const { port1, port2 } = new MessageChannel();
        this.port1 = port1;
        this.port2 = port2;
      }
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[], options: unknown) => {
        const child = new FakeChild();
        children.push({ child, modulePath, args, options });
        return child;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (l: typeof sessionGuards.onHeadersReceived) => (sessionGuards.onHeadersReceived = l) },
        setPermissionRequestHandler: (h: typeof sessionGuards.permissionRequest) => (sessionGuards.permissionRequest = h),
        setPermissionCheckHandler: () => undefined,
      },
    },
    ipcMain: {
      handle: (channel: string, listener: Listener) => ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
      setApplicationMenu: (menu: MenuItemConstructorOptions[]) => menus.push(menu),
    },
    safeStorage: fakeSafeStorage(),
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    nativeTheme: { shouldUseDarkColors: false },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
      showMessageBox: async () => ({ response: 0 }),
    },
    shell: {
      openExternal: async (url: string) => void openedExternally.push(url),
      openPath: async () => '',
      showItemInFolder: () => undefined,
    },
  };

  return {
    module,
    userData,
    appEvents,
    windows,
    children,
    ipcHandlers,
    protocolHandlers,
    privileged,
    sessionGuards,
    menus,
    openedExternally,
    state,
  };
}

export const fakeElectron = createFakeElectron();
