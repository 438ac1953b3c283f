/**
 * Export ▸ Report as PDF in the desktop app: the engine writes the HTML report (charts inline as
 * SVG), main loads it in a hidden, sandboxed window with JavaScript off and prints it to PDF.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';

/** What the printer uses of a BrowserWindow. */
export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  webContents: { printToPDF(options: PrintToPDFOptions): Promise<Buffer> };
  destroy(): void;
}

export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  webPreferences: {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    javascript: false,
    webSecurity: true,
  },
};

export const PDF_OPTIONS: PrintToPDFOptions = { printBackground: true, pageSize: 'A4' };

export async function printHtmlToPdf(
  createWindow: (options: BrowserWindowConstructorOptions) => PrintWindow,
  htmlPath: string,
  pdfPath: string,
): Promise<void> {
  const win = createWindow(PRINT_WINDOW_OPTIONS);
  try {
    await win.loadURL(pathToFileURL(htmlPath).toString());
    const pdf = await win.webContents.printToPDF(PDF_OPTIONS);
    await fs.promises.writeFile(pdfPath, pdf);
  } finally {
    win.destroy();
  }
}
