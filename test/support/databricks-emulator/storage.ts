/**
 * The emulator's files: Unity Catalog volumes (Files API) and the DBFS root live on disk under
 * one folder, so the executor can hand real paths to the oracle; workspace objects stay in memory.
 */
import fs from 'node:fs';
import path from 'node:path';

export class EmulatorStorage {
  readonly volumes: Set<string>;
  readonly workspace = new Map<
    string,
    { kind: 'NOTEBOOK' | 'FILE' | 'DIRECTORY'; language?: string; content: Buffer; modifiedAt: number }
  >();

  constructor(
    readonly root: string,
    volumes: string[],
  ) {
    this.volumes = new Set(volumes.map((v) => v.replace(/\/+$/, '')));
    fs.mkdirSync(path.join(root, 'Volumes'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dbfs'), { recursive: true });
    this.workspace.set('/', { kind: 'DIRECTORY', content: Buffer.alloc(0), modifiedAt: 0 });
  }

  /** The volume (`/Volumes/c/s/v`) a path is in, or null when that volume does not exist. */
  volumeOf(p: string): string | null {
    const m = /^\/Volumes\/[^/]+\/[^/]+\/[^/]+/.exec(p);
    return m && this.volumes.has(m[0]) ? m[0] : null;
  }

  /** Where a path the job sees (`/Volumes/…`, `dbfs:/…`, `/dbfs/…`) lives on disk; null for other paths. */
  local(p: string): string | null {
    let rel: string;
    if (p.startsWith('/Volumes/')) rel = p;
    else if (p.startsWith('dbfs:/')) rel = `/dbfs${p.slice('dbfs:'.length)}`;
    else if (p.startsWith('/dbfs/')) rel = p;
    else return null;
    const normal = path.posix.normalize(rel);
    if (normal.includes('..')) return null;
    return path.join(this.root, normal);
  }

  /** A DBFS API path (`/FileStore/x`) on disk. */
  dbfsLocal(p: string): string | null {
    const clean = p.startsWith('dbfs:') ? p.slice(5) : p;
    if (!clean.startsWith('/')) return null;
    return this.local(`dbfs:${clean}`);
  }
}
