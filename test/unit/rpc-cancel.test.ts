/**
 * Cancelling a request over the wire protocol: the client's AbortSignal becomes a `cancel`
 * message for that request's id, the server aborts the signal it gave the handler and answers the
 * request CANCELLED; a cancel for an id that was never sent or is already answered changes
 * nothing, and the server keeps answering. The real RpcServer and client over an in-process
 * channel pair; the handlers are the test's own.
 */
import { describe, expect, it } from 'vitest';
import { bridgeFromChannel, createClient } from '../../shared/client';
import { channelPair, type WireMessage } from '../../shared/rpc';
import { JobManager } from '../../electron/engine/jobs/manager';
import { silentLogger } from '../../electron/engine/log';
import { RpcServer, type AllHandlers } from '../../electron/engine/rpc/server';

interface Slow {
  /** The signal the handler got, once it runs. */
  started: Promise<AbortSignal>;
  /** Ends the handler (when it does not end itself on abort). */
  finish(): void;
  calls: number;
}

/** A server whose `dataset/page` waits until aborted (or, with `ignoreAbort`, until `finish`), and whose `system/ping` answers. */
function serve(options: { ignoreAbort?: boolean } = {}) {
  let started!: (signal: AbortSignal) => void;
  let finish!: () => void;
  const slow: Slow = {
    started: new Promise((resolve) => (started = resolve)),
    finish: () => finish(),
    calls: 0,
  };
  const handlers = {
    'system/ping': async () => ({ pong: true, at: 'now' }),
    'dataset/page': (_params: unknown, signal: AbortSignal) =>
      new Promise((resolve, reject) => {
        slow.calls++;
        started(signal);
        finish = () => resolve({ rows: [] });
        if (!options.ignoreAbort) signal.addEventListener('abort', () => reject(new Error('stopped by its signal')));
      }),
  } as unknown as AllHandlers;
  const server = new RpcServer(handlers, new JobManager(silentLogger), silentLogger);
  const [engineSide, clientSide] = channelPair();
  const detach = server.attach(engineSide);
  const received: WireMessage[] = [];
  clientSide.onMessage((m) => received.push(m));
  const sent: WireMessage[] = [];
  const spied = { ...clientSide, send: (m: WireMessage) => (sent.push(m), clientSide.send(m)) };
  return { slow, clientSide, received, sent, detach, client: createClient(bridgeFromChannel(spied)) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const pageRequest = (id: number): WireMessage => ({ kind: 'request', id, method: 'dataset/page', params: { dataset: 'x' } });

describe('request cancellation on the wire', () => {
  it('a cancel aborts the handler’s signal and the request is answered CANCELLED', async () => {
    const { slow, clientSide, received } = serve();
    clientSide.send(pageRequest(7));
    const signal = await slow.started;
    expect(signal.aborted).toBe(false);
    clientSide.send({ kind: 'cancel', id: 7 });
    await settle();
    expect(signal.aborted).toBe(true);
    expect(received).toEqual([{ kind: 'error', id: 7, error: expect.objectContaining({ code: 'CANCELLED' }) }]);
  });

  it('answers CANCELLED at once even when the handler ignores its signal, and never answers twice', async () => {
    const { slow, clientSide, received } = serve({ ignoreAbort: true });
    clientSide.send(pageRequest(3));
    await slow.started;
    clientSide.send({ kind: 'cancel', id: 3 });
    await settle();
    expect(received).toEqual([{ kind: 'error', id: 3, error: expect.objectContaining({ code: 'CANCELLED' }) }]);
    slow.finish();
    await settle();
    expect(received).toHaveLength(1);
  });

  it('ignores a cancel for an id never sent or already answered, and keeps answering', async () => {
    const { clientSide, received } = serve();
    clientSide.send({ kind: 'cancel', id: 99 });
    clientSide.send({ kind: 'request', id: 1, method: 'system/ping', params: {} });
    await settle();
    clientSide.send({ kind: 'cancel', id: 1 });
    clientSide.send({ kind: 'request', id: 2, method: 'system/ping', params: {} });
    await settle();
    expect(received).toEqual([
      { kind: 'reply', id: 1, data: { pong: true, at: 'now' } },
      { kind: 'reply', id: 2, data: { pong: true, at: 'now' } },
    ]);
  });

  it('stops the requests of a channel that is detached', async () => {
    const { slow, clientSide, detach } = serve();
    clientSide.send(pageRequest(5));
    const signal = await slow.started;
    detach();
    expect(signal.aborted).toBe(true);
  });
});

describe('the client’s AbortSignal', () => {
  it('sends a cancel for that request’s id and rejects with CANCELLED', async () => {
    const { slow, client, sent } = serve();
    const controller = new AbortController();
    const page = client.call('dataset/page', { dataset: 'x' }, { signal: controller.signal });
    const signal = await slow.started;
    controller.abort();
    await expect(page).rejects.toMatchObject({ code: 'CANCELLED' });
    await settle();
    const request = sent.find((m) => m.kind === 'request' && m.method === 'dataset/page') as { id: number };
    expect(sent.filter((m) => m.kind === 'cancel')).toEqual([{ kind: 'cancel', id: request.id }]);
    expect(signal.aborted).toBe(true);
    // The engine still answers the same client.
    expect(await client.call('system/ping', {})).toEqual({ pong: true, at: 'now' });
  });

  it('cancels through a bridge that hands over the cancel function only after the abort (the desktop’s, waiting for its port)', async () => {
    const { slow, clientSide } = serve();
    const bridge = bridgeFromChannel(clientSide);
    let release!: () => void;
    const portReady = new Promise<void>((resolve) => (release = resolve));
    const late = createClient({
      onEvent: (listener) => bridge.onEvent(listener),
      call: async (method, params, options) => {
        await portReady;
        return bridge.call(method, params, options);
      },
    });
    const controller = new AbortController();
    const page = late.call('dataset/page', { dataset: 'x' }, { signal: controller.signal });
    controller.abort();
    await expect(page).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    const signal = await slow.started;
    await settle();
    expect(signal.aborted).toBe(true);
  });

  it('sends nothing for a call already answered, and nothing at all for a signal aborted before the call', async () => {
    const { client, sent, slow } = serve();
    const controller = new AbortController();
    expect(await client.call('system/ping', {}, { signal: controller.signal })).toEqual({ pong: true, at: 'now' });
    controller.abort();
    await expect(client.call('dataset/page', { dataset: 'x' }, { signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    await settle();
    expect(sent.map((m) => m.kind)).toEqual(['request']);
    expect(slow.calls).toBe(0);
  });
});
