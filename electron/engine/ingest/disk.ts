/**
 * Refuses an import up front when the disk that will hold the table cannot take it. The table
 * takes about as many bytes as the CSV's UTF-8 text (measured on the crash data: within ±20 %),
 * so a file larger than the free space cannot fit. The server's disk is only known when it runs
 * on this machine (the embedded server, or a local one whose data directory we may read).
 */
import fs from 'node:fs';
import { StudioError } from '../../../shared/errors';
import type { Database } from '../db/database';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await fs.promises.statfs(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** The server's data directory when it is on this machine and readable; otherwise null. */
async function serverDataDirectory(db: Database): Promise<string | null> {
  try {
    const info = await db.connectionInfo();
    if (!LOCAL_HOSTS.has(info.host)) return null;
    const { rows } = await db.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return rows[0]?.dir ?? null;
  } catch {
    return null;
  }
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes < 1e10 ? 2 : 1)} GB`;
}

export async function ensureDiskSpace(db: Database, tableBytes: number): Promise<void> {
  const dir = await serverDataDirectory(db);
  if (!dir) return;
  const free = await freeBytes(dir);
  if (free === null || tableBytes <= free) return;
  throw new StudioError(
    'DISK_FULL',
    `Not enough disk space to import: the table needs about ${gb(tableBytes)} and only ${gb(free)} is free where PostgreSQL keeps its data (${dir}).`,
    {
      neededBytes: tableBytes,
      freeBytes: free,
      directory: dir,
    },
  );
}
