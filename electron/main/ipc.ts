/**
 * The few host-only actions the renderer may ask main for (engine requests never come here: they
 * use the MessagePort). Every handler first checks that the message comes from the app's own
 * top-level page (`event.senderFrame`), then validates its arguments.
 */
import path from 'node:path';
import { z } from 'zod';
import { SECRET_NAMES, type SecretName } from '../../shared/contract/settings';
import type { Logger } from '../engine/log';

export const IPC = {
  openCsvDialog: 'dialog:open-csv',
  saveDialog: 'dialog:save',
  printReportToPdf: 'report:print-pdf',
  showItemInFolder: 'shell:show-item-in-folder',
  secretsHas: 'secrets:has',
  secretsSet: 'secrets:set',
  secretsClear: 'secrets:clear',
} as const;

/** Main → renderer channels (the preload listens to these). */
export const RENDERER_CHANNELS = {
  enginePort: 'engine-port',
  engineDown: 'engine-down',
  hostEvent: 'host-event',
} as const;

/** What the handlers use of Electron's IpcMainInvokeEvent. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export class UntrustedSenderError extends Error {
  constructor(channel: string, url: string | null) {
    super(`IPC ${channel} refused: sender ${url ?? '(no frame)'} is not the app's page`);
    this.name = 'UntrustedSenderError';
  }
}

/** True only for the app's own top-level frame (not an iframe, not a page it navigated to). */
export function isTrustedSender(event: InvokeEventLike, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent) return false;
  return isAppUrl(frame.url);
}

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

const saveRequest = z.object({
  kind: z.enum(Object.keys(SAVE_KINDS) as [SaveKind, ...SaveKind[]]),
  defaultName: z.string().max(255).optional(),
  title: z.string().max(200).optional(),
});
export type SaveRequest = z.output<typeof saveRequest>;

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => path.isAbsolute(p), 'an absolute path');
const secretName = z.enum(SECRET_NAMES as unknown as [SecretName, ...SecretName[]]);

export interface IpcDeps {
  isAppUrl(url: string): boolean;
  log: Logger;
  showOpenCsvDialog(): Promise<string | null>;
  showSaveDialog(request: SaveRequest): Promise<string | null>;
  /** Renders an HTML report (a file the engine wrote) to a PDF at a path the user picks; null if cancelled. */
  printReportToPdf(htmlPath: string): Promise<string | null>;
  showItemInFolder(file: string): void;
  fileExists(file: string): boolean;
  secrets: { has(name: SecretName): boolean; set(name: SecretName, value: string): void; delete(name: SecretName): void };
}

/** Registers every handler; returns a function that removes them. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): () => void {
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    [IPC.openCsvDialog]: () => deps.showOpenCsvDialog(),
    [IPC.saveDialog]: (request) => deps.showSaveDialog(saveRequest.parse(request)),
    [IPC.printReportToPdf]: (htmlPath) => {
      const file = absolutePath.refine((p) => /\.html?$/i.test(p), 'an .html file').parse(htmlPath);
      if (!deps.fileExists(file)) throw new Error('The report file does not exist.');
      return deps.printReportToPdf(file);
    },
    [IPC.showItemInFolder]: (file) => {
      const target = absolutePath.parse(file);
      if (deps.fileExists(target)) deps.showItemInFolder(target);
      return deps.fileExists(target);
    },
    [IPC.secretsHas]: (name) => deps.secrets.has(secretName.parse(name)),
    [IPC.secretsSet]: (name, value) => deps.secrets.set(secretName.parse(name), z.string().min(1).max(4096).parse(value)),
    [IPC.secretsClear]: (name) => deps.secrets.delete(secretName.parse(name)),
  };
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args) => {
      if (!isTrustedSender(event, deps.isAppUrl)) {
        const error = new UntrustedSenderError(channel, event.senderFrame?.url ?? null);
        deps.log.warn('IPC from an untrusted sender refused', { channel, url: event.senderFrame?.url ?? null });
        throw error;
      }
      return handler(...args);
    });
  }
  return () => Object.keys(handlers).forEach((channel) => ipcMain.removeHandler(channel));
}
