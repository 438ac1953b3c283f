/**
 * The engine utility-process entry logic (runUtilityHost): home from an `init` message when argv
 * has none, ports that arrive early wait for the engine, a start failure is reported to main
 * and ends the process, and `shutdown` closes the engine before exiting.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/engine/log';
import type { Engine, EngineOptions } from '../../electron/engine/engine';
import { runUtilityHost, type ParentPortLike } from '../../electron/engine/utility/host';
import { asMainPort } from '../support/electron-fakes';

function parent() {
  const listeners: ((e: { data: unknown; ports: ReturnType<typeof asMainPort>[] }) => void)[] = [];
  const posted: unknown[] = [];
  const port: ParentPortLike = {
    on: (_e, l) => listeners.push(l),
    postMessage: (m) => posted.push(m),
  };
  const send = (data: unknown, ports: MessagePort[] = []) => listeners.forEach((l) => l({ data, ports: ports.map(asMainPort) }));
  return { port, posted, send };
}

/** An engine stand-in that serves `system/ping` and records attach/close. */
function stubEngine(options: EngineOptions) {
  const attached: unknown[] = [];
  let closed = false;
  const engine = {
    ctx: { home: options.home, env: options.env ?? {}, log: silentLogger, host: options.host },
    attach(channel: { onMessage(l: (m: { kind: string; id: number }) => void): () => void; send(m: unknown): void }) {
      attached.push(channel);
      return channel.onMessage((m) => {
        if (m.kind === 'request') channel.send({ kind: 'reply', id: m.id, data: { pong: true } });
      });
    },
    close: async () => {
      closed = true;
    },
  };
  return { engine: engine as unknown as Engine, attached, isClosed: () => closed, options };
}

describe('engine utility-process entry', () => {
  it('waits for an init message when argv has no home, serving ports that arrived first', async () => {
    const p = parent();
    let made: ReturnType<typeof stubEngine> | null = null;
    const exits: number[] = [];
    const host = runUtilityHost({
      parentPort: p.port,
      argv: [],
      env: {},
      exit: (c) => exits.push(c),
      log: silentLogger,
      createEngine: (o) => (made = stubEngine(o)).engine,
    });
    const { port1, port2 } = new MessageChannel();
    p.send({ type: 'connect', windowId: 4 }, [port1]);
    p.send({ type: 'init', home: '/tmp/init-home' });
    await host.engine;
    expect(made!.options).toMatchObject({ home: '/tmp/init-home', host: 'electron' });
    // The desktop states what it allows: signed file capabilities, publishes retried in the background.
    expect(made!.options).toMatchObject({ files: 'signed', retryQueueInBackground: true });
    expect(p.posted).toContainEqual({ type: 'ready', pid: process.pid, home: '/tmp/init-home' });

    const reply = new Promise((resolve) => port2.addEventListener('message', (e) => resolve((e as MessageEvent).data)));
    port2.start();
    port2.postMessage({ kind: 'request', id: 1, method: 'system/ping', params: {} });
    expect(await reply).toEqual({ kind: 'reply', id: 1, data: { pong: true } });
    expect(host.connections()).toBe(1);

    p.send({ type: 'shutdown' });
    await new Promise((r) => setTimeout(r, 20));
    expect(made!.isClosed()).toBe(true);
    expect(exits).toEqual([0]);
    expect(host.connections()).toBe(0);
    port2.close();
  });

  it('tells main why it could not start, and exits non-zero', async () => {
    const p = parent();
    const exits: number[] = [];
    const host = runUtilityHost({
      parentPort: p.port,
      argv: ['--home', '/tmp/x'],
      env: {},
      exit: (c) => exits.push(c),
      log: silentLogger,
      createEngine: () => {
        throw new Error('cannot create the data folder');
      },
    });
    await expect(host.engine).rejects.toThrow('cannot create the data folder');
    await new Promise((r) => setTimeout(r, 0));
    expect(p.posted).toContainEqual({ type: 'fatal', message: 'cannot create the data folder' });
    expect(exits).toEqual([1]);
  });

  it('uses the database URL from the environment when one is set', async () => {
    const p = parent();
    let made: ReturnType<typeof stubEngine> | null = null;
    const host = runUtilityHost({
      parentPort: p.port,
      argv: ['--home', '/tmp/y'],
      env: { DATABASE_URL: 'postgres://u@h/db' },
      exit: () => undefined,
      log: silentLogger,
      createEngine: (o) => (made = stubEngine(o)).engine,
    });
    await host.engine;
    expect(made!.options.databaseUrl).toBe('postgres://u@h/db');
  });
});
