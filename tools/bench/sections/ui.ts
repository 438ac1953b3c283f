/**
 * ui: what a user of browser mode sees. The bench file is dropped on the window of `sparkpolar
 * serve` (the built renderer, served by the same engine the `drop` section times) in headless
 * Chromium, the Analyses page is opened, and the time from the drop event to the last original
 * (★) chart drawn is taken in the page itself. Its ratio to the engine's own `drop.product` is
 * computed in `ratios.ts`. Also the renderer's initial JavaScript (what loads before the first
 * paint), which needs no browser. What "drawn" means is in `ui-page.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { packageRoot } from '../../../electron/cli/paths';
import { startBrowserServer, type BrowserServer } from '../../../electron/serve/server';
import { CHROMIUM_ARGS, findChromium, missingChromiumMessage } from '../../../test/e2e/support/chromium';
import { checkpoint, deleteDataset, type BenchContext } from '../context';
import { ORIGINAL_IDS } from '../peers/original-sql';
import { REAL_4401 } from '../../../test/support/real-data';
import { fromSamples, measureAll, median, NotAvailable, unavailable, type Contender } from '../protocol';
import { initialScripts } from '../renderer-bundle';
import type { UploadEvent } from '../../../electron/serve/uploads';
import {
  ADD_FILE_INPUT,
  DROP_FILE,
  FILE_INPUT_ID,
  RECORD,
  TRACE,
  TRACE_WIRE,
  watchOriginalCharts,
  type PageRecord,
  type WireTrace,
} from './ui-page';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

const DROP_LABEL = 'browser mode in Chromium: drop of the file → every original chart drawn';
const uiDatasetName = (ctx: BenchContext) => `${ctx.datasetName}-ui`;

export async function uiSection(ctx: BenchContext): Promise<SectionResult> {
  const measurements: Measurement[] = [
    initialJs(),
    ...(await dropToCharts(ctx).catch((err: unknown) => [unavailable('ui.drop_to_charts', DROP_LABEL, err)])),
  ];
  const missing = measurements.find((m) => !m.available);
  return {
    name: 'ui',
    status: sectionStatus(measurements),
    ...(missing && !missing.available ? { reason: missing.reason } : {}),
    measurements,
    facts: { dataset: uiDatasetName(ctx), analyses: ORIGINAL_IDS },
  };
}

/** The renderer `sparkpolar serve` serves, or NotAvailable when it is not built. */
function builtRenderer(): string {
  const dir = path.join(packageRoot(), 'out', 'renderer');
  if (!fs.existsSync(path.join(dir, 'index.html')))
    throw new NotAvailable(`the renderer is not built (no ${dir}/index.html): npm run build`);
  return dir;
}

function initialJs(): Measurement {
  const id = 'ui.renderer_initial_js';
  const label = 'renderer initial JavaScript, minified: entry script + its static imports (lazy chunks excluded)';
  try {
    const scripts = initialScripts(builtRenderer());
    return fromSamples(id, label, [scripts.bytes / 1000], { unit: 'kB', bytes: scripts.bytes, notes: { files: scripts.files } });
  } catch (err) {
    return unavailable(id, label, err);
  }
}

/** A file dropped on the window, and what its measurement is called. */
interface DroppedFile {
  id: string;
  label: string;
  /** The file on disk; the page gets it under `name`.csv, so the dataset is named `name`. */
  file: string;
  name: string;
  rows: number;
  bytes: number;
}

/** What every window drop of the section shares: the server, the browser, and the upload events of the round going on. */
interface Stage {
  server: BrowserServer;
  browser: Browser;
  executable: string;
  uploads: UploadEvent[];
}

