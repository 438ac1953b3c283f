/**
 * Which files the engine may read, write and delete, by the policy the host states when it builds
 * the engine (`EngineOptions.files`):
 * - `data-folder` (browser mode): imports read only uploads (`<home>/uploads`), exports write only
 *   under `<home>/exports` (what the token gives a web page is the data folder, never the disk);
 * - `signed` (desktop): a path the renderer sends must be a capability that main signed when the
 *   user chose the file in a dialog, dropped it or opened it from the OS (the renderer never names
 *   a raw path); besides that, writes may go under `<home>/exports` and re-imports may read a file
 *   that is already the recorded source of a dataset;
 * - `any` (CLI, most tests): the user at the shell names their own files.
 * Whatever the policy, the engine deletes a source file only when it is an upload.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { EngineBase } from '../base';

export type FileAccessMode = 'read' | 'write';

/** Which files requests may name (see the top of this module). */
export type FilePolicy = 'data-folder' | 'signed' | 'any';

/** Environment variable through which main gives the engine the key of this launch's capabilities. */
export const FILE_CAPABILITY_ENV = 'SPARKPOLAR_FILE_SECRET';
const PREFIX = 'sparkpolar-file:';

function mac(key: Buffer, access: FileAccessMode, file: string): Buffer {
  return createHmac('sha256', key).update(`${access}\0${file}`).digest();
}

/**
 * A capability for one absolute path: `sparkpolar-file:<access>:<path, base64url>:<mac>/<file name>`.
 * The trailing file name is only for display (the window shows it while importing).
 */
export function signFileCapability(key: Buffer, file: string, access: FileAccessMode): string {
  return `${PREFIX}${access}:${Buffer.from(file).toString('base64url')}:${mac(key, access, file).toString('base64url')}/${path.basename(file)}`;
}

export function isFileCapability(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** The path a capability grants for `access`, or null when it is forged, altered or for the other access. */
export function verifyFileCapability(key: Buffer, value: string, access: FileAccessMode): string | null {
  if (!isFileCapability(value)) return null;
  const body = value.slice(PREFIX.length).split('/')[0]!;
  const [given, encodedPath, encodedMac, ...rest] = body.split(':');
  if (given !== access || !encodedPath || !encodedMac || rest.length) return null;
  const file = Buffer.from(encodedPath, 'base64url').toString();
  const expected = mac(key, access, file);
  const actual = Buffer.from(encodedMac, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected) || !path.isAbsolute(file)) return null;
  return file;
}

export interface FileAccessOptions {
  home: string;
  policy: FilePolicy;
  /** The capability key (desktop); without it no capability verifies. */
  key?: Buffer | null;
  /** True when `file` is the recorded source of a dataset version (desktop re-imports). */
  isKnownSource?(file: string): Promise<boolean>;
}

function notAllowed(what: string, requested: string): StudioError {
  return new StudioError('FILE_NOT_ALLOWED', `${what}: ${path.basename(requested) || requested}`, { path: requested });
}

/** True when `child` is `root` or inside it (both already real, absolute paths). */
function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function realOrNull(file: string): string | null {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}

/** True when `file` (once symlinks are resolved) is inside the uploads folder of data folder `home`. */
export function isUploadOf(home: string, file: string): boolean {
  const root = realOrNull(path.join(path.resolve(home), 'uploads'));
  const real = realOrNull(path.resolve(file));
  return Boolean(root && real && real !== root && isInside(root, real));
}

export class FileAccess {
  readonly uploadsDir: string;
  readonly exportsDir: string;

  constructor(private readonly options: FileAccessOptions) {
    this.uploadsDir = path.join(path.resolve(options.home), 'uploads');
    this.exportsDir = path.join(path.resolve(options.home), 'exports');
  }

  private get unrestricted(): boolean {
    return this.options.policy === 'any';
  }

  private capability(requested: string, access: FileAccessMode): string | null {
    return this.options.key ? verifyFileCapability(this.options.key, requested, access) : null;
  }

  isUpload(file: string): boolean {
    return isUploadOf(this.options.home, file);
  }

  /** The absolute path an import may read for `requested`, or FILE_NOT_ALLOWED. */
  async forReading(requested: string): Promise<string> {
    if (this.unrestricted) return path.resolve(requested);
    const granted = this.capability(requested, 'read');
    if (granted) return granted;
    if (isFileCapability(requested)) throw notAllowed('This file link is not valid in this session; choose the file again', requested);
    if (this.isUpload(requested)) return path.resolve(requested);
    if (this.options.policy === 'signed' && path.isAbsolute(requested) && (await this.options.isKnownSource?.(requested))) return requested;
    throw notAllowed(
      this.options.policy === 'data-folder'
        ? 'In browser mode the engine imports only files dropped on the page'
        : 'The engine reads only files you chose in the app',
      requested,
    );
  }

  /** The absolute path an export may write for `requested`, or FILE_NOT_ALLOWED. */
  forWriting(requested: string): string {
    if (this.unrestricted) return path.resolve(requested);
    const granted = this.capability(requested, 'write');
    if (granted) return granted;
    if (isFileCapability(requested)) throw notAllowed('This file link is not valid in this session; choose the file again', requested);
    fs.mkdirSync(this.exportsDir, { recursive: true });
    const root = fs.realpathSync(this.exportsDir);
    const target = path.resolve(root, requested);
    // The nearest existing ancestor decides (symlinks resolved), so no link leads out of exports.
    let probe = target;
    let real = realOrNull(probe);
    while (!real && path.dirname(probe) !== probe) {
      probe = path.dirname(probe);
      real = realOrNull(probe);
    }
    if (target !== root && real && isInside(root, real) && isInside(root, target)) return target;
    throw notAllowed(
      this.options.policy === 'data-folder'
        ? "In browser mode the engine writes only inside the data folder's exports"
        : 'The engine writes only where you chose in the Save dialog',
      requested,
    );
  }
}

/** The FileAccess of an engine: its home, the policy its host stated, the capability key from its environment. */
export function createFileAccess(ctx: Pick<EngineBase, 'home' | 'env' | 'db'>, policy: FilePolicy): FileAccess {
  const secret = ctx.env[FILE_CAPABILITY_ENV];
  return new FileAccess({
    home: ctx.home,
    policy,
    key: secret ? Buffer.from(secret, 'hex') : null,
    isKnownSource: async (file) => {
      const { rows } = await ctx.db.query<{ one: number }>('SELECT 1 AS one FROM studio.dataset_versions WHERE source_path = $1 LIMIT 1', [
        file,
      ]);
      return rows.length > 0;
    },
  });
}
