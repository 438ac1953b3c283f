/**
 * CSV files handed to the app by the OS: on the command line of the first launch, in the argv of a
 * second launch (single-instance lock), or through macOS `open-file`. Each one is imported in the
 * running window; files that arrive before the window can take them wait in a queue.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OPENABLE_EXTENSIONS = ['.csv', '.tsv'] as const;

export function isOpenableFile(file: string): boolean {
  return (OPENABLE_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/**
 * The openable files named in an argv. `skip` is how many leading entries are the executable
 * (and, when run unpackaged as `electron .`, the app path); flags and their Chromium switches are ignored.
 */
export function filesFromArgv(
  argv: readonly string[],
  options: { cwd: string; skip: number; exists?: (file: string) => boolean },
): string[] {
  const exists = options.exists ?? ((f: string) => fs.existsSync(f) && fs.statSync(f).isFile());
  const out: string[] = [];
  for (const arg of argv.slice(options.skip)) {
    if (!arg || arg.startsWith('-')) continue;
    let candidate = arg;
    if (candidate.startsWith('file://')) {
      try {
        candidate = decodeURIComponent(new URL(candidate).pathname);
      } catch {
        continue;
      }
    }
    const file = path.resolve(options.cwd, candidate);
    if (isOpenableFile(file) && exists(file) && !out.includes(file)) out.push(file);
  }
  return out;
}

/** Holds files until a window is ready to import them, then hands each over once. */
export class OpenFileQueue {
  private pending: string[] = [];
  private deliver: ((file: string) => void) | null = null;

  push(file: string): void {
    if (this.deliver) this.deliver(file);
    else if (!this.pending.includes(file)) this.pending.push(file);
  }

  /** Sets (or clears, with null) the receiver; queued files are delivered at once. */
  setReceiver(deliver: ((file: string) => void) | null): void {
    this.deliver = deliver;
    if (deliver) for (const file of this.pending.splice(0)) deliver(file);
  }

  get size(): number {
    return this.pending.length;
  }
}
