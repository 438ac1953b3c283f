/**
 * The one contract between Electron main, the preload and the renderer's host object: the IPC
 * channel names with their arguments and results, the save kinds, the connection states and the
 * menu actions. Engine requests are not here (they use `shared/api.ts` over a MessagePort).
 * Data only: no Node, no Electron, so every side imports it.
 */

/** Renderer → main `invoke` channels: the host-only actions, each checked for its sender in main. */
export const HOST_CHANNELS = {
  openCsvDialog: 'dialog:open-csv',
  grantDroppedFile: 'file:grant-dropped',
  saveDialog: 'dialog:save',
  printReportToPdf: 'report:print-pdf',
  showItemInFolder: 'shell:show-item-in-folder',
} as const;
export type HostChannel = (typeof HOST_CHANNELS)[keyof typeof HOST_CHANNELS];

/** Main → renderer channels (the preload listens to these). */
export const RENDERER_CHANNELS = {
  enginePort: 'engine-port',
  engineDown: 'engine-down',
  hostEvent: 'host-event',
} as const;

/** The file kinds the native Save dialog offers, with their filter. */
export const SAVE_KINDS = {
  csv: { name: 'CSV', extensions: ['csv'] },
  tsv: { name: 'TSV', extensions: ['tsv'] },
  parquet: { name: 'Parquet', extensions: ['parquet'] },
  jsonl: { name: 'JSON Lines', extensions: ['jsonl'] },
  xlsx: { name: 'Excel workbook', extensions: ['xlsx'] },
  html: { name: 'HTML report', extensions: ['html'] },
  pdf: { name: 'PDF', extensions: ['pdf'] },
  png: { name: 'PNG image', extensions: ['png'] },
  svg: { name: 'SVG image', extensions: ['svg'] },
} as const;
export type SaveKind = keyof typeof SAVE_KINDS;

export interface SaveRequest {
  kind: SaveKind;
  defaultName?: string;
  title?: string;
}

/** Arguments and result of each invoke channel; main's handlers and the preload are typed by it. */
export interface HostInvokes {
  /** Results that name a file the engine will read or write are capabilities (electron/engine/files/access.ts), never raw paths. */
  [HOST_CHANNELS.openCsvDialog]: { args: []; result: string | null };
  [HOST_CHANNELS.grantDroppedFile]: { args: [file: string]; result: string | null };
  [HOST_CHANNELS.saveDialog]: { args: [request: SaveRequest]; result: string | null };
  [HOST_CHANNELS.printReportToPdf]: { args: [htmlPath: string]; result: string | null };
  [HOST_CHANNELS.showItemInFolder]: { args: [file: string]; result: boolean };
}

/** The engine connection as the renderer sees it. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Every action the native menus may send the renderer (it ignores the ones a page cannot do). */
export const MENU_ACTIONS = [
  'open-csv',
  'open-settings',
  'run-analyses',
  'run-spark',
  'cancel-jobs',
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
] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/** Main → renderer notifications on `RENDERER_CHANNELS.hostEvent` (browser mode sends the same shapes). */
export type HostEvent =
  | { type: 'engine/restarted'; reason: string }
  | { type: 'menu'; action: MenuAction }
  /** `path`: the capability of a file the OS opened (electron/engine/files/access.ts). */
  | { type: 'open-file'; path: string };
