import { describe, expect, it } from 'vitest';
import { progressLine, progressPrinter } from '../../electron/cli/progress';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream, written };
}

describe('CLI progress', () => {
  it('says what is happening, how far in bytes or items, and how fast', () => {
    expect(
      progressLine({
        phase: 'copy',
        message: 'Importing',
        unit: 'bytes',
        done: 512 * 1024,
        total: 2 * 1024 * 1024,
        rows: 12345,
        rowsPerSecond: 400000,
        etaSeconds: 1.2,
      }),
    ).toBe('Importing: 25% (512 KB of 2 MB), 12,345 rows, 400,000 rows/s, ETA 2 s');
    expect(progressLine({ phase: 'analyses', done: 3, total: 46, unit: 'analyses' })).toBe('analyses: 6% (3 of 46 analyses)');
    expect(progressLine({ phase: 'commit', message: 'Committing', etaSeconds: 3 })).toBe('Committing');
  });

  it('rewrites one line on a terminal and clears it when the job answers', () => {
    const { stream, written } = fakeStream(true);
    const printer = progressPrinter(false, stream);
    printer.onProgress({ phase: 'a', message: 'one' });
    printer.onProgress({ phase: 'a', message: 'two' });
    printer.done();
    expect(written).toEqual(['\r\x1b[Kone', '\r\x1b[Ktwo', '\r\x1b[K']);
  });

  it('writes whole lines, at most one every two seconds, to a file or a pipe', () => {
    const { stream, written } = fakeStream(false);
    const printer = progressPrinter(false, stream);
    printer.onProgress({ phase: 'a', message: 'one' });
    printer.onProgress({ phase: 'a', message: 'two' });
    printer.done();
    expect(written).toEqual(['one\n']);
  });

  it('stays silent with --json, whatever stderr is', () => {
    const { stream, written } = fakeStream(true);
    const printer = progressPrinter(true, stream);
    printer.onProgress({ phase: 'a', message: 'one' });
    printer.done();
    expect(written).toEqual([]);
  });
});
