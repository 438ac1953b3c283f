/** The Spark vs Polars view's data: timing rows, repeated-run statistics, exports, benchmark files, charts. */
import { describe, expect, it } from 'vitest';
import type { PolarsTimingRun, SparkRunRecord } from '../../shared/contract/spark';
import {
  benchChartOption,
  parseBenchmark,
  phaseChartOption,
  sampleStats,
  timingChartOption,
  timingRows,
  timingsCsv,
  timingsJson,
} from '../../renderer/src/pages/spark/model';

const labels = {
  spark: 'Spark',
  polars: 'Polars',
  failed: 'failed',
  ms: 'ms',
  queue: 'Queue',
  setup: 'Setup',
  execution: 'Execution',
  cleanup: 'Clean-up',
  load: 'Load',
  compute: 'Compute',
  sparkRun: 'Spark run',
  polarsRun: 'Polars run',
  target: 'Target',
  value: 'Measured',
};

function sparkRun(): SparkRunRecord {
  const base = { differences: [], rowsOut: 3, error: null, errorTrace: null };
  return {
    id: 's1',
    dataset: 'crashes',
    version: 2,
    status: 'succeeded',
    compute: 'serverless',
    format: 'parquet',
    repeat: 3,
    cleaning: { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true },
    host: 'https://x',
    databricksRunId: '1042',
    taskRunId: '1043',
    runPageUrl: 'https://x/#job/1/run/1042',
    lifeCycleState: 'TERMINATED',
    resultState: 'SUCCESS',
    stateMessage: '',
    phases: { queueMs: 1000, setupMs: 5000, executionMs: 9000, cleanupMs: 400, runMs: 15400 },
    loadMs: 800,
    startedAt: '2026-01-15T09:00:00.000Z',
    finishedAt: '2026-01-15T09:01:00.000Z',
    storage: { kind: 'volume', root: '/Volumes/a/b/c', datasetPath: '/Volumes/a/b/c/datasets/x.parquet', bytes: 10, uploadSkipped: true },
    cluster: { serverless: true },
    runtime: { spark: '3.5.0' },
    dataCached: false,
    rows: 100,
    bytes: 10,
    polarsRunId: 'p2',
    verdict: { compared: 2, matched: 1, mismatched: 1, notCompared: 1 },
    error: null,
    errorTrace: null,
    analyses: [
      { ...base, id: 'desc-state', status: 'ok', samplesMs: [300, 100, 120], sparkMs: 120, polarsMs: 10, match: true },
      {
        ...base,
        id: 'desc-fuel',
        status: 'ok',
        samplesMs: [50, 40, 60],
        sparkMs: 50,
        polarsMs: 5,
        match: false,
        differences: [{ where: 'row 1, count', spark: 8, polars: 1 }],
      },
      {
        ...base,
        id: 'corr-pearson',
        status: 'failed',
        samplesMs: [70],
        sparkMs: 70,
        polarsMs: null,
        match: null,
        error: 'AnalysisException: boom',
      },
    ],
  };
}

const polarsRun = (runId: string, desc: number, version = 2): PolarsTimingRun => ({
  runId,
  dataset: 'crashes',
  version,
  startedAt: '2026-01-15T08:00:00.000Z',
  loadMs: 200,
  totalMs: 400,
  rows: 100,
  cleaning: { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true },
  versions: { polars: '0.25.2' },
  analyses: [
    { id: 'desc-state', status: 'ok', computeMs: desc },
    { id: 'desc-fuel', status: 'ok', computeMs: 5 },
    { id: 'corr-pearson', status: 'ok', computeMs: 30 },
  ],
});

describe('Spark vs Polars view model', () => {
  it('summarises repeated samples: min, median, max, first and warm', () => {
    expect(sampleStats([300, 100, 120])).toEqual({ n: 3, min: 100, median: 120, max: 300, first: 300, warm: 110 });
    expect(sampleStats([])).toEqual({ n: 0, min: null, median: null, max: null, first: null, warm: null });
  });

  it('pairs each Spark analysis with the Polars history of the same dataset version', () => {
    const rows = timingRows(sparkRun(), [polarsRun('p1', 14), polarsRun('p2', 10), polarsRun('old', 999, 1)]);
    const state = rows.find((r) => r.id === 'desc-state')!;
    expect(state.ratio).toBe(12);
    expect(state.polars).toMatchObject({ n: 2, min: 10, max: 14 });
    expect(state.spark.first).toBe(300);
    const pearson = rows.find((r) => r.id === 'corr-pearson')!;
    expect(pearson.sparkStatus).toBe('failed');
    expect(pearson.polarsStatus).toBe('ok');
  });

  it('exports timings as CSV (one line per analysis) and JSON (the run without its tables)', () => {
    const rows = timingRows(sparkRun(), [polarsRun('p2', 10)]);
    const csv = timingsCsv(rows).trim().split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]!.split(',')).toContain('spark_first_ms');
    expect(csv[1]!.startsWith('desc-state,ok,120,300,110,100,300,3,ok,10,')).toBe(true);
    const json = JSON.parse(timingsJson(sparkRun(), rows));
    expect(json.run.runPageUrl).toBe('https://x/#job/1/run/1042');
    expect(json.run.analyses).toBeUndefined();
    expect(json.analyses).toHaveLength(3);
  });

  it('draws failed analyses as labelled bars, not gaps, and marks ✓/✗ in the labels', () => {
    const rows = timingRows(sparkRun(), [polarsRun('p2', 10)]);
    const option = timingChartOption(rows, { log: true, dark: false, labels }) as {
      yAxis: { data: string[] };
      xAxis: { type: string };
      series: Array<{ data: Array<{ value: number; label?: { formatter: string } }> }>;
    };
    expect(option.xAxis.type).toBe('log');
    expect(option.yAxis.data).toEqual(['✓ desc-state', '✗ desc-fuel', 'corr-pearson']);
    const sparkBar = option.series[1]!.data[2]!;
    expect(sparkBar.label?.formatter).toBe('failed');
    expect(sparkBar.value).toBeGreaterThan(0);
    const phases = phaseChartOption(sparkRun(), polarsRun('p2', 10), { dark: false, labels }) as {
      series: Array<{ name: string; data: number[] }>;
    };
    expect(phases.series.map((s) => [s.name, s.data])).toEqual([
      ['Queue', [1000, 0]],
      ['Setup', [5000, 0]],
      ['Execution', [9000, 0]],
      ['Clean-up', [400, 0]],
      ['Load', [0, 200]],
      ['Compute', [0, 45]],
    ]);
  });

  it('opens benchmark result files and says what is wrong with other files', () => {
    const bench = parseBenchmark(
      JSON.stringify({
        machine: { cpuModel: 'x', cores: 2 },
        versions: { polars: '0.25.2' },
        startedAt: '2026-01-15T09:00:00Z',
        sections: [{ measurements: [1, 2, 3] }],
        ratios: [
          { name: 'import vs psql', value: 1.4, target: 1.2, met: true, unit: 'x', comparison: '>=' },
          { name: 'analyses', value: null, target: 2, met: null },
        ],
      }),
    );
    expect(bench.samples).toBe(3);
    expect(bench.ratios[0]).toMatchObject({ name: 'import vs psql', value: 1.4, met: true });
    const option = benchChartOption(bench, { dark: true, labels }) as { yAxis: { data: string[] } };
    expect(option.yAxis.data).toEqual(['import vs psql']);
    expect(() => parseBenchmark('{"hello": 1}')).toThrow(/ratios/);
    expect(() => parseBenchmark('not json')).toThrow(/not JSON/);
  });
});
