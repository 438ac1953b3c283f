/**
 * The native menus (File, Edit, View, Run, Export, Help; plus the app menu on macOS) as a plain
 * template built from injected actions, so it is tested without Electron. Items that belong to the
 * pages send `{type: 'menu', action}` host events to the focused window's renderer.
 */
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { MENU_ACTIONS, type MenuAction } from '../../shared/host';

export { MENU_ACTIONS, type MenuAction };

export interface MenuActions {
  /** Sends a host event `{type:'menu', action}` to the focused window. */
  send(action: MenuAction): void;
  /** File ▸ Open CSV…: a native dialog in main, then the file is imported in the window. */
  openCsv(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  openLogsFolder(): void;
  openDataFolder(): void;
  showAbout(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  recentFiles: string[];
  /** Show developer tools items (unpackaged builds). */
  developer: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions, platform } = options;
  const mac = platform === 'darwin';
  const send = (action: MenuAction) => () => actions.send(action);
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const recent: MenuItemConstructorOptions[] = options.recentFiles.length
    ? [
        ...options.recentFiles.map((file, i) => ({
          label: `${i < 9 ? `&${i + 1} ` : ''}${path.basename(file)}`,
          toolTip: file,
          click: () => actions.openRecent(file),
        })),
        sep,
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { label: `About ${options.appName}`, click: () => actions.showAbout() },
      sep,
      { label: 'Settings…', accelerator: 'Cmd+,', click: send('open-settings') },
      sep,
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { role: 'quit' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCsv() },
      { label: 'Open Recent', submenu: recent },
      sep,
      ...(mac ? [] : [{ label: 'Settings…', accelerator: 'Ctrl+,', click: send('open-settings') }, sep]),
      { label: 'Open Data Folder', click: () => actions.openDataFolder() },
      sep,
      mac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.developer ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ] as MenuItemConstructorOptions[],
  };

  const run: MenuItemConstructorOptions = {
    label: '&Run',
    submenu: [
      { label: 'Run Analyses', accelerator: 'CmdOrCtrl+Enter', click: send('run-analyses') },
      { label: 'Run on Spark (Databricks)', accelerator: 'CmdOrCtrl+Shift+Enter', click: send('run-spark') },
      sep,
      { label: 'Cancel Running Jobs', accelerator: 'CmdOrCtrl+.', click: send('cancel-jobs') },
    ],
  };

  const exportMenu: MenuItemConstructorOptions = {
    label: 'E&xport',
    submenu: [
      {
        label: 'Dataset',
        submenu: [
          { label: 'CSV…', click: send('export-dataset-csv') },
          { label: 'Parquet…', click: send('export-dataset-parquet') },
          { label: 'JSON Lines…', click: send('export-dataset-jsonl') },
          { label: 'Excel (XLSX)…', click: send('export-dataset-xlsx') },
        ],
      },
      { label: 'Current View as CSV…', accelerator: 'CmdOrCtrl+Shift+E', click: send('export-view-csv') },
      sep,
      { label: 'Results as Excel (XLSX)…', click: send('export-results-xlsx') },
      { label: 'Results as CSV…', click: send('export-results-csv') },
      sep,
      { label: 'Report as HTML…', click: send('export-report-html') },
      { label: 'Report as PDF…', accelerator: 'CmdOrCtrl+P', click: send('export-report-pdf') },
      sep,
      { label: 'Chart as PNG…', click: send('export-chart-png') },
      { label: 'Chart as SVG…', click: send('export-chart-svg') },
      sep,
      { label: 'Publish to Object Storage…', click: send('publish') },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Open Logs Folder', click: () => actions.openLogsFolder() },
      ...(mac ? [] : [sep, { label: `About ${options.appName}`, click: () => actions.showAbout() }]),
    ],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, run, exportMenu, help];
}

/** Every item of a template, depth first (for tests and for finding an item by label). */
export function flattenMenu(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flattenMenu(item.submenu) : [])]);
}

export interface VersionInfo {
  app: string;
  electron: string;
  chrome: string;
  node: string;
  v8: string;
  os: string;
}

/** The text of Help ▸ About. */
export function aboutText(v: VersionInfo): string {
  return [`Version ${v.app}`, '', `Electron ${v.electron}`, `Chromium ${v.chrome}`, `Node.js ${v.node}`, `V8 ${v.v8}`, `OS ${v.os}`].join(
    '\n',
  );
}
