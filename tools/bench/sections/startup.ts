/**
 * startup: how soon the `sparkpolar` command answers, as a user at a terminal feels it.
 * - `--help`, against `node -e ''` (the floor of any Node.js command) and against the same CLI
 *   run from its TypeScript through tsx (what it was before it shipped compiled);
 * - `datasets` on a data folder of its own whose PostgreSQL is stopped (the command starts it,
 *   lists, and stops it again, so every repetition starts from a stopped server);
 * - `serve` until its first page is served (spawn → URL printed → GET of the page answered).
 * Every contender is a fresh child process, timed from spawn to exit (or to the first page).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { BenchContext } from '../context';
import { runChecked } from '../peers/process';
import { measureAll, NotAvailable, type Contender } from '../protocol';
import type { SectionResult } from '../types';
import { sectionStatus } from './import';

/** A node command with the same flags as the benchmark's own process (no inherited loaders). */
const node = process.execPath;
const quietEnv = () => ({ ...process.env, DATABASE_URL: '', NODE_OPTIONS: '' });

export async function startupSection(ctx: BenchContext): Promise<SectionResult> {
  const cli = ctx.options.cliScript;
  const root = cli ? path.resolve(path.dirname(cli), '..') : null;
  const home = path.join(ctx.engine.ctx.home, 'bench', 'startup-home');
  fs.mkdirSync(home, { recursive: true });
  const requireCli = (): string => {
    if (!cli) throw new NotAvailable('the sparkpolar CLI script is not present in this installation');
    return cli;
  };
  const compiled = root !== null && fs.existsSync(path.join(root, 'out', 'cli', 'main.js'));
  const opts = { env: quietEnv(), signal: ctx.signal };

  const contenders: Contender[] = [
    {
      id: 'startup.node_floor',
      label: "`node -e ''` (the floor of any Node.js command on this machine)",
      run: async () => void (await runChecked(node, ['-e', ''], opts)),
    },
    {
      id: 'startup.help',
      label: '`sparkpolar --help`',
      run: async () => void (await runChecked(node, [requireCli(), '--help'], opts)),
      notes: () => ({ compiled }),
    },
    {
      id: 'startup.help_tsx',
      label: '`sparkpolar --help` run from TypeScript through tsx (the CLI before it shipped compiled)',
      run: async () => {
        if (!root) throw new NotAvailable('no checkout: the TypeScript sources are not here');
        await runChecked(node, ['--import', 'tsx', path.join(root, 'electron', 'cli', 'main.ts'), '--help'], { ...opts, cwd: root });
      },
    },
    {
      id: 'startup.datasets',
      label: '`sparkpolar datasets` on a data folder whose PostgreSQL is stopped',
      run: async () => void (await runChecked(node, [requireCli(), '--home', home, 'datasets'], opts)),
    },
    {
      id: 'startup.serve_first_page',
      label: '`sparkpolar serve`: spawn → URL printed → first page served',
      run: () => serveFirstPage(requireCli(), home, root, ctx.signal),
    },
  ];
  // The first `datasets` of a new folder creates its database cluster: not what is measured.
  const protocol = { warmup: Math.max(1, ctx.options.protocol.warmup), repetitions: ctx.options.protocol.repetitions };
  const measurements = await measureAll(protocol, contenders, {
    signal: ctx.signal,
    onSample: (c, seconds, round, warm) => ctx.log(`  ${c.id} ${warm ? '(warm-up) ' : ''}${seconds.toFixed(3)} s`),
  });
  return { name: 'startup', status: sectionStatus(measurements), measurements, facts: { compiled, home } };
}

/** Spawns `sparkpolar serve --json`, GETs the printed URL, and stops the server once the page arrived. */
async function serveFirstPage(cli: string, home: string, root: string | null, signal: AbortSignal | undefined): Promise<void> {
  if (root && !fs.existsSync(path.join(root, 'out', 'renderer', 'index.html')))
    throw new NotAvailable('the renderer is not built (npm run build)');
  const child = spawn(node, [cli, '--home', home, '--json', 'serve', '--port', '0'], {
    env: quietEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    signal,
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line && out.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.once('close', (code) =>
        reject(new Error(`serve exited (${code}) before printing its URL: ${err.trim().split('\n').pop() ?? ''}`)),
      );
      child.once('error', reject);
    });
    await getPage(url);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

/** GET with the token redirect followed once (the URL's token becomes a cookie), body read in full. */
function getPage(url: string, cookie?: string, hops = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location && hops < 3) {
          const next = new URL(res.headers.location, url).href;
          const setCookie = res.headers['set-cookie']?.map((c) => c.split(';')[0]).join('; ');
          getPage(next, setCookie ?? cookie, hops + 1).then(resolve, reject);
        } else if (status === 200 && Buffer.concat(chunks).toString('utf8').includes('<div id="root">')) resolve();
        else reject(new Error(`the first page answered HTTP ${status}`));
      });
    });
    req.on('error', reject);
  });
}
