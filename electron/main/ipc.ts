/**
 * The few host-only actions the renderer may ask main for (engine requests never come here: they
 * use the MessagePort). Every handler first checks that the message comes from the app's own
 * top-level page (`event.senderFrame`), then validates its arguments.
 */
import path from 'node:path';
import { z } from 'zod';
import {
  HOST_CHANNELS,
  RENDERER_CHANNELS,
  SAVE_KINDS,
  type HostChannel,
  type HostInvokes,
  type SaveKind,
  type SaveRequest,
} from '../../shared/host';
import type { Logger } from '../engine/log';

/** The channel map lives in `shared/host.ts`; these names are kept for main's own modules. */
export { HOST_CHANNELS as IPC, RENDERER_CHANNELS, SAVE_KINDS };
export type { SaveKind, SaveRequest };

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

const saveRequest: z.ZodType<SaveRequest> = z.object({
  kind: z.enum(Object.keys(SAVE_KINDS) as [SaveKind, ...SaveKind[]]),
  defaultName: z.string().max(255).optional(),
  title: z.string().max(200).optional(),
});

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => path.isAbsolute(p), 'an absolute path');

export interface IpcDeps {
  isAppUrl(url: string): boolean;
  log: Logger;
  /** The file capability (see engine/files/access.ts) of the CSV the user picked; null if cancelled. */
  showOpenCsvDialog(): Promise<string | null>;
  /** The write capability of the path the user picked; null if cancelled. */
  showSaveDialog(request: SaveRequest): Promise<string | null>;
  /** A read capability for a file dropped on the window (a CSV/TSV/TXT file that exists), else null. */
  grantDroppedFile(file: string): string | null;
  /** Renders an HTML report (a file the engine wrote) to a PDF at a path the user picks; null if cancelled. */
  printReportToPdf(htmlPath: string): Promise<string | null>;
  showItemInFolder(file: string): void;
  fileExists(file: string): boolean;
}

type HostHandlers = {
  [C in HostChannel]: (...args: unknown[]) => HostInvokes[C]['result'] | Promise<HostInvokes[C]['result']>;
};

/** Registers every handler; returns a function that removes them. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): () => void {
  const handlers: HostHandlers = {
    [HOST_CHANNELS.openCsvDialog]: () => deps.showOpenCsvDialog(),
    [HOST_CHANNELS.saveDialog]: (request) => deps.showSaveDialog(saveRequest.parse(request)),
    [HOST_CHANNELS.grantDroppedFile]: (file) => deps.grantDroppedFile(absolutePath.parse(file)),
    [HOST_CHANNELS.printReportToPdf]: (htmlPath) => {
      const file = absolutePath.refine((p) => /\.html?$/i.test(p), 'an .html file').parse(htmlPath);
      if (!deps.fileExists(file)) throw new Error('The report file does not exist.');
      return deps.printReportToPdf(file);
    },
    [HOST_CHANNELS.showItemInFolder]: (file) => {
      const target = absolutePath.parse(file);
      if (deps.fileExists(target)) deps.showItemInFolder(target);
      return deps.fileExists(target);
    },
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
