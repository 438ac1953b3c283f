import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../../shared/client';
import { describeExit, EngineSupervisor, type WindowLink } from '../../electron/main/engine-supervisor';
import { FakeChild, ManualScheduler, memoryLogger, nodeChannel } from '../support/electron-fakes';

function fakeWindow(id: number) {
  const ports: MessagePort[] = [];
  const events: HostEvent[] = [];
  const down: string[] = [];
  let destroyed = false;
  const link: WindowLink<MessagePort> = {
    id,
    sendPort: (p) => ports.push(p),
    sendHostEvent: (e) => events.push(e),
    notifyDown: (r) => down.push(r),
    isDestroyed: () => destroyed,
  };
  return { link, ports, events, down, destroy: () => (destroyed = true) };
}

function setup(options: { initialDelayMs?: number; maxDelayMs?: number; stableAfterMs?: number } = {}) {
  const children: FakeChild[] = [];
  const channels: { port1: MessagePort; port2: MessagePort }[] = [];
  const scheduler = new ManualScheduler();
  const log = memoryLogger();
  const supervisor = new EngineSupervisor<MessagePort>({
    fork: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    createChannel: () => {
      const pair = nodeChannel();
      channels.push(pair);
      return pair;
    },
    log,
    scheduler,
    initialDelayMs: options.initialDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 1600,
    stableAfterMs: options.stableAfterMs ?? 10_000,
    shutdownTimeoutMs: 5_000,
  });
  return { supervisor, children, channels, scheduler, log, closeAll: () => channels.forEach((c) => (c.port1.close(), c.port2.close())) };
}

