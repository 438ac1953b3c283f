/**
 * The benchmark harness on a tiny generated dataset against the run's real PostgreSQL: the result
 * document's shape, every ratio recomputed here from the recorded samples, and missing peers
 * reported as "not available". No timing is asserted: speed belongs to the benchmark itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedInput, type BenchInput } from '../../tools/bench/data';
import { computeRatios } from '../../tools/bench/ratios';
import { cpuBusy, renderReport } from '../../tools/bench/report';
import { runBenchmark, type RunBenchmarkOptions } from '../../tools/bench/run';
import { SECTION_NAMES, type AvailableMeasurement, type BenchReport, type Measurement, type RatioFormula } from '../../tools/bench/types';
import { writeReport } from '../../tools/bench/write';
import { findChromium } from '../e2e/support/chromium';
import { startTestEngine, tempHome, type TestEngine } from '../support/pg';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPETITIONS = 3;

// Independent of the harness's own helpers on purpose.
function middle(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function nearestRank(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil((p / 100) * s.length) - 1]!;
}

function recompute(formula: RatioFormula, byId: Map<string, Measurement>): number | null {
  const get = (id: string): AvailableMeasurement | null => {
    const m = byId.get(id);
    return m && m.available ? m : null;
  };
  switch (formula.kind) {
    case 'throughput': {
      const p = get(formula.product);
      const q = get(formula.peer);
      if (!p || !q) return null;
      return p.rows! / middle(p.samples) / (q.rows! / middle(q.samples));
    }
    case 'time': {
      const p = get(formula.product);
      const q = get(formula.peer);
      return p && q ? middle(p.samples) / middle(q.samples) : null;
    }
    case 'rate': {
      const m = get(formula.of);
      return m ? m.rows! / middle(m.samples) : null;
    }
    case 'median': {
      const m = get(formula.of);
      return m ? middle(m.samples) : null;
    }
    case 'median-ms': {
      const m = get(formula.of);
      return m ? middle(m.samples) * 1000 : null;
    }
    case 'p50':
    case 'p95': {
      const m = get(formula.of);
      return m ? nearestRank(m.samples, formula.kind === 'p50' ? 50 : 95) * 1000 : null;
    }
    case 'sum-time': {
      const all = [...formula.product, ...formula.peer].map(get);
      if (all.some((m) => !m)) return null;
      const sum = (ids: string[]) => ids.reduce((s, id) => s + middle(get(id)!.samples), 0);
      return sum(formula.product) / sum(formula.peer);
    }
  }
}

function baseOptions(input: BenchInput, overrides: Partial<RunBenchmarkOptions> = {}): RunBenchmarkOptions {
  return {
    sections: [...SECTION_NAMES],
    input,
    command: 'test',
    smoke: true,
    protocol: { warmup: 0, repetitions: REPETITIONS },
    browsePages: 4,
    pandasRowCap: 0,
    psql: 'psql',
    // A peer that is not on the machine: it must be reported, never silently dropped.
    pythonCandidates: ['/nonexistent/python3'],
    cliScript: path.join(repoRoot, 'bin/sparkpolar.js'),
    ...overrides,
  };
}

describe('benchmark harness', () => {
  let t: TestEngine;
  let input: BenchInput;
  let report: BenchReport;
  let reread: BenchReport;

  beforeAll(async () => {
    t = await startTestEngine();
    input = await generatedInput(path.join(tempHome('bench-data'), 'cache'), 400);
    report = await runBenchmark(t.client, t.engine, baseOptions(input));
    const file = writeReport(report, path.join(tempHome('bench-out'), 'nested', 'bench.json'));
    reread = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchReport;
  }, 600_000);
  afterAll(async () => t?.close());

  it('writes a JSON document with machine, versions, data and every section', () => {
    expect(reread).toEqual(report);
    expect(reread.format).toBe('sparkpolar-bench/1');
    expect(reread.machine.cores).toBeGreaterThan(0);
    expect(reread.machine.memoryMB).toBeGreaterThan(0);
    expect(typeof reread.machine.cpuModel).toBe('string');
    for (const key of ['node', 'polars', 'postgresql', 'duckdb', 'psql', 'pandas']) expect(reread.versions[key], key).toBeTruthy();
    expect(reread.versions.node).toBe(process.versions.node);
    expect(reread.data.rows).toBe(400);
    expect(reread.data.bytes).toBe(fs.statSync(input.file).size);
    expect(reread.sections.map((s) => s.name)).toEqual([...SECTION_NAMES]);
    expect(reread.protocol).toMatchObject({ warmup: 0, repetitions: REPETITIONS });
  });

  it('keeps every sample, with min and median that follow from them', () => {
    const measurements = reread.sections.flatMap((s) => s.measurements);
    expect(measurements.length).toBeGreaterThan(5);
    for (const m of measurements) {
      if (!m.available) {
        expect(m.reason, m.id).toMatch(/^(not available|failed): /);
        continue;
      }
      expect(m.samples.length, m.id).toBeGreaterThan(0);
      expect(m.min, m.id).toBe(Math.min(...m.samples));
      expect(m.median, m.id).toBeCloseTo(middle(m.samples), 12);
      // Browse samples are per page or per view, not per repetition.
      if (m.unit === 's' && !m.id.startsWith('browse.') && !m.id.endsWith('_load')) expect(m.samples.length, m.id).toBe(REPETITIONS);
    }
    // The peers that are always present here ran and were measured on the same file.
    const byId = new Map(measurements.map((m) => [m.id, m]));
    for (const id of [
      'import.psql_copy',
      'analyze.duckdb',
      'small.catalog_fresh',
      'small.catalog_cached',
      'small.duckdb',
      'small.toggle',
      'catalog.compute',
    ])
      expect(byId.get(id)?.available, id).toBe(true);
    expect((byId.get('import.psql_copy') as AvailableMeasurement).rows).toBe(400);
  });

  it('computes every ratio from the recorded samples, and judges it against its target', () => {
    const byId = new Map(reread.sections.flatMap((s) => s.measurements).map((m) => [m.id, m]));
    const names = reread.ratios.map((r) => r.name);
    for (const name of [
      'import_vs_psql_copy',
      'import_vs_pandas_to_sql',
      'load_vs_psql_copy_out',
      'snapshot_reload_seconds',
      'analyze_polars_vs_duckdb',
      'browse_p95_ms',
      'export_vs_psql_copy_to',
      'small_catalog_ms',
      'small_cached_ms',
      'small_toggle_ms',
      'catalog_compute_seconds',
      'catalog_engine_peak_rss_mb',
      'ui_drop_vs_engine_drop',
      'renderer_initial_js_kb',
    ]) {
      expect(names).toContain(name);
    }
    let computed = 0;
    for (const r of reread.ratios) {
      const expected = recompute(r.formula, byId);
      if (expected === null) {
        expect(r.value, r.name).toBeNull();
        expect(r.met, r.name).toBeNull();
        expect(r.reason, r.name).toBeTruthy();
        continue;
      }
      computed++;
      expect(r.value, r.name).not.toBeNull();
      expect(r.value!, r.name).toBeCloseTo(expected, 9);
      if (r.target === null) expect(r.met, r.name).toBeNull();
      else expect(r.met, r.name).toBe(r.comparison === '>=' ? expected >= r.target : expected <= r.target);
    }
    expect(computed).toBeGreaterThan(0);
  });

  it('times the browser drop against the engine’s own drop of the same run, and says why when either is missing', () => {
    const byId = new Map(reread.sections.flatMap((s) => s.measurements).map((m) => [m.id, m]));
    const ratio = reread.ratios.find((r) => r.name === 'ui_drop_vs_engine_drop')!;
    expect(ratio.formula).toEqual({ kind: 'time', product: 'ui.drop_to_charts', peer: 'drop.product' });
    expect(ratio).toMatchObject({ target: 1.2, comparison: '<=' });
    const ui = byId.get('ui.drop_to_charts')!;
    const drop = byId.get('drop.product')!;
    // Where CI runs it (Chromium installed, renderer built), the browser drop must really be measured.
    if (findChromium() && fs.existsSync(path.join(repoRoot, 'out', 'renderer', 'index.html')))
      expect(ui.available ? 'measured' : ui.reason).toBe('measured');
    if (ui.available && drop.available) {
      expect(ratio.value).toBeCloseTo(middle(ui.samples) / middle(drop.samples), 12);
      // Each sample is the page's own time from the drop event to the last original chart drawn.
      const runs = (ui.notes as { runs: Array<{ lastOriginalMs: number; firstOriginalMs: number }> }).runs;
      expect(runs.map((r) => r.lastOriginalMs / 1000)).toEqual(ui.samples);
      for (const r of runs) expect(r.firstOriginalMs).toBeLessThanOrEqual(r.lastOriginalMs);
    } else {
      expect(ratio.value).toBeNull();
      expect(ratio.reason).toMatch(/not available|failed/);
    }
    // A run without the drop section names what is missing instead of dropping the ratio.
    const withoutDrop = computeRatios(reread.sections.filter((s) => s.name !== 'drop').flatMap((s) => s.measurements));
    expect(withoutDrop.find((r) => r.name === 'ui_drop_vs_engine_drop')).toMatchObject({
      value: null,
      met: null,
      reason: expect.stringMatching(/^not available: drop\.product is not measured in this run \(.*--only drop,ui\)$/),
    });
  });

  it('measures the renderer’s initial JavaScript as the built entry script and its static imports, no lazy chunk', () => {
    const m = reread.sections.find((s) => s.name === 'ui')!.measurements.find((x) => x.id === 'ui.renderer_initial_js')!;
    const rendererDir = path.join(repoRoot, 'out', 'renderer');
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      expect(!m.available && m.reason).toMatch(/^not available: the renderer is not built/);
      return;
    }
    expect(m.available).toBe(true);
    if (!m.available) return;
    const files = (m.notes as { files: Array<{ file: string; bytes: number }> }).files.map((f) => f.file);
    const onDisk = files.reduce((sum, f) => sum + fs.statSync(path.join(rendererDir, f)).size, 0);
    expect(m.samples).toEqual([onDisk / 1000]);
    expect(reread.ratios.find((r) => r.name === 'renderer_initial_js_kb')!.value).toBe(onDisk / 1000);
    // Everything index.html loads itself is in; ECharts, which only a dynamic import() reaches, is not.
    const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const listed = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((x) => x[1]!);
    expect(listed.length).toBeGreaterThan(0);
    for (const f of listed) expect(files).toContain(f);
    const assets = fs.readdirSync(path.join(rendererDir, 'assets')).filter((f) => f.endsWith('.js'));
    const echarts = assets.filter((f) => fs.readFileSync(path.join(rendererDir, 'assets', f), 'utf8').includes('renderToSVGString'));
    expect(echarts.length).toBeGreaterThan(0);
    for (const f of echarts) expect(files).not.toContain(`assets/${f}`);
  });

  it('reports a missing peer as not available, in the measurements, the ratios and the table', () => {
    const pandas = reread.sections.find((s) => s.name === 'import')!.measurements.find((m) => m.id === 'import.pandas_to_sql')!;
    expect(pandas.available).toBe(false);
    expect(!pandas.available && pandas.reason).toMatch(/^not available: no Python with pandas/);
    const ratio = reread.ratios.find((r) => r.name === 'import_vs_pandas_to_sql')!;
    expect(ratio.value).toBeNull();
    expect(ratio.reason).toMatch(/not available/);
    expect(reread.versions.pandas).toMatch(/^not available/);
    const table = renderReport(reread);
    expect(table).toMatch(/import_vs_pandas_to_sql\s+n\/a\s+>= 10\.00×\s+import\.pandas_to_sql not available: no Python/);
    expect(table).toContain('import_vs_psql_copy');
  });

  it.runIf(process.platform === 'linux')('records how busy the CPUs were during every timed sample, and shows it in the table', () => {
    const product = reread.sections.find((s) => s.name === 'import')!.measurements.find((m) => m.id === 'import.product')!;
    expect(product.available).toBe(true);
    if (!product.available) return;
    expect(product.cpu?.seconds).toHaveLength(product.samples.length);
    expect(product.cpu?.busy).toHaveLength(product.samples.length);
    // An import keeps at least the engine busy; the machine cannot be busier than all its cores
    // (a little over 1 only from the clock ticks /proc/stat counts in).
    const busy = cpuBusy(product)!;
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(1.2);
    expect(renderReport(reread)).toMatch(/import\.product\s+\S+ s\s+\S+ s\s+\d+\s+\d+ %/);
  });

  it('reports psql as not available when it is missing, and still measures the product', async () => {
    const second = await runBenchmark(
      t.client,
      t.engine,
      baseOptions(input, { sections: ['import'], psql: '/nonexistent/psql', protocol: { warmup: 0, repetitions: 1 }, cliScript: null }),
    );
    const [section] = second.sections;
    const copy = section!.measurements.find((m) => m.id === 'import.psql_copy')!;
    expect(copy).toMatchObject({ available: false, reason: 'not available: /nonexistent/psql not found' });
    const memory = section!.measurements.find((m) => m.id === 'memory.importer_peak_rss')!;
    expect(memory.available).toBe(false);
    expect(second.ratios.find((r) => r.name === 'import_vs_psql_copy')).toMatchObject({ value: null, met: null });
    expect(second.versions.psql).toMatch(/^not available/);
  }, 120_000);
});
