/**
 * The preload's window.studio across engine restarts, over real MessageChannel ports with a small
 * engine stand-in that speaks the wire protocol.
 */
import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../../shared/client';
import type { WireMessage } from '../../shared/rpc';
import { createElectronStudio, type PortLike } from '../../electron/preload/studio';

/** An engine end that answers `echo` at once, never answers `hang`, and starts a job on a job method. */
function engineEnd(port: MessagePort, name: string) {
  port.addEventListener('message', (e) => {
    const m = (e as MessageEvent).data as Extract<WireMessage, { kind: 'request' }>;
    if (m.method === 'echo') port.postMessage({ kind: 'reply', id: m.id, data: { from: name, params: m.params } });
    if (m.method === 'analysis/run') port.postMessage({ kind: 'reply', id: m.id, data: { jobId: `${name}-job` } });
  });
  port.start();
}

function setup() {
  let givePort!: (p: PortLike) => void;
  let down!: (reason: string) => void;
  let host!: (e: HostEvent) => void;
  const studio = createElectronStudio({
    onPort: (l) => (givePort = l),
    onEngineDown: (l) => (down = l),
    onHostEvent: (l) => (host = l),
    invoke: async () => null,
    getPathForFile: () => {
      throw new Error('not a file');
    },
  });
  const connect = (name: string) => {
    const { port1, port2 } = new MessageChannel();
    engineEnd(port1, name);
    givePort(port2);
    return port1;
  };
  return { studio, connect, down: (r: string) => down(r), host: (e: HostEvent) => host(e) };
}

describe('preload studio', () => {
  it('queues calls until the first port, then sends them', async () => {
    const { studio, connect } = setup();
    expect(studio.host.connectionState()).toBe('connecting');
    const pending = studio.call('echo', { a: 1 });
    const port = connect('first');
    expect(await pending).toEqual({ from: 'first', params: { a: 1 } });
    port.close();
  });

  it('fails calls in flight on a replaced port, reports running jobs failed, and uses the new port', async () => {
    const { studio, connect, down } = setup();
    const first = connect('first');
    const states: string[] = [];
    studio.host.onConnection((s) => states.push(s));
    const events: unknown[] = [];
    studio.onEvent((e) => events.push(e));
    expect(await studio.call('analysis/run', {})).toEqual({ jobId: 'first-job' });
    const inFlight = studio.call('hang', {}).catch((e: unknown) => e);

    down('the engine crashed');
    expect(await inFlight).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'job/failed',
        jobId: 'first-job',
        method: 'analysis/run',
        error: expect.objectContaining({ code: 'ENGINE_UNAVAILABLE' }),
      }),
    ]);
    const waiting = studio.call('echo', 'later');
    const second = connect('second');
    expect(await waiting).toEqual({ from: 'second', params: 'later' });
    expect(states).toEqual(['disconnected', 'connected']);
    first.close();
    second.close();
  });

  it('keeps host events that arrive before the page listens (an OS-opened file) and delivers them once', () => {
    const { studio, host } = setup();
    host({ type: 'open-file', path: '/data/a.csv' });
    host({ type: 'menu', action: 'open-csv' });
    const first: HostEvent[] = [];
    const off = studio.host.onHostEvent((e) => first.push(e));
    expect(first).toEqual([
      { type: 'open-file', path: '/data/a.csv' },
      { type: 'menu', action: 'open-csv' },
    ]);
    const second: HostEvent[] = [];
    studio.host.onHostEvent((e) => second.push(e));
    host({ type: 'engine/restarted', reason: 'x' });
    expect(second).toEqual([{ type: 'engine/restarted', reason: 'x' }]);
    expect(first).toHaveLength(3);
    off();
  });

  it('answers null, not an exception, for something that is not a local file', async () => {
    const { studio } = setup();
    expect(await studio.host.pathForFile({})).toBeNull();
  });
});
