/**
 * Files appear whole or not at all: written under a hidden temporary name in the target's folder
 * (same file system, so the rename is atomic), renamed on success, removed on failure or cancel.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';

export function tempPathFor(target: string, suffix = 'partial'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.${suffix}`);
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
    fs.renameSync(temp, target);
    return result;
  } catch (err) {
    fs.rmSync(temp, { force: true, recursive: true });
    if (err instanceof StudioError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') throw new StudioError('DISK_FULL', `The disk is full while writing ${target}.`, { path: target });
    if (e.code === 'EISDIR') throw new StudioError('EXPORT_FAILED', `${target} is a folder: choose a file name.`, { path: target });
    if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' || e.code === 'ENOTDIR')
      throw new StudioError('EXPORT_FAILED', `Cannot write ${target}: ${e.message}`, { path: target });
    throw err;
  }
}
