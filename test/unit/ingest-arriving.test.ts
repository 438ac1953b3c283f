import { describe, expect, it } from 'vitest';
import { Arrival, ArrivingFiles } from '../../electron/engine/ingest/arriving';
import { sampledRanges } from '../../electron/engine/ingest/sample';

/** Whether the promise has settled after the pending callbacks ran. */
async function settled(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
}

describe('a file still arriving', () => {
  it('lets a reader through only once every byte of its range is written, whatever the order', async () => {
    const a = new Arrival('/x', 100);
    const wait = a.ready(10, 40);
    a.wrote(0, 20);
    expect(await settled(wait)).toBe('pending');
    a.wrote(30, 50);
    expect(await settled(wait)).toBe('pending');
    a.wrote(20, 30); // fills the gap: [0, 50) is now one range
    expect(await settled(wait)).toBe('resolved');
    expect(await settled(a.ready(0, 50))).toBe('resolved');
    expect(await settled(a.ready(49, 51))).toBe('pending');
  });

  it('cuts a range at the size of the file, and lets everything through once finished', async () => {
    const a = new Arrival('/x', 100);
    a.wrote(90, 100);
    expect(await settled(a.ready(90, 4096))).toBe('resolved');
    const early = a.ready(0, 10);
    a.finish();
    expect(await settled(early)).toBe('resolved');
    expect(await settled(a.ready(0, 100))).toBe('resolved');
  });

  it('fails every waiting and later reader with a clear error when the upload breaks off', async () => {
    const a = new Arrival('/x', 100);
    const waiting = a.ready(0, 100);
    a.fail('the connection closed');
    await expect(waiting).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('did not complete') });
    await expect(a.ready(0, 1)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('stops waiting when the reader is cancelled', async () => {
    const a = new Arrival('/x', 100);
    const controller = new AbortController();
    const waiting = a.ready(0, 100, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('the uploads an engine knows', () => {
  it('forgets a finished upload, and remembers a broken one with its error', () => {
    const files = new ArrivingFiles();
    const ok = files.begin('/ok', 10);
    ok.finish();
    files.end('/ok');
    expect(files.of('/ok')).toBeUndefined();
    const broken = files.begin('/broken', 10);
    broken.fail('the connection closed');
    files.end('/broken');
    expect(() => files.of('/broken')?.throwIfFailed()).toThrow(/did not complete/);
  });
});

describe('the ranges the profiler samples', () => {
  it('are the head alone for a small file', () => {
    expect(sampledRanges(1000)).toEqual([[0, 1000]]);
  });

  it('are the head and probes spread through a large file, inside it and in order', () => {
    const size = 200 * 1024 * 1024;
    const ranges = sampledRanges(size);
    expect(ranges[0]).toEqual([0, 4 * 1024 * 1024]);
    expect(ranges.length).toBeGreaterThan(10);
    for (const [start, end] of ranges) {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(size);
      expect(end).toBeGreaterThan(start);
    }
    const starts = ranges.map((r) => r[0]);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });
});
