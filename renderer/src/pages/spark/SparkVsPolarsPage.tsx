/**
 * Spark vs Polars: run the catalog's analyses on Databricks (or local Spark), follow the run phase
 * by phase, and compare per analysis how long each engine took, where Spark's time went, and
 * whether both gave the same results. Useful before Databricks is connected too: the Polars
 * history, benchmark result files, and how to connect.
 */
import { useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ANALYSES } from '../../../../shared/analyses';
import type { SparkConnectionTest, SparkRunRecord } from '../../../../shared/contract/spark';
import { chartSummary } from '../../../../shared/charts';
import { isEmulatorHost } from '../../../../shared/contract/sweep';
import { translate } from '../../../../shared/i18n';
import { EChart } from '../../charts/EChart';
import { chartPngBlob } from '../../charts/exportChart';
import { DatasetPicker } from '../../components/DatasetPicker';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatDateTime, formatMs, formatNumber } from '../../format';
import { saveBlob } from '../../host/files';
import { useCall, useClient, useJob } from '../../hooks/studio';
import { useApp } from '../../state/app';
import './spark.css';
import { SweepPanel } from './sweep/SweepPanel';
import {
  benchChartOption,
  parseBenchmark,
  phaseChartOption,
  timingChartOption,
  timingRows,
  timingsCsv,
  timingsJson,
  type BenchFile,
  type ChartLabels,
} from './model';

type ComputeChoice = 'serverless' | 'cluster' | 'local';
const LIFE_CYCLE = ['QUEUED', 'PENDING', 'RUNNING', 'TERMINATING', 'TERMINATED'] as const;

