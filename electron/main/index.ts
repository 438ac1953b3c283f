/**
 * Electron main: thin. It owns the window, menus, dialogs, OS integration (single instance, files
 * opened from the OS, recent files), secrets (safeStorage) and the engine supervisor. Every piece
 * of logic lives in a module that takes Electron's objects as arguments; this file wires them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
  type MessagePortMain,
} from 'electron';
import type { HostEvent, MenuAction } from '../../shared/host';
import { createFileLogger } from '../engine/logging/file-logger';
import { engineArgs, FILE_CAPABILITY_ENV, isSecretRequest, signFileCapability } from '../engine/utility/protocol';
import { appProtocolHandler, APP_SCHEME_PRIVILEGES } from './app-protocol';
import { EngineSupervisor, type WindowLink } from './engine-supervisor';
import { IPC, registerIpcHandlers, RENDERER_CHANNELS, SAVE_KINDS } from './ipc';
import { aboutText, buildMenuTemplate } from './menu';
import { filesFromArgv, OpenFileQueue } from './open-files';
import { builtPaths, userPaths } from './paths';
import { RecentFiles } from './recent-files';
import { printHtmlToPdf } from './report-pdf';
import { SecretVault } from './secrets';
import { APP_ENTRY_URL, APP_SCHEME, contentSecurityPolicy, guardNavigation, guardSession, isAppUrl, mainWindowOptions } from './window';
import { loadWindowState, restoreBounds, trackWindowState } from './window-state';

const APP_ID = 'dev.sparkpolar.studio';
const mainDir = path.dirname(fileURLToPath(import.meta.url));
const built = builtPaths(mainDir, { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath });
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const csp = contentSecurityPolicy({ devServer });
const appUrl = (url: string) => isAppUrl(url, devServer);

// Must happen before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

const paths = userPaths(app.getPath('userData'), process.env);
const log = createFileLogger({ dir: paths.logs, name: 'main', echo: devServer ? (line) => process.stderr.write(line + '\n') : undefined });
const openQueue = new OpenFileQueue();
// The renderer never names a raw path to the engine: main signs what the user chose with this launch's key.
const fileKey = randomBytes(32);
const readCapability = (file: string) => signFileCapability(fileKey, file, 'read');
/** Dropped files main signs a capability for: text tables only, so a drop cannot hand the engine a key file. */
const DROPPABLE = /\.(csv|tsv|txt|psv)$/i;

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our argv through 'second-instance' and imports the files.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  let windowLink: WindowLink<MessagePortMain> | null = null;
  let quitting = false;
  const recent = new RecentFiles(paths.recentFiles);

  for (const file of filesFromArgv(process.argv, { cwd: process.cwd(), skip: app.isPackaged ? 1 : 2 })) openQueue.push(file);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    for (const file of filesFromArgv(argv, { cwd: workingDirectory, skip: app.isPackaged ? 1 : 2 })) openQueue.push(file);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    } else if (app.isReady()) createWindow();
  });
  // macOS: double-click in Finder, drop on the Dock icon (may arrive before `ready`).
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openQueue.push(file);
    if (app.isReady() && !mainWindow) createWindow();
  });

  const sendHostEvent = (event: HostEvent) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(RENDERER_CHANNELS.hostEvent, event);
  };

  const openFile = (file: string) => {
    recent.add(file);
    app.addRecentDocument(file);
    refreshMenu();
    log.info('file opened from the OS or a menu', { file });
    sendHostEvent({ type: 'open-file', path: readCapability(file) });
    mainWindow?.focus();
  };

  const showOpenCsvDialog = async (): Promise<string | null> => {
    const options: Electron.OpenDialogOptions = {
      title: 'Open CSV',
      properties: ['openFile'],
      filters: [
        { name: 'CSV and TSV files', extensions: ['csv', 'tsv', 'txt'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    const file = result.canceled ? null : (result.filePaths[0] ?? null);
    if (file) {
      recent.add(file);
      app.addRecentDocument(file);
      refreshMenu();
    }
    return file;
  };
  const openCsvCapability = async () => {
    const file = await showOpenCsvDialog();
    return file ? readCapability(file) : null;
  };

  const showSaveDialog = async (request: {
    kind: keyof typeof SAVE_KINDS;
    defaultName?: string | undefined;
    title?: string | undefined;
  }) => {
    const filter = SAVE_KINDS[request.kind];
    const options: Electron.SaveDialogOptions = {
      title: request.title ?? `Save ${filter.name}`,
      defaultPath: path.join(app.getPath('documents'), request.defaultName ?? `export.${filter.extensions[0]}`),
      filters: [{ name: filter.name, extensions: [...filter.extensions] }],
    };
    const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
  const saveCapability = async (request: Parameters<typeof showSaveDialog>[0]) => {
    const file = await showSaveDialog(request);
    return file ? signFileCapability(fileKey, file, 'write') : null;
  };

  const showAbout = () => {
    const text = aboutText({
      app: app.getVersion(),
      electron: process.versions.electron ?? '?',
      chrome: process.versions.chrome ?? '?',
      node: process.versions.node,
      v8: process.versions.v8,
      os: `${os.type()} ${os.release()} (${process.arch})`,
    });
    const options: Electron.MessageBoxOptions = {
      type: 'info',
      title: `About ${app.name}`,
      message: app.name,
      detail: text,
      buttons: ['OK'],
    };
    void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
  };

  function refreshMenu(): void {
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: app.name,
      recentFiles: recent.list(),
      developer: !app.isPackaged,
      actions: {
        send: (action: MenuAction) => sendHostEvent({ type: 'menu', action }),
        openCsv: () => void showOpenCsvDialog().then((file) => file && openFile(file)),
        openRecent: (file) => (fs.existsSync(file) ? openFile(file) : refreshMenu()),
        clearRecent: () => {
          recent.clear();
          app.clearRecentDocuments();
          refreshMenu();
        },
        openLogsFolder: () => void shell.openPath(paths.logs),
        openDataFolder: () => void shell.openPath(paths.home),
        showAbout,
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  let supervisor: EngineSupervisor<MessagePortMain>;

  function createWindow(): void {
    const state = loadWindowState(paths.windowState);
    const bounds = restoreBounds(
      state,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow(
      mainWindowOptions({
        preload: built.preload,
        bounds: bounds ?? undefined,
        icon: fs.existsSync(built.icon) ? built.icon : undefined,
        dark: nativeTheme.shouldUseDarkColors,
      }),
    );
    mainWindow = win;
    if (state?.maximized) win.maximize();
    trackWindowState(win, paths.windowState, (err) => log.warn('window state not saved', { error: String(err) }));

    const contents = win.webContents;
    const link: WindowLink<MessagePortMain> = {
      id: contents.id,
      sendPort: (port) => contents.postMessage(RENDERER_CHANNELS.enginePort, null, [port]),
      sendHostEvent: (event) => contents.send(RENDERER_CHANNELS.hostEvent, event),
      notifyDown: (reason) => contents.send(RENDERER_CHANNELS.engineDown, reason),
      isDestroyed: () => win.isDestroyed() || contents.isDestroyed(),
    };
    windowLink = link;
    // Each load (first load, reload) gets a fresh channel to the engine, then any queued files.
    contents.on('did-finish-load', () => {
      supervisor.connect(link);
      openQueue.setReceiver(openFile);
    });
    contents.on('render-process-gone', (_event, details) => {
      log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
      if (details.reason !== 'clean-exit' && !win.isDestroyed()) win.reload();
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      supervisor.disconnect(link.id);
      openQueue.setReceiver(null);
      if (mainWindow === win) mainWindow = null;
      if (windowLink === link) windowLink = null;
    });
    void (devServer ? win.loadURL(devServer) : win.loadURL(APP_ENTRY_URL));
  }

  // Every web contents (the window, the PDF printer, anything created later) gets the guards.
  app.on('web-contents-created', (_event, contents) => {
    guardNavigation(contents, {
      openExternal: (url) => void shell.openExternal(url),
      onBlocked: (kind, url) => log.warn('blocked', { kind, url }),
    });
  });

  app.on('child-process-gone', (_event, details) => {
    if (details.type === 'Utility')
      log.error('utility process gone', {
        name: details.name,
        serviceName: details.serviceName,
        reason: details.reason,
        exitCode: details.exitCode,
      });
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, appProtocolHandler(built.rendererDir, csp));
    guardSession(session.defaultSession, csp);

    const vault = new SecretVault({ safeStorage, file: paths.secrets, platform: process.platform, log });
    supervisor = new EngineSupervisor<MessagePortMain>({
      fork: () =>
        utilityProcess.fork(built.engine, engineArgs({ home: paths.home, logsDir: paths.logs }), {
          serviceName: 'SparkPolar Engine',
          stdio: 'pipe',
          env: { ...process.env, [FILE_CAPABILITY_ENV]: fileKey.toString('hex') },
        }),
      createChannel: () => new MessageChannelMain(),
      log,
      onEngineMessage: (message, reply) => {
        if (isSecretRequest(message)) {
          const answer = vault.answer(message);
          if (answer) reply(answer);
        }
      },
    });
    supervisor.start();

    registerIpcHandlers(ipcMain, {
      isAppUrl: appUrl,
      log,
      showOpenCsvDialog: openCsvCapability,
      showSaveDialog: saveCapability,
      grantDroppedFile: (file) =>
        DROPPABLE.test(file) && fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? readCapability(file) : null,
      printReportToPdf: async (htmlPath) => {
        const pdfPath = await showSaveDialog({ kind: 'pdf', defaultName: `${path.basename(htmlPath).replace(/\.html?$/i, '')}.pdf` });
        if (!pdfPath) return null;
        await printHtmlToPdf((options) => new BrowserWindow(options), htmlPath, pdfPath);
        return pdfPath;
      },
      showItemInFolder: (file) => shell.showItemInFolder(file),
      fileExists: (file) => fs.existsSync(file),
    });
    log.info('app ready', { version: app.getVersion(), electron: process.versions.electron, home: paths.home, ipc: Object.values(IPC) });

    refreshMenu();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Stop the engine cleanly (it stops the embedded PostgreSQL it started) before quitting.
  app.on('before-quit', (event) => {
    if (quitting || !supervisor) return;
    event.preventDefault();
    quitting = true;
    void supervisor.stop().finally(() => {
      log.info('app quit');
      log.close();
      app.quit();
    });
  });
}
