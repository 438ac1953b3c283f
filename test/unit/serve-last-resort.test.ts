import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serveModule = path.resolve(import.meta.dirname, '../../electron/serve/last-resort.ts');

describe('sparkpolar serve: last-resort handler', () => {
  it('logs an error that escaped every handler and keeps the process serving', async () => {
    // A real Node process: without the handler the thrown error would end it with status 1.
    const script = `
      import { keepServingOnStrayErrors } from ${JSON.stringify(serveModule)};
      const lines = [];
      keepServingOnStrayErrors(process, { error: (msg, fields) => lines.push(msg + ' ' + fields.error.split('\\n')[0]) });
      setTimeout(() => { throw new Error('escaped a handler'); }, 10);
      setTimeout(() => Promise.reject(new Error('nobody awaited')), 20);
      setTimeout(() => { console.log(JSON.stringify(lines)); process.exit(0); }, 200);
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    });
    const lines = JSON.parse(stdout.trim()) as string[];
    expect(lines).toEqual([
      'serve: uncaught exception (still serving) Error: escaped a handler',
      'serve: unhandled rejection (still serving) Error: nobody awaited',
    ]);
  });
});
