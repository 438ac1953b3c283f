/**
 * Starts one real embedded PostgreSQL for the whole test run (in a temporary data folder) and
 * hands its URL to the test files; each file then creates its own database (see ./pg.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterDir, ensureEmbeddedServer, type EmbeddedServer } from '../../electron/engine/db/embedded-server';
import { silentLogger } from '../../electron/engine/log';

let server: EmbeddedServer | null = null;
let home = '';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    testRoot: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'sparkpolar-test-'));
  fs.chmodSync(home, 0o755);
  server = await ensureEmbeddedServer(home, silentLogger);
  const url = `postgresql://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/postgres`;
  project.provide('pgAdminUrl', url);
  project.provide('testRoot', home);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (!home) return;
  // As root, clusters live outside their data folders (under /var/lib): remove the ones of this run's homes too.
  const homes = [home, ...fs.readdirSync(home).map((d) => path.join(home, d))];
  for (const h of homes) {
    const dir = path.dirname(clusterDir(h));
    if (!dir.startsWith(home) && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(home, { recursive: true, force: true });
}