async function dropToCharts(ctx: BenchContext): Promise<Measurement[]> {
  const dir = builtRenderer();
  const executable = findChromium();
  if (!executable) throw new NotAvailable(missingChromiumMessage());
  const playwright = await import('playwright-core').catch(() => {
    throw new NotAvailable('playwright-core (a dev dependency) is not installed');
  });
  const bench: DroppedFile = {
    id: 'ui.drop_to_charts',
    label: DROP_LABEL,
    file: ctx.file,
    name: uiDatasetName(ctx),
    rows: ctx.rows,
    bytes: ctx.bytes,
  };
  const small: DroppedFile = {
    id: 'ui.drop_to_charts_small',
    label: 'browser mode in Chromium: drop of the 4,401 real rows → every original chart drawn',
    file: REAL_4401,
    name: `${ctx.datasetName}-ui-small`,
    rows: 4401,
    bytes: fs.statSync(REAL_4401).size,
  };
  const uploads: UploadEvent[] = [];
  let server: BrowserServer | null = null;
  let browser: Browser | null = null;
  const drops: WindowDrop[] = [];
  try {
    server = await startBrowserServer({
      engine: ctx.engine,
      rendererDir: dir,
      uploadDir: path.join(ctx.engine.ctx.home, 'uploads'),
      observeUploads: (e) => uploads.push(e),
    });
    browser = await playwright.chromium.launch({ executablePath: executable, headless: true, args: CHROMIUM_ARGS });
    const stage: Stage = { server, browser, executable, uploads };
    drops.push(windowDrop(ctx, stage, bench), windowDrop(ctx, stage, small));
    const measured = await measureAll(ctx.options.protocol, [drops[0]!.contender, engineDrop(ctx), drops[1]!.contender], {
      signal: ctx.signal,
      onSample: (c, s, round, warm) =>
        ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
    });
    // The ratio of record is against the drop section's engine time; on a shared machine the load
    // moves between sections, so the same ratio against the engine's drop timed in these very rounds is kept too.
    const [ui, engine] = measured;
    if (ui?.available && engine?.available) ui.notes = { ...ui.notes, vsEngineDropSameRounds: ui.median / engine.median };
    return measured;
  } finally {
    for (const drop of drops) await drop.close();
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }
}

interface WindowDrop {
  contender: Contender;
  /** Closes its window, deletes its dataset and the dropped file. */
  close(): Promise<void>;
}

/**
 * One file dropped on a fresh window each round, the Analyses page opened, and the time from the
 * drop event to the last original chart drawn taken in the page.
 */
