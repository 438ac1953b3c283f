import { describe, expect, it } from 'vitest';
import { bridgeFromChannel, createClient } from '../../shared/client';
import type { JobProgress } from '../../shared/contract/jobs';
import { StudioError } from '../../shared/errors';
import { channelPair } from '../../shared/rpc';
import { JobManager } from '../../electron/engine/jobs/manager';
import { silentLogger } from '../../electron/engine/log';

describe('JobManager', () => {
  it('emits progress then done, and keeps the final progress visible in list()', async () => {
    const jobs = new JobManager(silentLogger);
    const events: string[] = [];
    jobs.onEvent((e) => events.push(e.type));
    const finished = new Promise<unknown>((resolve) => jobs.onEvent((e) => e.type === 'job/done' && resolve(e.result)));
    const id = jobs.start('test/work', async (ctx) => {
      ctx.progress({ done: 1, total: 2 });
      await new Promise((r) => setTimeout(r, 150));
      ctx.progress({ done: 2, total: 2 });
      return { answer: 42 };
    });
    expect(jobs.list().find((j) => j.jobId === id)?.state).toBe('running');
    expect(await finished).toEqual({ answer: 42 });
    expect(events[0]).toBe('job/progress');
    expect(events.at(-1)).toBe('job/done');
    expect(jobs.list().find((j) => j.jobId === id)?.state).toBe('done');
  });

  it('throttles progress within a phase but never drops a phase change', async () => {
    const jobs = new JobManager(silentLogger);
    const phases: Array<string | undefined> = [];
    jobs.onEvent((e) => e.type === 'job/progress' && phases.push(e.progress.phase));
    const done = new Promise<void>((resolve) => jobs.onEvent((e) => e.type === 'job/done' && resolve()));
    jobs.start('test/phases', async (ctx) => {
      for (let i = 0; i < 1000; i++) ctx.progress({ phase: 'load', done: i });
      ctx.progress({ phase: 'compare' });
      ctx.progress({ phase: 'store' });
    });
    await done;
    expect(phases.filter((p) => p === 'load').length).toBeLessThan(5);
    expect(phases.slice(-2)).toEqual(['compare', 'store']);
  });

  it('sends a throttled last report before the job ends, so the final count is never lost', async () => {
    const jobs = new JobManager(silentLogger);
    const seen: Array<{ type: string; done?: number }> = [];
    jobs.onEvent((e) => seen.push({ type: e.type, ...(e.type === 'job/progress' ? { done: e.progress.done } : {}) }));
    const done = new Promise<void>((resolve) => jobs.onEvent((e) => e.type === 'job/done' && resolve()));
    jobs.start('test/points', async (ctx) => {
      ctx.progress({ phase: 'polars', done: 2, total: 3 });
      ctx.progress({ phase: 'polars', done: 3, total: 3 }); // same phase, within the interval: throttled
    });
    await done;
    expect(seen.at(-1)).toEqual({ type: 'job/done' });
    expect(seen.at(-2)).toEqual({ type: 'job/progress', done: 3 });
  });

  it('cancels through the AbortSignal and reports CANCELLED', async () => {
    const jobs = new JobManager(silentLogger);
    const failed = new Promise<{ code: string }>((resolve) => jobs.onEvent((e) => e.type === 'job/failed' && resolve(e.error)));
    const id = jobs.start(
      'test/slow',
      (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))),
    );
    await new Promise((r) => setImmediate(r));
    expect(jobs.cancel(id)).toBe(true);
    expect((await failed).code).toBe('CANCELLED');
    expect(jobs.cancel(id)).toBe(false);
  });

  it('turns an unexpected throw into INTERNAL error data without a stack', async () => {
    const jobs = new JobManager(silentLogger);
    const failed = new Promise<Record<string, unknown>>((resolve) =>
      jobs.onEvent((e) => e.type === 'job/failed' && resolve(e.error as never)),
    );
    jobs.start('test/boom', async () => {
      throw new TypeError('boom');
    });
    const error = await failed;
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('boom');
    expect(JSON.stringify(error)).not.toContain('at ');
  });
});

describe('client over a channel', () => {
  it('runs a job to its result with progress, even when events beat the reply', async () => {
    const [server, clientSide] = channelPair();
    server.onMessage((m) => {
      if (m.kind !== 'request') return;
      // Events first, reply last: the client must still deliver them.
      server.send({ kind: 'event', event: { type: 'job/progress', jobId: 'j1', method: m.method, progress: { done: 5 } } });
      server.send({ kind: 'event', event: { type: 'job/done', jobId: 'j1', method: m.method, result: { rows: 5 } } });
      server.send({ kind: 'reply', id: m.id, data: { jobId: 'j1' } });
    });
    const client = createClient(bridgeFromChannel(clientSide));
    const progress: JobProgress[] = [];
    const result = await client.run('analysis/run', { dataset: 'x' }, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ rows: 5 });
    expect(progress).toEqual([{ done: 5 }]);
  });

  it('rejects with a StudioError carrying the code of an error reply', async () => {
    const [server, clientSide] = channelPair();
    server.onMessage((m) => {
      if (m.kind === 'request')
        server.send({ kind: 'error', id: m.id, error: { code: 'DATASET_NOT_FOUND', message: 'No dataset named "x".' } });
    });
    const client = createClient(bridgeFromChannel(clientSide));
    const err = await client.call('dataset/get', { dataset: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('DATASET_NOT_FOUND');
    expect((err as StudioError).fix).toMatch(/sparkpolar datasets/);
  });

  it('sends job/cancel when the caller aborts', async () => {
    const [server, clientSide] = channelPair();
    const seen: string[] = [];
    server.onMessage((m) => {
      if (m.kind !== 'request') return;
      seen.push(m.method);
      if (m.method === 'job/cancel') {
        server.send({ kind: 'reply', id: m.id, data: { cancelled: true } });
        server.send({
          kind: 'event',
          event: {
            type: 'job/failed',
            jobId: 'j2',
            method: 'analysis/run',
            error: { code: 'CANCELLED', message: 'Cancelled by the user.' },
          },
        });
      } else server.send({ kind: 'reply', id: m.id, data: { jobId: 'j2' } });
    });
    const client = createClient(bridgeFromChannel(clientSide));
    const controller = new AbortController();
    const running = client.run('analysis/run', { dataset: 'x' }, { signal: controller.signal, onStarted: () => controller.abort() });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual(['analysis/run', 'job/cancel']);
  });

  it("turns plain error data (as Electron's contextBridge delivers it) back into a StudioError", async () => {
    const bridge = {
      call: async () => {
        throw { name: 'StudioError', code: 'PG_UNAVAILABLE', message: 'PostgreSQL is not reachable' };
      },
      onEvent: () => () => undefined,
    };
    const err = await createClient(bridge)
      .call('system/ping', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('PG_UNAVAILABLE');
    expect((err as StudioError).fix).toMatch(/PostgreSQL/);
  });
});
