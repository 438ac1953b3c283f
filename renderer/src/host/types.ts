import type { StudioApi, StudioHost } from '../../../shared/client';
import type { ConnectionState, SaveKind, SaveRequest } from '../../../shared/host';

export type { ConnectionState, SaveKind };

export interface UploadOptions {
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

/** An upload the engine can already import from: its path there, and the end of its transfer. */
export interface StartedUpload {
  path: string;
  /** Resolves when every byte is in the engine's upload folder; rejects when the upload breaks off. */
  arrived: Promise<void>;
}

/**
 * What a renderer host may offer beyond `StudioHost`. Browser mode streams dropped files to the
 * engine and offers written files for download; the preload gives paths directly instead.
 * Pages use the helpers in `./files` and never test `host.kind`.
 */
export interface RendererHost extends StudioHost {
  /**
   * Browser mode: starts streaming a file to the engine's upload folder; resolves with its path
   * there as soon as the engine has reserved it, so its import can start while the bytes arrive.
   */
  startUpload?(file: File, options?: UploadOptions): Promise<StartedUpload>;
  /** Browser mode: hand a file the engine wrote (inside its exports folder) to the browser. */
  download?(path: string): void;
  /** Electron: show a written file in the OS file manager. */
  showItemInFolder?(path: string): void;
  /** Electron: the native Save dialog; resolves with a write capability for the chosen path (what export methods take), or null when cancelled. */
  saveDialog?(request: SaveRequest): Promise<string | null>;
  /** Electron: prints an HTML report the engine wrote to PDF (printToPDF); resolves with the PDF path. */
  printReportToPdf?(htmlPath: string): Promise<string | null>;
  /** Connection to the engine (browser mode's WebSocket). */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
  connectionState?(): ConnectionState;
}

export interface RendererStudio extends StudioApi {
  host: RendererHost;
}

declare global {
  interface Window {
    studio?: RendererStudio;
  }
}