function windowDrop(ctx: BenchContext, stage: Stage, spec: DroppedFile): WindowDrop {
  const { name } = spec;
  // The file the user drops, under the dataset's name (a link, not a copy).
  const dropped = path.join(ctx.scratch, `${name}.csv`);
  linkOrCopy(spec.file, dropped);
  const timeout = dropTimeoutMs(spec.rows);
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  const runs: Array<{
    lastOriginalMs: number;
    lastChart: string;
    firstOriginalMs: number;
    pageErrors: string[];
    breakdown: Record<string, number>;
    events: WireTrace['events'];
    /** CPU the browser's processes used (by process type) during the upload, the import, and until the last original chart is drawn; sampled as the driver polls (every 250 ms). */
    browserCpuMs: Record<string, Record<string, number> | null>;
    drawnAt: Record<string, number>;
    engineRun?: Record<string, unknown>;
  }> = [];
  let pageErrors: string[] = [];

  const closeContext = async () => {
    await context?.close().catch(() => undefined);
    context = null;
    page = null;
  };

  const contender: Contender = {
    id: spec.id,
    label: spec.label,
    rows: spec.rows,
    bytes: spec.bytes,
    // A fresh window each time (no dataset remembered, no run on screen), on a fresh dataset name.
    before: async () => {
      await deleteDataset(ctx, name);
      await checkpoint(ctx);
      context = await stage.browser.newContext({ locale: 'en-US', colorScheme: 'light', viewport: { width: 1440, height: 900 } });
      await context.addInitScript(TRACE_WIRE);
      page = await context.newPage();
      pageErrors = [];
      stage.uploads.length = 0;
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(stage.server.url);
      await page.getByTestId('drop-zone').waitFor({ timeout: 60_000 });
      await page.evaluate(watchOriginalCharts(ORIGINAL_IDS, name));
    },
    run: async () => {
      const p = page!;
      await p.evaluate(ADD_FILE_INPUT);
      await p.setInputFiles(`#${FILE_INPUT_ID}`, dropped);
      const cpu: Array<Record<string, number> | null> = [browserCpu()];
      await p.evaluate(DROP_FILE);
      // The user goes to the charts while the file uploads and imports.
      await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Analyses' }).click();
      const record = await until(p, timeout, ctx.signal, (trace) => {
        // The browser's CPU until the upload is answered, then until the import is done, then to the end.
        const step = 'dataset/import done' in trace.marks ? 2 : 'upload answered' in trace.marks ? 1 : 0;
        while (cpu.length <= step) cpu.push(browserCpu());
      });
      cpu.push(browserCpu());
      const problems = Object.entries(record.problems);
      if (problems.length) throw new Error(`original analyses not drawn: ${problems.map(([id, s]) => `${id} ${s}`).join(', ')}`);
      const times = ORIGINAL_IDS.map((id) => record.drawnAt[id]!);
      const last = Math.max(...times);
      const lastChart = ORIGINAL_IDS.find((id) => record.drawnAt[id] === last)!;
      const trace = (await p.evaluate(TRACE)) as WireTrace;
      const timeOrigin = (await p.evaluate('performance.timeOrigin')) as number;
      runs.push({
        lastOriginalMs: last,
        lastChart,
        firstOriginalMs: Math.min(...times),
        pageErrors: [...pageErrors],
        breakdown: breakdown(record, trace, stage.uploads, timeOrigin, times),
        browserCpuMs: {
          upload: cpuBetween(cpu[0]!, cpu[1] ?? null),
          import: cpuBetween(cpu[1] ?? null, cpu[2] ?? null),
          charts: cpuBetween(cpu[2] ?? null, cpu[3] ?? null),
        },
        drawnAt: Object.fromEntries(ORIGINAL_IDS.map((id) => [id, Math.round(record.drawnAt[id]!)])),
        events: trace.events,
      });
      return last / 1000;
    },
    // Untimed: the rest of the catalog finishes (so it does not load the next round), then the window closes.
    after: async () => {
      await page
        ?.getByTestId('run-facts')
        .waitFor({ timeout })
        .catch(() => undefined);
      const latest = (await ctx.client.call('analysis/runs', { dataset: name, limit: 1 }).catch(() => []))[0];
      const engineRun = latest ? await ctx.client.call('analysis/get-run', { runId: latest.runId }).catch(() => null) : null;
      const mine = runs.at(-1);
      if (mine && engineRun) {
        const { loadSource, loadMs, prepareMs, totalMs } = engineRun;
        mine.engineRun = { loadSource, loadMs: Math.round(loadMs), prepareMs: Math.round(prepareMs ?? 0), totalMs: Math.round(totalMs) };
      }
      await closeContext();
      await deleteDataset(ctx, name);
    },
    notes: () => ({
      chromium: stage.executable,
      browserVersion: stage.browser.version(),
      dataset: name,
      // Milliseconds after the drop event, median of the timed runs (the warm-up excluded).
      breakdown: medianBreakdown(runs.slice(ctx.options.protocol.warmup).map((r) => r.breakdown)),
      runs,
    }),
  };

  return {
    contender,
    close: async () => {
      await closeContext();
      await deleteDataset(ctx, name);
      fs.rmSync(dropped, { force: true });
    },
  };
}

/**
 * The engine's own drop (as the drop section times it: the file imported, then the original
 * analyses, which take the results the import computed), in the same rounds as the window's.
 */
function engineDrop(ctx: BenchContext): Contender {
  const name = `${ctx.datasetName}-ui-engine`;
  /** Per round, ms after the start: the first time each import phase was reported, the import's end, the run's end. */
  const timelines: Array<Record<string, number>> = [];
  return {
    id: 'ui.engine_drop_same_rounds',
    label: 'the engine alone, in the same rounds: import (committed) → every original result ready',
    rows: ctx.rows,
    bytes: ctx.bytes,
    before: async () => {
      await deleteDataset(ctx, name);
      await checkpoint(ctx);
    },
    run: async () => {
      const t0 = performance.now();
      const timeline: Record<string, number> = {};
      const at = (what: string) => (timeline[what] ??= Math.round(performance.now() - t0));
      const imported = await ctx.client.run(
        'dataset/import',
        { path: ctx.file, name },
        { signal: ctx.signal, onProgress: (p) => at(`dataset/import ${p.phase}`) },
      );
      at('dataset/import done');
      await ctx.client.run(
        'analysis/run',
        { dataset: name, version: imported.version, analyses: ORIGINAL_IDS, fresh: true },
        { signal: ctx.signal },
      );
      at('analysis/run done');
      timelines.push(timeline);
    },
    after: () => deleteDataset(ctx, name),
    notes: () => ({ timelines }),
  };
}

