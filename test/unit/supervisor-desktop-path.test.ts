/**
 * The desktop app's whole request path without an Electron binary: the supervisor forks the real
 * engine entry logic (runUtilityHost, in-process behind a parentPort-shaped pipe), hands real
 * MessageChannel ports to it and to the real preload object, and answers the engine's secret
 * requests from the real safeStorage vault. Then the engine "crashes" and comes back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type HostEvent } from '../../shared/client';
import type { SettingsView } from '../../shared/contract/settings';
import { createLogger, silentLogger } from '../../electron/engine/log';
import { isSecretRequest } from '../../electron/engine/settings/host-secrets';
import { runUtilityHost } from '../../electron/engine/utility/host';
import { EngineSupervisor } from '../../electron/main/engine-supervisor';
import { SecretVault } from '../../electron/main/secrets';
import { createElectronStudio, type PortLike } from '../../electron/preload/studio';
import { InProcessEngineChild, nodeChannel } from '../support/electron-fakes';
import { fakeSafeStorage } from '../support/fake-safe-storage';
import { freshDatabaseUrl, tempHome } from '../support/pg';

const until = async (predicate: () => boolean, what: string) => {
  for (let i = 0; i < 500; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('desktop request path (supervisor → engine entry → preload)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('serves requests over the ports, keeps secrets in main, survives an engine crash, and shuts down cleanly', async () => {
    const databaseUrl = await freshDatabaseUrl('desk');
    const home = tempHome('desk');
    const mainLines: string[] = [];
    const mainLog = createLogger((l) => mainLines.push(l), 'debug', 'main');
    const vault = new SecretVault({
      safeStorage: fakeSafeStorage(),
      file: path.join(home, 'secrets.json'),
      platform: 'linux',
      log: mainLog,
    });
    const children: InProcessEngineChild[] = [];
    const supervisor = new EngineSupervisor<MessagePort>({
      fork: () => {
        const child = new InProcessEngineChild((parentPort, exit) =>
          runUtilityHost({ parentPort, argv: ['--home', home], env: { DATABASE_URL: databaseUrl }, exit, log: silentLogger }),
        );
        children.push(child);
        return child;
      },
      createChannel: nodeChannel,
      log: mainLog,
      initialDelayMs: 20,
      onEngineMessage: (message, reply) => {
        if (isSecretRequest(message)) {
          const answer = vault.answer(message);
          if (answer) reply(answer);
        }
      },
    });
    cleanups.push(async () => {
      for (const child of children) await (await child.host.engine).close();
    });

    // The window side: the real preload object, fed the way ipcRenderer would feed it.
    let givePort: (port: PortLike) => void = () => undefined;
    let engineDown: (reason: string) => void = () => undefined;
    let hostEvent: (event: HostEvent) => void = () => undefined;
    const studio = createElectronStudio({
      onPort: (l) => (givePort = l),
      onEngineDown: (l) => (engineDown = l),
      onHostEvent: (l) => (hostEvent = l),
      invoke: async () => null,
      getPathForFile: () => '',
    });
    const events: HostEvent[] = [];
    studio.host.onHostEvent((e) => events.push(e));
    const client = createClient(studio);

    // A call made before the engine exists waits for the port.
    const early = client.call('system/ping', {});
    supervisor.start();
    supervisor.connect({
      id: 1,
      sendPort: (p) => givePort(p),
      sendHostEvent: (e) => hostEvent(e),
      notifyDown: (r) => engineDown(r),
      isDestroyed: () => false,
    });
    expect((await early).pong).toBe(true);
    expect(studio.host.connectionState()).toBe('connected');

    const info = await client.call('system/info', {});
    expect(info.host).toBe('electron');
    expect(info.database.serverVersion).toMatch(/PostgreSQL/);

    // A secret set through the engine lands in main's vault, encrypted; the settings file has none.
    const secret = 'sk-desktop-9f8e7d6c5b4a';
    await client.call('settings/set', {
      storage: { endpoint: 'http://127.0.0.1:9000', accessKey: 'AKIA-DESK', bucket: 'desk', secretKey: secret },
    });
    const view: SettingsView = await client.call('settings/get', {});
    expect(view.storage.secretKey).toEqual({ hasSecret: true, source: 'stored' });
    expect(view.secrets.persistence).toBe('encrypted');
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(fs.readFileSync(path.join(home, 'secrets.json'), 'utf8')).not.toContain(secret);
    expect(fs.readFileSync(path.join(home, 'settings.json'), 'utf8')).not.toContain(secret);
    expect(vault.get('storage.secretKey')).toBe(secret);
    expect((await client.call('system/info', {})).storage).toEqual({ configured: true, endpoint: 'http://127.0.0.1:9000', bucket: 'desk' });

    // The engine dies: the window is told, a new engine comes up, the same client works again.
    const firstPid = children[0]!.pid;
    children[0]!.exit(70);
    await until(() => events.some((e) => e.type === 'engine/restarted'), 'the restart notice');
    expect(children).toHaveLength(2);
    expect(studio.host.connectionState()).toBe('connected');
    expect((await client.call('system/ping', {})).pong).toBe(true);
    expect(await children[1]!.host.engine).not.toBe(await children[0]!.host.engine);
    expect(children[1]!.pid).not.toBe(firstPid);
    // Secrets live in main, so the new engine still has them.
    expect((await client.call('settings/get', {})).storage.secretKey.hasSecret).toBe(true);
    expect(mainLines.some((l) => l.includes('engine died') && l.includes('unexpected error'))).toBe(true);
    expect(mainLines.join('\n')).not.toContain(secret);

    // Quit: the engine is asked to shut down and exits by itself (no kill).
    await supervisor.stop();
    expect(children[1]!.exited).toBe(true);
    expect(children[1]!.host.connections()).toBe(0);
  });
});