describe('EngineSupervisor', () => {
  it('forks the engine once and gives each window one end of its own channel, the engine the other', () => {
    const { supervisor, children, channels, closeAll } = setup();
    const a = fakeWindow(1);
    const b = fakeWindow(2);
    supervisor.connect(a.link); // before start: remembered, connected when the engine exists
    supervisor.start();
    supervisor.connect(b.link);
    expect(children).toHaveLength(1);
    expect(channels).toHaveLength(2);
    const sent = children[0]!.sent;
    expect(sent.map((s) => s.message)).toEqual([
      { type: 'connect', windowId: 1 },
      { type: 'connect', windowId: 2 },
    ]);
    // The engine gets port1 of each channel and the window port2 of the same channel.
    expect(sent[0]!.ports).toEqual([channels[0]!.port1]);
    expect(a.ports).toEqual([channels[0]!.port2]);
    expect(sent[1]!.ports).toEqual([channels[1]!.port1]);
    expect(b.ports).toEqual([channels[1]!.port2]);
    closeAll();
  });

  it('restarts a dead engine after a delay, re-sends ports, tells the window why, and logs the reason', () => {
    const { supervisor, children, scheduler, log, closeAll } = setup();
    const w = fakeWindow(7);
    supervisor.start();
    supervisor.connect(w.link);
    children[0]!.writeStderr('thread panicked at polars: out of bounds\n');
    children[0]!.exit(70);

    expect(supervisor.status).toBe('restarting');
    expect(w.down).toHaveLength(1);
    expect(children).toHaveLength(1);
    scheduler.advance(99);
    expect(children).toHaveLength(1);
    scheduler.advance(1);
    expect(children).toHaveLength(2);
    expect(supervisor.restarts).toBe(1);

    // The new engine received a fresh port for the window, and the window its other end.
    expect(children[1]!.sent[0]!.message).toEqual({ type: 'connect', windowId: 7 });
    expect(w.ports).toHaveLength(2);
    expect(w.ports[1]).not.toBe(w.ports[0]);
    expect(w.events).toHaveLength(1);
    const event = w.events[0]!;
    expect(event.type).toBe('engine/restarted');
    expect(event.type === 'engine/restarted' && event.reason).toBe(describeExit(70, 'thread panicked at polars: out of bounds'));

    const logged = log.entries.find((e) => e.level === 'error' && e.message.includes('engine died'));
    expect(logged?.fields?.code).toBe(70);
    expect(String(logged?.fields?.reason)).toContain('thread panicked');
    closeAll();
  });

  it('doubles the delay for quick successive crashes up to the maximum, and resets it after a stable run', () => {
    const { supervisor, children, scheduler, closeAll } = setup({ initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 10_000 });
    supervisor.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      children.at(-1)!.exit(1);
      delays.push(scheduler.pending()[0]!);
      scheduler.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([100, 200, 400, 400, 400]);
    // A run longer than stableAfterMs: the next crash restarts quickly again.
    scheduler.advance(10_000);
    children.at(-1)!.exit(1);
    expect(scheduler.pending()).toEqual([100]);
    closeAll();
  });

  it('stops cleanly: asks the engine to shut down, does not restart it, kills it only if it lingers', async () => {
    const { supervisor, children, scheduler, closeAll } = setup();
    supervisor.start();
    const stopped = supervisor.stop();
    expect(children[0]!.sent.at(-1)!.message).toEqual({ type: 'shutdown' });
    children[0]!.exit(0);
    await stopped;
    expect(supervisor.status).toBe('stopped');
    scheduler.advance(60_000);
    expect(children).toHaveLength(1);
    expect(children[0]!.killed).toBe(false);

    const second = setup();
    second.supervisor.start();
    const lingering = second.supervisor.stop();
    second.scheduler.advance(5_000);
    expect(second.children[0]!.killed).toBe(true);
    await lingering;
    expect(second.children).toHaveLength(1);
    closeAll();
    second.closeAll();
  });

  it('cancels a pending restart when stopped during the backoff', async () => {
    const { supervisor, children, scheduler, closeAll } = setup();
    supervisor.start();
    children[0]!.exit(1);
    await supervisor.stop();
    scheduler.advance(60_000);
    expect(children).toHaveLength(1);
    closeAll();
  });

  it('reconnects a window on reload (new channel, old engine port closed) and forgets closed windows', async () => {
    const { supervisor, children, channels, closeAll } = setup();
    const w = fakeWindow(3);
    supervisor.start();
    supervisor.connect(w.link);
    const closed = new Promise<void>((resolve) => channels[0]!.port2.addEventListener('close', () => resolve()));
    channels[0]!.port2.start();
    supervisor.connect(w.link);
    await closed; // closing the engine's end closed the whole old channel
    expect(children[0]!.sent.filter((s) => s.message.type === 'connect')).toHaveLength(2);
    supervisor.disconnect(3);
    children[0]!.exit(1);
    expect(w.down).toEqual([]);
    closeAll();
  });

  it('passes engine messages (secret requests) to main and answers the same engine', () => {
    const children: FakeChild[] = [];
    const supervisor = new EngineSupervisor<MessagePort>({
      fork: () => {
        const c = new FakeChild();
        children.push(c);
        return c;
      },
      createChannel: nodeChannel,
      log: memoryLogger(),
      onEngineMessage: (message, reply) => {
        if (message.type === 'secrets/request')
          reply({ type: 'secrets/reply', id: message.id, ok: true, value: message.name === 'storage.secretKey' });
      },
    });
    supervisor.start();
    children[0]!.emit('message', { type: 'secrets/request', id: 9, op: 'has', name: 'storage.secretKey' });
    expect(children[0]!.sent.at(-1)!.message).toEqual({ type: 'secrets/reply', id: 9, ok: true, value: true });
  });

  it('describes exit codes in words', () => {
    expect(describeExit(70)).toMatch(/unexpected error/);
    expect(describeExit(137)).toMatch(/killed/);
    expect(describeExit(139)).toMatch(/segmentation/);
    expect(describeExit(3, 'disk full')).toBe('the engine stopped with exit code 3: disk full');
  });
});
