/**
 * Files appear whole or not at all: written under a hidden temporary name in the target's folder
 * (same file system, so the rename is atomic), flushed to disk, renamed on success, removed on
 * failure or cancel. A full disk is DISK_FULL, and the file that was there before is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';

export function tempPathFor(target: string, suffix = 'partial'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.${suffix}`);
}

/** True for an error of the file system (as opposed to one of PostgreSQL or of the data). */
export function isFileError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(code);
}

/** Flushes a written file (or every file of a written folder) to the disk. */
export function syncToDisk(target: string): void {
  const stat = fs.statSync(target);
  if (stat.isDirectory()) for (const name of fs.readdirSync(target)) syncToDisk(path.join(target, name));
  syncDescriptor(target, stat.isDirectory());
}

function syncDescriptor(target: string, directory: boolean): void {
  let fd: number;
  try {
    fd = fs.openSync(target, 'r');
  } catch (err) {
    // Windows cannot open a folder to sync it; its renames are durable without it.
    if (directory) return;
    throw err;
  }
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    if (!directory) throw err;
  } finally {
    fs.closeSync(fd);
  }
}

export async function writeAtomically<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const dir = path.dirname(path.resolve(target));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new StudioError('EXPORT_FAILED', `Cannot create the folder ${dir}: ${(err as Error).message}`, { path: dir });
  }
  const temp = tempPathFor(path.resolve(target));
  try {
    const result = await write(temp);
    // On disk before the rename, so a crash leaves the old file or the whole new one.
    syncToDisk(temp);
    fs.renameSync(temp, target);
    syncDescriptor(dir, true);
    return result;
  } catch (err) {
    fs.rmSync(temp, { force: true, recursive: true });
    throw asFileFailure(err, target);
  }
}

/** A file-system error as the StudioError the user should see (DISK_FULL, EXPORT_FAILED); anything else unchanged. */
export function asFileFailure(err: unknown, target: string): unknown {
  if (err instanceof StudioError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC' || e?.code === 'EDQUOT')
    return new StudioError('DISK_FULL', `The disk is full while writing ${target}.`, { path: target });
  if (e?.code === 'EISDIR') return new StudioError('EXPORT_FAILED', `${target} is a folder: choose a file name.`, { path: target });
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS' || e?.code === 'ENOTDIR')
    return new StudioError('EXPORT_FAILED', `Cannot write ${target}: ${e.message}`, { path: target });
  return err;
}