export default function SparkVsPolarsPage() {
  const { t, i18n } = useTranslation(undefined, { keyPrefix: 'spark' });
  const app = useApp();
  const client = useClient();
  const dataset = app.dataset;
  const lang = i18n.language?.startsWith('fr') ? 'fr' : 'en';
  const config = useCall('spark/config', {});
  const job = useJob('spark/run');
  const comparison = useCall('spark/compare', dataset ? { dataset, limit: 20 } : {}, [job.result, job.error]);
  const [selected, setSelected] = useState<string | null>(null);
  const [computeChoice, setCompute] = useState<ComputeChoice | null>(null);
  const [clusterInput, setClusterId] = useState<string | null>(null);
  const [repeat, setRepeat] = useState(1);
  const [format, setFormat] = useState<'parquet' | 'csv'>('parquet');
  const [log, setLog] = useState(false);
  const [test, setTest] = useState<SparkConnectionTest | null>(null);
  const [testing, setTesting] = useState(false);
  const [bench, setBench] = useState<BenchFile | null>(null);
  const [benchError, setBenchError] = useState<string | null>(null);
  // The configured cluster is the default compute until the user picks another.
  const defaultCompute = config.data?.defaultCompute ?? 'serverless';
  const compute: ComputeChoice = computeChoice ?? (defaultCompute.startsWith('cluster:') ? 'cluster' : 'serverless');
  const clusterId = clusterInput ?? (defaultCompute.startsWith('cluster:') ? defaultCompute.slice('cluster:'.length) : '');
  // The engine repeats the last life-cycle facts (state, phase durations, run page) in every event.
  const phases: Record<string, unknown> = job.progress?.details ?? {};

  const titles = useMemo(() => Object.fromEntries(ANALYSES.map((a) => [a.id, translate(lang, a.title)])), [lang]);
  const labels: ChartLabels = useMemo(
    () => ({
      spark: t('spark'),
      polars: t('polars'),
      failed: t('failed'),
      ms: t('ms'),
      queue: t('queue'),
      setup: t('setup'),
      execution: t('execution'),
      cleanup: t('cleanup'),
      load: t('load'),
      compute: t('computeTime'),
      sparkRun: t('sparkRun'),
      polarsRun: t('polarsRun'),
      target: t('benchTarget'),
      value: t('benchValue'),
    }),
    [t],
  );

  const runs = useMemo(() => comparison.data?.spark ?? [], [comparison.data]);
  const polarsRuns = useMemo(() => comparison.data?.polars ?? [], [comparison.data]);
  const run: SparkRunRecord | null = runs.find((r) => r.id === selected) ?? runs[0] ?? null;
  const rows = useMemo(() => (run ? timingRows(run, polarsRuns) : []), [run, polarsRuns]);
  const comparedPolars = run?.polarsRunId ? (polarsRuns.find((p) => p.runId === run.polarsRunId) ?? null) : null;
  const timingOption = useMemo(
    () => timingChartOption(rows, { log, dark: app.theme.dark, labels, titles }),
    [rows, log, app.theme.dark, labels, titles],
  );

  const configured = config.data?.configured ?? false;
  const localAvailable = config.data?.local.available ?? false;
  const canRun =
    Boolean(dataset) &&
    !job.running &&
    (compute === 'local' ? localAvailable : configured) &&
    (compute !== 'cluster' || clusterId.trim() !== '');

  const onRun = async () => {
    if (!dataset) return;
    const chosen = compute === 'cluster' ? `cluster:${clusterId.trim()}` : compute;
    const result = await job.start({ dataset, compute: chosen, repeat, format });
    if (result) setSelected(result.id);
  };

  const onTest = async () => {
    setTesting(true);
    try {
      setTest(await client.call('spark/test', {}));
    } finally {
      setTesting(false);
    }
  };

  const onBenchFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      setBench(parseBenchmark(await file.text()));
      setBenchError(null);
    } catch (err) {
      setBench(null);
      setBenchError(err instanceof Error ? err.message : String(err));
    }
  };

  const stem = run ? `spark-${run.dataset}-v${run.version}-${run.databricksRunId ?? run.id.slice(0, 8)}` : 'spark';
  const background = app.theme.dark ? '#202124' : '#ffffff';
  const errorDetails = (job.error as { details?: Record<string, unknown> } | null)?.details;
  const failedTrace =
    typeof errorDetails?.errorTrace === 'string' ? errorDetails.errorTrace : run?.status === 'failed' ? run.errorTrace : null;
  const failedPage = typeof errorDetails?.runPageUrl === 'string' ? errorDetails.runPageUrl : null;

  return (
    <div className="page spark-page">
      <header className="page-header">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('subtitle')}</p>
        </div>
        <div className="page-actions">
          <DatasetPicker />
        </div>
      </header>

      <ConnectionCard configured={configured} onTest={onTest} testing={testing} test={test} />

      <section className="card spark-run" aria-label={t('run')}>
        <div className="field-row">
          <label className="field">
            <span>{t('compute')}</span>
            <select value={compute} onChange={(e) => setCompute(e.target.value as ComputeChoice)} data-testid="spark-compute">
              <option value="serverless">{t('serverless')}</option>
              <option value="cluster">{t('cluster')}</option>
              {localAvailable ? <option value="local">{t('local')}</option> : null}
            </select>
          </label>
          {compute === 'cluster' ? (
            <label className="field">
              <span>{t('clusterId')}</span>
              <input value={clusterId} onChange={(e) => setClusterId(e.target.value)} placeholder="0123-456789-abcdefgh" />
            </label>
          ) : null}
          <label className="field">
            <span>{t('repeat')}</span>
            <input
              type="number"
              min={1}
              max={50}
              value={repeat}
              onChange={(e) => setRepeat(Math.max(1, Math.min(50, Number(e.target.value) || 1)))}
            />
          </label>
          <label className="field">
            <span>{t('format')}</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as 'parquet' | 'csv')}>
              <option value="parquet">Parquet</option>
              <option value="csv">CSV</option>
            </select>
          </label>
          <button type="button" className="primary" onClick={onRun} disabled={!canRun} data-testid="spark-run">
            {t('run')}
          </button>
        </div>
        {!dataset ? <p className="muted">{t('pickDataset')}</p> : null}
        {job.running ? (
          <>
            <ProgressBar progress={job.progress} label={t('running')} onCancel={job.cancel} />
            <LifeCycle phases={phases} current={job.progress?.phase ?? null} />
            {typeof phases.runPageUrl === 'string' ? (
              <a href={phases.runPageUrl} target="_blank" rel="noreferrer">
                {t('openRunPage')}
              </a>
            ) : null}
          </>
        ) : null}
        <ErrorBox error={job.error} />
        {failedTrace && (job.error || run?.status === 'failed') ? (
          <details className="spark-trace" open>
            <summary>{t('errorTrace')}</summary>
            <pre>{failedTrace}</pre>
            {failedPage ? (
              <a href={failedPage} target="_blank" rel="noreferrer">
                {t('openRunPage')}
              </a>
            ) : null}
          </details>
        ) : null}
      </section>

      <ErrorBox error={comparison.error} onRetry={comparison.reload} />

      {runs.length ? (
        <section className="card" aria-label={t('runs')}>
          <div className="card-header">
            <h2>{t('runs')}</h2>
            <select
              value={run?.id ?? ''}
              onChange={(e) => setSelected(e.target.value)}
              aria-label={t('runs')}
              data-testid="spark-run-select"
            >
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {t('runLabel', { date: formatDateTime(r.startedAt), compute: r.compute, status: t(`status.${r.status}`) })}
                </option>
              ))}
            </select>
          </div>
          {run && run.compute !== 'local' && isEmulatorHost(run.host) ? (
            <p className="badge" data-testid="spark-emulated">
              {t('sweep.emulatedRun', { host: run.host })}
            </p>
          ) : null}
          {run?.verdict ? (
            <p className={run.verdict.mismatched ? 'spark-verdict bad' : 'spark-verdict good'} data-testid="spark-verdict">
              {run.verdict.mismatched
                ? t('verdictMismatch', { count: run.verdict.mismatched })
                : t('verdict', { matched: run.verdict.matched, compared: run.verdict.compared })}
            </p>
          ) : null}
          {run && run.status === 'failed' && !job.error ? <ErrorBox error={run.error} compact /> : null}
        </section>
      ) : comparison.data && dataset ? (
        <p className="muted">{t('noRuns')}</p>
      ) : null}

      {run && rows.length ? (
        <>
          <section className="card" aria-label={t('timings')}>
            <div className="card-header">
              <h2>{t('timings')}</h2>
              <div className="page-actions">
                <label className="field inline">
                  <span>{t('scale')}</span>
                  <select value={log ? 'log' : 'linear'} onChange={(e) => setLog(e.target.value === 'log')} data-testid="spark-scale">
                    <option value="linear">{t('linear')}</option>
                    <option value="log">{t('log')}</option>
                  </select>
                </label>
                <button type="button" onClick={() => saveBlob(new Blob([timingsCsv(rows)], { type: 'text/csv' }), `${stem}.csv`)}>
                  {t('exportCsv')}
                </button>
                <button
                  type="button"
                  onClick={() => saveBlob(new Blob([timingsJson(run, rows)], { type: 'application/json' }), `${stem}.json`)}
                >
                  {t('exportJson')}
                </button>
                <button type="button" onClick={() => saveBlob(chartPngBlob(timingOption as never, background), `${stem}.png`)}>
                  {t('exportPng')}
                </button>
              </div>
            </div>
            <p className="muted" data-testid="spark-data-cached">
              {t('dataCachedLabel')} {run.dataCached === null ? '–' : run.dataCached ? t('dataCachedYes') : t('dataCachedNo')}
            </p>
            <EChart
              option={timingOption as never}
              label={t('timings')}
              summary={chartSummary(timingOption as never, t('timings'), lang)}
              height={Math.max(240, rows.length * 34 + 60)}
            />
          </section>

          <section className="card" aria-label={t('phases')}>
            <h2>{t('phases')}</h2>
            <EChart
              option={phaseChartOption(run, comparedPolars, { dark: app.theme.dark, labels }) as never}
              label={t('phases')}
              height={180}
            />
          </section>

          <section className="card" aria-label={t('analysis')}>
            <table className="data-table compact" data-testid="spark-analyses">
              <thead>
                <tr>
                  <th>{t('analysis')}</th>
                  <th className="num">{t('polars')}</th>
                  <th className="num">{t('spark')}</th>
                  <th className="num">{t('ratio')}</th>
                  <th>{t('match')}</th>
                  <th className="num">{t('first')}</th>
                  <th className="num">{t('warm')}</th>
                  <th className="num">{t('min')}</th>
                  <th className="num">{t('median')}</th>
                  <th className="num">{t('max')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const record = run.analyses.find((a) => a.id === r.id);
                  return (
                    <tr key={r.id} data-analysis={r.id}>
                      <td title={r.id}>
                        {titles[r.id] ?? r.id}
                        {r.error ? <div className="muted">{r.error}</div> : null}
                        {record?.differences.length ? (
                          <details>
                            <summary>{t('differences')}</summary>
                            <ul>
                              {record.differences.map((d, i) => (
                                <li key={i}>
                                  {d.where}: Spark {JSON.stringify(d.spark)} · Polars {JSON.stringify(d.polars)}
                                </li>
                              ))}
                            </ul>
                          </details>
                        ) : null}
                      </td>
                      <td className="num">
                        {r.polarsStatus === 'ok' ? formatMs(r.polarsMs) : r.polarsStatus === 'failed' ? t('failed') : '–'}
                      </td>
                      <td className="num">
                        {r.sparkStatus === 'ok' ? formatMs(r.sparkMs) : r.sparkStatus === 'failed' ? t('failed') : '–'}
                      </td>
                      <td className="num">{r.ratio === null ? '–' : `${formatNumber(r.ratio, r.ratio < 10 ? 2 : 0)}×`}</td>
                      <td className={r.match === false ? 'spark-mismatch' : undefined}>
                        {r.match === null ? t('notCompared') : r.match ? t('matched') : t('mismatched')}
                      </td>
                      <td className="num">{formatMs(r.spark.first)}</td>
                      <td className="num">{formatMs(r.spark.warm)}</td>
                      <td className="num">{formatMs(r.spark.min)}</td>
                      <td className="num">{formatMs(r.spark.median)}</td>
                      <td className="num">{formatMs(r.spark.max)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="muted">{t('repeatedHint')}</p>
          </section>

          <RunDetails
            run={run}
            machine={comparison.data?.machine ?? null}
            polarsVersions={comparedPolars?.versions ?? polarsRuns[0]?.versions ?? {}}
          />
        </>
      ) : null}

      <SweepPanel dataset={dataset} sparkAvailable={configured || localAvailable} />

      <section className="card" aria-label={t('polarsHistory')}>
        <h2>{t('polarsHistory')}</h2>
        <p className="muted">{t('polarsHistoryHint')}</p>
        {polarsRuns.length ? (
          <table className="data-table compact" data-testid="polars-history">
            <thead>
              <tr>
                <th>{t('date')}</th>
                <th>{t('rows')}</th>
                <th className="num">{t('load')}</th>
                <th className="num">{t('computeTime')}</th>
                <th className="num">{t('analysis')}</th>
              </tr>
            </thead>
            <tbody>
              {polarsRuns.map((p) => (
                <tr key={p.runId}>
                  <td>
                    {formatDateTime(p.startedAt)} · {p.dataset} v{p.version}
                  </td>
                  <td>{formatNumber(p.rows)}</td>
                  <td className="num">{formatMs(p.loadMs)}</td>
                  <td className="num">{formatMs(p.analyses.reduce((s, a) => s + a.computeMs, 0))}</td>
                  <td className="num">{p.analyses.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{t('noPolars')}</p>
        )}
      </section>

      <BenchmarkCard bench={bench} error={benchError} onFile={onBenchFile} labels={labels} dark={app.theme.dark} />
    </div>
  );
}

function ConnectionCard({
  configured,
  onTest,
  testing,
  test,
}: {
  configured: boolean;
  onTest: () => void;
  testing: boolean;
  test: SparkConnectionTest | null;
}) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  const app = useApp();
  const config = useCall('spark/config', {});
  const info = config.data;
  if (!info) return null;
  const local = info.local.available
    ? t('localAvailable', { path: info.local.sparkSubmit })
    : t('localMissing', { reason: info.local.reason });
  if (!configured) {
    return (
      <EmptyState
        title={t('notConfigured')}
        actions={
          <button type="button" onClick={() => app.navigate('settings')}>
            {t('openSettings')}
          </button>
        }
      >
        <p>{t('howToConnect')}</p>
        <ul className="spark-connect">
          <li>{t('howSettings')}</li>
          <li>{t('howEnv')}</li>
          <li>{t('howProfile')}</li>
        </ul>
        {info.profiles.length ? (
          <p className="muted">{t('profilesFound', { file: info.configFile, profiles: info.profiles.join(', ') })}</p>
        ) : null}
        {info.problem ? <p className="muted">{t('problem', { problem: info.problem })}</p> : null}
        <p className="muted">{local}</p>
      </EmptyState>
    );
  }
  return (
    <section className="card" aria-label={t('connection')}>
      <div className="card-header">
        <h2>{t('connection')}</h2>
        <button type="button" onClick={onTest} disabled={testing}>
          {testing ? t('testing') : t('test')}
        </button>
      </div>
      <p data-testid="spark-connection">{t('connected', { host: info.host, auth: info.auth, source: info.source })}</p>
      {test?.ok ? (
        <p className="spark-verdict good">{t('testOk', { ms: test.ms, root: test.storage?.root, kind: test.storage?.kind })}</p>
      ) : null}
      {test && !test.ok ? <ErrorBox error={test.error} compact /> : null}
      <p className="muted">{local}</p>
    </section>
  );
}

/** The life-cycle states as steps, with each phase's duration once Databricks reports it. */
function LifeCycle({ phases, current }: { phases: Record<string, unknown>; current: string | null }) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  const state = typeof phases.lifeCycleState === 'string' ? phases.lifeCycleState : current;
  const reached = Math.max(LIFE_CYCLE.indexOf((state ?? '') as (typeof LIFE_CYCLE)[number]), -1);
  const duration: Record<string, unknown> = {
    QUEUED: phases.queueMs,
    PENDING: phases.setupMs,
    RUNNING: phases.executionMs,
    TERMINATING: phases.cleanupMs,
  };
  return (
    <ol className="spark-lifecycle" data-testid="spark-lifecycle">
      {LIFE_CYCLE.map((s, i) => (
        <li key={s} className={i < reached ? 'done' : i === reached ? 'current' : undefined}>
          {t(`phase.${s}`)}
          {typeof duration[s] === 'number' && (duration[s] as number) > 0 ? (
            <span className="muted"> {formatMs(duration[s] as number)}</span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function RunDetails({
  run,
  machine,
  polarsVersions,
}: {
  run: SparkRunRecord;
  machine: { os: string; arch: string; cpus: number; memoryBytes: number; node: string; polars: string } | null;
  polarsVersions: Record<string, string>;
}) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  const kv = (o: Record<string, unknown>) =>
    Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(' · ');
  return (
    <section className="card" aria-label={t('details')}>
      <h2>{t('details')}</h2>
      <table className="data-table compact spark-details">
        <tbody>
          <tr>
            <th />
            <th>{t('spark')}</th>
            <th>{t('polars')}</th>
          </tr>
          <tr>
            <th>{t('versions')}</th>
            <td>{kv(run.runtime) || '–'}</td>
            <td>{kv(polarsVersions) || (machine ? `Polars ${machine.polars} · Node.js ${machine.node}` : '–')}</td>
          </tr>
          <tr>
            <th>{t('machine')}</th>
            <td>
              {run.compute} {kv(run.cluster)}
            </td>
            <td>{machine ? `${machine.os} ${machine.arch} · ${machine.cpus} CPU · ${formatBytes(machine.memoryBytes)}` : '–'}</td>
          </tr>
          <tr>
            <th>{t('rows')}</th>
            <td>{formatNumber(run.rows)}</td>
            <td>{formatNumber(run.rows)}</td>
          </tr>
          <tr>
            <th>{t('bytes')}</th>
            <td>
              {formatBytes(run.bytes)} ({run.format}){' '}
              {run.storage ? (
                <span className="muted">
                  {run.storage.uploadSkipped ? t('uploadSkipped') : t('uploaded', { path: run.storage.datasetPath })}
                </span>
              ) : null}
            </td>
            <td />
          </tr>
          <tr>
            <th>{t('date')}</th>
            <td>
              {formatDateTime(run.startedAt)}
              {run.runPageUrl ? (
                <>
                  {' · '}
                  <a href={run.runPageUrl} target="_blank" rel="noreferrer">
                    {t('openRunPage')}
                  </a>
                </>
              ) : null}
            </td>
            <td />
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function BenchmarkCard({
  bench,
  error,
  onFile,
  labels,
  dark,
}: {
  bench: BenchFile | null;
  error: string | null;
  onFile: (e: ChangeEvent<HTMLInputElement>) => void;
  labels: ChartLabels;
  dark: boolean;
}) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="card" aria-label={t('bench')}>
      <div className="card-header">
        <h2>{t('bench')}</h2>
        <button type="button" onClick={() => input.current?.click()}>
          {t('benchOpen')}
        </button>
        <input ref={input} type="file" accept=".json,application/json" hidden onChange={onFile} data-testid="bench-file" />
      </div>
      <p className="muted">{t('benchHint')}</p>
      {error ? <p role="alert">{t('benchInvalid', { reason: error })}</p> : null}
      {bench ? (
        <>
          <p className="muted">
            {t('benchMachine')}:{' '}
            {Object.values(bench.machine)
              .filter((v) => typeof v === 'string' || typeof v === 'number')
              .slice(0, 5)
              .join(' · ')}
            {bench.startedAt ? ` · ${formatDateTime(bench.startedAt)}` : ''}
          </p>
          <EChart
            option={benchChartOption(bench, { dark, labels }) as never}
            label={t('bench')}
            height={Math.max(200, bench.ratios.length * 30 + 60)}
          />
          <table className="data-table compact" data-testid="bench-ratios">
            <thead>
              <tr>
                <th>{t('analysis')}</th>
                <th className="num">{t('benchValue')}</th>
                <th className="num">{t('benchTarget')}</th>
                <th>{t('benchMet')}</th>
              </tr>
            </thead>
            <tbody>
              {bench.ratios.map((r) => (
                <tr key={r.name}>
                  <td title={r.description}>{r.name}</td>
                  <td className="num">{r.value === null ? '–' : formatNumber(r.value, 2)}</td>
                  <td className="num">{r.target === null ? '–' : `${r.comparison ?? ''} ${formatNumber(r.target, 2)}`}</td>
                  <td>{r.met === null ? '–' : r.met ? t('yes') : t('no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
