/**
 * What the installed app does with the OS: native menus, files handed over on the command line or
 * by a second launch, recent files, window bounds kept across restarts, engine arguments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { parseEngineArgs, engineArgs } from '../../electron/engine/utility/protocol';
import { aboutText, buildMenuTemplate, flattenMenu, MENU_ACTIONS, type MenuAction, type MenuActions } from '../../electron/main/menu';
import { filesFromArgv, isOpenableFile, OpenFileQueue } from '../../electron/main/open-files';
import { MAX_RECENT, RecentFiles } from '../../electron/main/recent-files';
import { loadWindowState, restoreBounds, saveWindowState, trackWindowState, type TrackedWindow } from '../../electron/main/window-state';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'osint-'));

function menu(platform: NodeJS.Platform, recentFiles: string[] = []) {
  const calls: string[] = [];
  const actions: MenuActions = {
    send: (a: MenuAction) => void calls.push(`send:${a}`),
    openCsv: () => void calls.push('openCsv'),
    openRecent: (f) => void calls.push(`recent:${f}`),
    clearRecent: () => void calls.push('clearRecent'),
    openLogsFolder: () => void calls.push('logs'),
    openDataFolder: () => void calls.push('data'),
    showAbout: () => void calls.push('about'),
  };
  const template = buildMenuTemplate({ platform, appName: 'SparkPolar Studio', recentFiles, developer: false, actions });
  const items = flattenMenu(template);
  const byLabel = (label: string) => items.find((i) => i.label === label) as MenuItemConstructorOptions & { click: () => void };
  return { template, items, calls, byLabel };
}

describe('native menus', () => {
  it('have File, Edit, View, Run, Export, Help (and the app menu on macOS)', () => {
    expect(menu('linux').template.map((m) => String(m.label).replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Run', 'Export', 'Help']);
    expect(menu('darwin').template.map((m) => String(m.label).replace('&', ''))).toEqual([
      'SparkPolar Studio',
      'File',
      'Edit',
      'View',
      'Run',
      'Export',
      'Help',
    ]);
  });

  it('use the standard accelerators and roles', () => {
    const { byLabel, items } = menu('win32');
    expect(byLabel('Open CSV…').accelerator).toBe('CmdOrCtrl+O');
    const roles = items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(
      expect.arrayContaining([
        'undo',
        'redo',
        'cut',
        'copy',
        'paste',
        'selectAll',
        'quit',
        'zoomIn',
        'zoomOut',
        'resetZoom',
        'togglefullscreen',
      ]),
    );
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    expect(roles).not.toContain('toggleDevTools');
  });

  it('send every export and run action to the renderer, with the names the pages handle', () => {
    const { items, calls } = menu('linux');
    for (const item of items) if (item.click && !item.submenu) (item.click as () => void)();
    const sent = calls.filter((c) => c.startsWith('send:')).map((c) => c.slice(5));
    for (const action of [
      'export-dataset-csv',
      'export-dataset-parquet',
      'export-dataset-jsonl',
      'export-dataset-xlsx',
      'export-view-csv',
      'export-results-xlsx',
      'export-results-csv',
      'export-report-html',
      'export-report-pdf',
      'export-chart-png',
      'export-chart-svg',
      'publish',
      'run-analyses',
      'run-spark',
      'cancel-jobs',
      'open-settings',
    ])
      expect(sent, action).toContain(action);
    for (const action of sent) expect(MENU_ACTIONS).toContain(action);
    expect(calls).toEqual(expect.arrayContaining(['openCsv', 'logs', 'about', 'data']));
  });

  it('list recent files newest first, and can clear them', () => {
    const { byLabel, calls } = menu('linux', ['/data/b.csv', '/data/a.tsv']);
    byLabel('&1 b.csv').click();
    byLabel('&2 a.tsv').click();
    byLabel('Clear Recent').click();
    expect(calls).toEqual(['recent:/data/b.csv', 'recent:/data/a.tsv', 'clearRecent']);
    expect(menu('linux').byLabel('No Recent Files').enabled).toBe(false);
  });

  it('put Help ▸ Open Logs Folder and About with every version', () => {
    const help = menu('linux').template.at(-1)!;
    expect((help.submenu as MenuItemConstructorOptions[]).map((i) => i.label).filter(Boolean)).toEqual([
      'Open Logs Folder',
      'About SparkPolar Studio',
    ]);
    const text = aboutText({ app: '0.1.0', electron: '45.5.0', chrome: '140.0', node: '22.20.0', v8: '14.0', os: 'Linux 6.1' });
    for (const part of ['0.1.0', 'Electron 45.5.0', 'Chromium 140.0', 'Node.js 22.20.0', 'V8 14.0', 'Linux 6.1'])
      expect(text).toContain(part);
  });
});

describe('files from the OS', () => {
  it('finds CSV and TSV files in an argv, skipping the executable, switches and other files', () => {
    const dir = tmp();
    for (const f of ['a.csv', 'b.TSV', 'c.txt']) fs.writeFileSync(path.join(dir, f), 'x');
    const argv = [
      '/opt/app/sparkpolar-studio',
      '--no-sandbox',
      'a.csv',
      path.join(dir, 'b.TSV'),
      'c.txt',
      'missing.csv',
      `file://${path.join(dir, 'a.csv')}`,
    ];
    expect(filesFromArgv(argv, { cwd: dir, skip: 1 })).toEqual([path.join(dir, 'a.csv'), path.join(dir, 'b.TSV')]);
    // Unpackaged (`electron .`): the app path is the second entry.
    expect(filesFromArgv(['electron', path.join(dir, 'a.csv')], { cwd: dir, skip: 2 })).toEqual([]);
    expect(isOpenableFile('/x/y.Csv')).toBe(true);
    expect(isOpenableFile('/x/y.xlsx')).toBe(false);
  });

  it('hold files until the window can take them, then deliver each once', () => {
    const queue = new OpenFileQueue();
    queue.push('/a.csv');
    queue.push('/a.csv');
    queue.push('/b.csv');
    const got: string[] = [];
    queue.setReceiver((f) => got.push(f));
    queue.push('/c.csv');
    expect(got).toEqual(['/a.csv', '/b.csv', '/c.csv']);
    queue.setReceiver(null);
    queue.push('/d.csv');
    expect(queue.size).toBe(1);
  });

  it('are remembered as recent files, newest first, bounded, without duplicates or vanished files', () => {
    const dir = tmp();
    const file = path.join(dir, 'recent-files.json');
    const existing = new Set<string>();
    const recent = new RecentFiles(file, (p) => existing.has(p));
    for (let i = 0; i < MAX_RECENT + 3; i++) {
      existing.add(`/f${i}.csv`);
      recent.add(`/f${i}.csv`);
    }
    recent.add('/f5.csv');
    expect(recent.list()[0]).toBe('/f5.csv');
    expect(recent.list()).toHaveLength(MAX_RECENT);
    existing.delete('/f12.csv');
    const reloaded = new RecentFiles(file, (p) => existing.has(p));
    expect(reloaded.list()).not.toContain('/f12.csv');
    expect(reloaded.list()[0]).toBe('/f5.csv');
    reloaded.clear();
    expect(new RecentFiles(file).list()).toEqual([]);
  });
});

describe('window bounds', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('are saved on change and on close, and restored where they were', async () => {
    const file = path.join(tmp(), 'window-state.json');
    const listeners = new Map<string, () => void>();
    let bounds = { x: 100, y: 80, width: 1280, height: 800 };
    const win: TrackedWindow = {
      on: (event, l) => listeners.set(event, l),
      getNormalBounds: () => bounds,
      isMaximized: () => false,
      isFullScreen: () => false,
      isDestroyed: () => false,
    };
    trackWindowState(win, file, undefined, 5);
    bounds = { x: 200, y: 150, width: 1000, height: 700 };
    listeners.get('move')!();
    await new Promise((r) => setTimeout(r, 30));
    expect(loadWindowState(file)).toMatchObject(bounds);
    bounds = { x: 10, y: 20, width: 900, height: 650 };
    listeners.get('close')!();
    expect(restoreBounds(loadWindowState(file), screens)).toEqual(bounds);
  });

  it('drop a position that is on no connected display and shrink to fit', () => {
    const file = path.join(tmp(), 'w.json');
    saveWindowState(file, { x: 2500, y: 100, width: 3000, height: 1400, maximized: true, fullScreen: false });
    const state = loadWindowState(file);
    expect(state?.maximized).toBe(true);
    expect(restoreBounds(state, screens)).toEqual({ width: 1920, height: 1080 });
    expect(restoreBounds(null, screens)).toBeNull();
    fs.writeFileSync(file, '{"x": "nope"}');
    expect(loadWindowState(file)).toBeNull();
  });
});

describe('engine arguments', () => {
  it('round-trip the data and logs folders', () => {
    const args = engineArgs({ home: '/data/Spark Polar', logsDir: '/logs' });
    expect(parseEngineArgs(args)).toEqual({ home: '/data/Spark Polar', logsDir: '/logs' });
    expect(parseEngineArgs(['--home=/h', '--other', 'x'])).toEqual({ home: '/h' });
  });
});