/**
 * Polls the page's record until it is done. Not `waitForFunction`: the page's CSP forbids the
 * eval it uses. The times are taken in the page, so the polling interval does not enter them.
 */
async function until(
  page: Page,
  timeout: number,
  signal: AbortSignal | undefined,
  onPoll: (trace: WireTrace) => void,
): Promise<PageRecord> {
  const deadline = Date.now() + timeout;
  for (;;) {
    // One evaluation per poll: each one is work for the page's main thread, which the drop needs.
    const { record, trace } = (await page.evaluate(`({ record: ${RECORD}, trace: ${TRACE} })`)) as { record: PageRecord; trace: WireTrace };
    onPoll(trace);
    if (record.done) return record;
    if (signal?.aborted) throw new Error('cancelled');
    if (Date.now() > deadline) {
      const missing = ORIGINAL_IDS.filter((id) => !(id in record.drawnAt));
      throw new Error(`not every original chart was drawn within ${timeout / 1000} s; still missing: ${missing.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The drop's timeline in milliseconds after the drop event: the upload as the page and the server
 * saw it, the first time the page saw each job step on its WebSocket, when the Analyses page
 * showed the dataset, and the first and last original chart drawn.
 */
function breakdown(
  record: PageRecord,
  trace: WireTrace,
  uploads: UploadEvent[],
  timeOrigin: number,
  drawn: number[],
): Record<string, number> {
  const out: Record<string, number> = {};
  const at = (ms: number) => Math.round(ms);
  for (const e of uploads) out[`server upload ${e.phase}`] ??= at(e.at - timeOrigin - record.dropAt);
  for (const [what, ms] of Object.entries(trace.marks)) out[what] = at(ms - record.dropAt);
  if (record.shownAt !== undefined) out['analyses page shows the dataset'] = at(record.shownAt);
  out['first original drawn'] = at(Math.min(...drawn));
  out['last original drawn'] = at(Math.max(...drawn));
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[1] - b[1]));
}

function medianBreakdown(list: Array<Record<string, number>>): Record<string, number> {
  const keys = new Set(list.flatMap((b) => Object.keys(b)));
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = Math.round(median(list.flatMap((b) => (k in b ? [b[k]!] : []))));
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[1] - b[1]));
}

/** Generous: minutes per million rows on a loaded machine, so only a stuck page times out. */
function dropTimeoutMs(rows: number): number {
  return 120_000 + Math.ceil(rows / 1_000_000) * 300_000;
}

/**
 * CPU milliseconds used so far by the browser's processes (the children of this process named
 * chrom…), by process type (`renderer`, `gpu-process`, `utility` for the network service,
 * `browser`), from /proc: how much of the machine's cores the window takes while the engine
 * works. Null where /proc is not there.
 */
function browserCpu(): Record<string, number> | null {
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    const procs = new Map<number, { parent: number; name: string; ms: number }>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      procs.set(Number(entry), { parent: Number(fields[1]), name, ms: (Number(fields[11]) + Number(fields[12])) * tick });
    }
    const ours = (pid: number): boolean => {
      for (let p = procs.get(pid)?.parent; p !== undefined && p > 1; p = procs.get(p)?.parent) if (p === process.pid) return true;
      return false;
    };
    const out: Record<string, number> = {};
    for (const [pid, p] of procs) {
      if (!p.name.startsWith('chrom') || !ours(pid)) continue;
      let type = 'browser';
      try {
        type = /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      } catch {
        // gone meanwhile
      }
      out[type] = (out[type] ?? 0) + p.ms;
    }
    return out;
  } catch {
    return null;
  }
}

/** CPU used between two samples of `browserCpu`, by process type. */
function cpuBetween(a: Record<string, number> | null, b: Record<string, number> | null): Record<string, number> | null {
  if (!a || !b) return null;
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Math.round(v - (a[k] ?? 0))]));
}

function linkOrCopy(from: string, to: string): void {
  fs.rmSync(to, { force: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}
