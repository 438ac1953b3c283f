/**
 * Clusters kept outside their data folder. PostgreSQL will not run as root, and the `postgres`
 * user cannot enter root's home, so as root each data folder's cluster lives under
 * `/var/lib/sparkpolar-studio/<hash of the data folder>/`. Deleting the data folder leaves that
 * cluster behind; each one records the data folder it serves (`home.json`), so the ones whose data
 * folder is gone can be listed (`sparkpolar doctor`) and removed (`sparkpolar prune-clusters`).
 */
import fs from 'node:fs';
import path from 'node:path';

export const CLUSTERS_ROOT = '/var/lib/sparkpolar-studio';
const MARKER = 'home.json';
/** The folders this app creates for clusters: 16 hex digits (see `clusterDir`). */
const CLUSTER_NAME = /^[0-9a-f]{16}$/;

export interface OrphanCluster {
  /** The cluster's folder (its `data/` and server log inside). */
  dir: string;
  /** The data folder it served, when recorded (clusters made before the record have none). */
  home: string | null;
  /** `data folder gone`: safe to remove; `data folder unknown`: made before the record, kept unless asked. */
  reason: 'data folder gone' | 'data folder unknown';
  bytes: number;
}

/** Records which data folder a cluster folder serves (written on every start, so older clusters get it too). */
export function recordClusterHome(clusterFolder: string, home: string): void {
  const file = path.join(clusterFolder, MARKER);
  const text = JSON.stringify({ home: path.resolve(home) });
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // not written yet
  }
  fs.writeFileSync(file, text, { mode: 0o644 });
}

function recordedHome(dir: string): string | null {
  try {
    const home = (JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as { home?: unknown }).home;
    return typeof home === 'string' ? home : null;
  } catch {
    return null;
  }
}

/** Whether a server still runs on this cluster (its postmaster.pid names a live process). */
export function clusterRunning(dataDir: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!pid) return false;
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

function sizeOf(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      bytes += fs.lstatSync(path.join(entry.parentPath, entry.name)).size;
    } catch {
      // removed meanwhile
    }
  }
  return bytes;
}

/** Clusters under `root` that no data folder uses any more, never one whose server is running. */
export function orphanClusters(root = CLUSTERS_ROOT): OrphanCluster[] {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const orphans: OrphanCluster[] = [];
  for (const entry of names) {
    if (!entry.isDirectory() || !CLUSTER_NAME.test(entry.name)) continue; // symlinks and other folders are not ours
    const dir = path.join(root, entry.name);
    if (clusterRunning(path.join(dir, 'data'))) continue;
    const home = recordedHome(dir);
    if (home && fs.existsSync(path.join(home, 'postgres', 'credentials.json'))) continue;
    let bytes: number;
    try {
      bytes = sizeOf(dir);
    } catch {
      continue; // removed meanwhile (another process pruned it, or it was started afresh)
    }
    orphans.push({ dir, home, reason: home ? 'data folder gone' : 'data folder unknown', bytes });
  }
  return orphans;
}

/** Removes these clusters (checked again: a cluster started meanwhile is kept). Answers the removed folders. */
export function removeClusters(orphans: OrphanCluster[], root = CLUSTERS_ROOT): string[] {
  const removed: string[] = [];
  const still = new Set(orphanClusters(root).map((o) => o.dir));
  for (const o of orphans) {
    if (!still.has(o.dir) || path.dirname(o.dir) !== root) continue;
    fs.rmSync(o.dir, { recursive: true, force: true });
    removed.push(o.dir);
  }
  return removed;
}
