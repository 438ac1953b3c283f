import type { RendererStudio, UploadOptions } from './types';

/**
 * What the engine may read for a file the user dropped: a capability main signs (Electron);
 * browser mode starts streaming the file into the engine's upload folder, and the engine may
 * import it while it arrives (`arrived` settles when the transfer ends).
 */
export async function enginePathFor(
  studio: RendererStudio,
  file: File,
  options: UploadOptions = {},
): Promise<{ path: string; uploaded: boolean; arrived?: Promise<void> }> {
  const direct = await studio.host.pathForFile?.(file);
  if (direct) return { path: direct, uploaded: false };
  if (studio.host.startUpload) {
    const upload = await studio.host.startUpload(file, options);
    return { path: upload.path, uploaded: true, arrived: upload.arrived };
  }
  throw new Error('This host can neither read dropped files nor upload them.');
}

/** Hands a file the engine wrote to the user: a download in browser mode, the folder in Electron. */
export function offerFile(studio: RendererStudio, path: string): boolean {
  if (studio.host.download) {
    studio.host.download(path);
    return true;
  }
  if (studio.host.showItemInFolder) {
    studio.host.showItemInFolder(path);
    return true;
  }
  return false;
}

/** Saves bytes the renderer made itself (chart images, a result table) through the browser's download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
