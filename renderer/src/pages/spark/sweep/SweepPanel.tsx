/**
 * The size sweep on the Spark-vs-Polars page: run `sweep/run` on the picked dataset, then read the
 * answer (fits, crossover, memory limit), the two charts and the points; export the charts and the
 * points. While a sweep runs, its charts grow point by point from the job's progress.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sweepMemoryOption, sweepPointsCsv, sweepTimeOption } from '../../../../../shared/charts/sweep';
import type { SweepPoint, SweepRecord, TimeFit } from '../../../../../shared/contract/sweep';
import { EChart } from '../../../charts/EChart';
import { chartPngBlob, chartSvgBlob } from '../../../charts/exportChart';
import { ErrorBox } from '../../../components/ErrorBox';
import { ProgressBar } from '../../../components/ProgressBar';
import { formatBytes, formatDateTime, formatMs, formatNumber } from '../../../format';
import { saveBlob } from '../../../host/files';
import { useCall, useJob } from '../../../hooks/studio';
import { useApp } from '../../../state/app';

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function SweepPanel({ dataset, sparkAvailable }: { dataset: string | null; sparkAvailable: boolean }) {
  const { t, i18n } = useTranslation(undefined, { keyPrefix: 'spark' });
  const lang = i18n.language?.startsWith('fr') ? 'fr' : 'en';
  const app = useApp();
  const job = useJob('sweep/run');
  const list = useCall('sweep/list', dataset ? { dataset, limit: 20 } : null, [job.result, job.error]);
  const [selected, setSelected] = useState<string | null>(null);
  const id = list.data?.some((s) => s.id === selected) ? selected : (list.data?.[0]?.id ?? null);
  const stored = useCall('sweep/get', id ? { sweepId: id } : null, [job.result, job.error]);
  const [sizes, setSizes] = useState('10%,30%,100%');
  const [grow, setGrow] = useState('');
  const [repeat, setRepeat] = useState(3);
  const [withSpark, setWithSpark] = useState(true);

  // While running, the job's progress carries the points measured so far.
  const livePoints = job.running ? (job.progress?.details?.points as SweepPoint[] | undefined) : undefined;
  const sweep: SweepRecord | null = job.running ? null : (stored.data ?? null);
  const points = livePoints ?? sweep?.points ?? [];
  const dark = app.theme.dark;
  const timeOption = useMemo(() => (sweep?.points.length ? sweepTimeOption(sweep, { dark, lang }) : null), [sweep, dark, lang]);
  const memoryOption = useMemo(
    () => (sweep?.points.some((p) => p.peakRssBytes !== undefined) ? sweepMemoryOption(sweep, { dark, lang }) : null),
    [sweep, dark, lang],
  );

  const onRun = async () => {
    if (!dataset) return;
    const result = await job.start({
      dataset,
      sizes: [...splitList(sizes), ...splitList(grow)],
      repeat,
      engines: withSpark && sparkAvailable ? ['polars', 'spark'] : ['polars'],
    });
    if (result) setSelected(result.id);
  };

  const background = app.theme.dark ? '#202124' : '#ffffff';
  const stem = sweep ? `sweep-${sweep.dataset}-v${sweep.version}-${sweep.startedAt.slice(0, 10)}` : 'sweep';
  const exportStyle = { dark, lang, withTitle: true } as const;

  return (
    <section className="card sweep" aria-label={t('sweep.title')} data-testid="sweep">
      <div className="card-header">
        <h2>{t('sweep.title')}</h2>
        {list.data?.length ? (
          <select
            value={id ?? ''}
            onChange={(e) => setSelected(e.target.value)}
            aria-label={t('sweep.previous')}
            data-testid="sweep-select"
          >
            {list.data.map((s) => (
              <option key={s.id} value={s.id}>
                {t('sweep.label', { date: formatDateTime(s.startedAt), sizes: s.sizes.join(' '), status: t(`sweep.status.${s.status}`) })}
              </option>
            ))}
          </select>
        ) : null}
      </div>
      <p className="muted">{t('sweep.hint')}</p>
      <div className="field-row">
        <label className="field">
          <span>{t('sweep.sizes')}</span>
          <input value={sizes} onChange={(e) => setSizes(e.target.value)} data-testid="sweep-sizes" />
        </label>
        <label className="field">
          <span>{t('sweep.grow')}</span>
          <input value={grow} onChange={(e) => setGrow(e.target.value)} placeholder={t('sweep.growHint')} data-testid="sweep-grow" />
        </label>
        <label className="field">
          <span>{t('sweep.repeat')}</span>
          <input
            type="number"
            min={1}
            max={20}
            value={repeat}
            onChange={(e) => setRepeat(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
          />
        </label>
        <label className="field inline">
          <input
            type="checkbox"
            checked={withSpark && sparkAvailable}
            disabled={!sparkAvailable}
            onChange={(e) => setWithSpark(e.target.checked)}
          />
          <span>{t('sweep.withSpark')}</span>
        </label>
        <button type="button" className="primary" onClick={onRun} disabled={!dataset || job.running} data-testid="sweep-run">
          {t('sweep.run')}
        </button>
      </div>
      {job.running ? <ProgressBar progress={job.progress} label={t('sweep.running')} onCancel={job.cancel} /> : null}
      <ErrorBox error={job.error} />
      <ErrorBox error={stored.error} compact />
      {dataset && list.data && !list.data.length && !job.running ? <p className="muted">{t('sweep.none')}</p> : null}

      {sweep ? <Answer sweep={sweep} /> : null}

      {timeOption && sweep ? (
        <>
          <div className="card-header">
            <h3>{t('sweep.time')}</h3>
            <div className="page-actions">
              <button
                type="button"
                onClick={() => saveBlob(chartPngBlob(sweepTimeOption(sweep, exportStyle), background), `${stem}-time.png`)}
              >
                {t('sweep.exportTimePng')}
              </button>
              <button type="button" onClick={() => saveBlob(chartSvgBlob(sweepTimeOption(sweep, exportStyle)), `${stem}-time.svg`)}>
                {t('sweep.exportTimeSvg')}
              </button>
              <button type="button" onClick={() => saveBlob(new Blob([sweepPointsCsv(sweep)], { type: 'text/csv' }), `${stem}-points.csv`)}>
                {t('sweep.exportCsv')}
              </button>
            </div>
          </div>
          <div data-testid="sweep-time-chart">
            <EChart option={timeOption} label={t('sweep.time')} height={340} />
          </div>
        </>
      ) : null}

      {memoryOption && sweep ? (
        <>
          <div className="card-header">
            <h3>{t('sweep.memory')}</h3>
            <div className="page-actions">
              <button
                type="button"
                onClick={() => saveBlob(chartPngBlob(sweepMemoryOption(sweep, exportStyle), background), `${stem}-memory.png`)}
              >
                {t('sweep.exportMemoryPng')}
              </button>
              <button type="button" onClick={() => saveBlob(chartSvgBlob(sweepMemoryOption(sweep, exportStyle)), `${stem}-memory.svg`)}>
                {t('sweep.exportMemorySvg')}
              </button>
            </div>
          </div>
          <div data-testid="sweep-memory-chart">
            <EChart option={memoryOption} label={t('sweep.memory')} height={300} />
          </div>
        </>
      ) : null}

      {points.length ? <PointsTable points={points} /> : null}
    </section>
  );
}

function Answer({ sweep }: { sweep: SweepRecord }) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  const fitText = (engine: 'Polars' | 'Spark', fit: TimeFit) =>
    fit.stderrLog10 === null
      ? t('sweep.fitLineNoError', { engine, slope: formatNumber(fit.slope, 2), perMillion: formatMs(fit.msPerMillionRows) })
      : t('sweep.fitLine', {
          engine,
          slope: formatNumber(fit.slope, 2),
          perMillion: formatMs(fit.msPerMillionRows),
          error: formatNumber((10 ** fit.stderrLog10 - 1) * 100),
          r2: fit.r2 === null ? '–' : formatNumber(fit.r2, 2),
        });
  return (
    <div className="sweep-answer" data-testid="sweep-answer">
      <ul>
        <li>{sweep.fit.polars ? fitText('Polars', sweep.fit.polars) : t('sweep.noFit')}</li>
        {sweep.fit.spark ? <li>{fitText('Spark', sweep.fit.spark)}</li> : null}
        <li>
          {sweep.crossoverRows === null ? t('sweep.noCrossover') : t('sweep.crossover', { rows: formatNumber(sweep.crossoverRows) })}{' '}
          <span className="muted">{sweep.crossoverNote}</span>
        </li>
        {sweep.memory ? (
          <li>
            {t('sweep.memoryLine', { perRow: formatBytes(sweep.memory.bytesPerRow), base: formatBytes(sweep.memory.baseBytes) })}{' '}
            {sweep.polarsMemoryLimitRows !== null ? (
              <strong data-testid="sweep-limit">
                {t('sweep.memoryLimit', {
                  share: Math.round(sweep.memoryShare * 100),
                  memory: formatBytes(sweep.machine.memoryBytes),
                  rows: formatNumber(sweep.polarsMemoryLimitRows),
                })}
              </strong>
            ) : null}
          </li>
        ) : (
          <li>{t('sweep.noMemory')}</li>
        )}
      </ul>
      <p className="muted">
        {t('sweep.machine', { cores: sweep.machine.cores, memory: formatBytes(sweep.machine.memoryBytes) })}{' '}
        {sweep.points.some((p) => p.emulated) ? t('sweep.emulatedNote') : null}
      </p>
      {sweep.sparkNote ? (
        <p className="sweep-note" role="note" data-testid="sweep-spark-note">
          {t('sweep.noSpark')} {sweep.sparkNote}
        </p>
      ) : null}
    </div>
  );
}

function PointsTable({ points }: { points: SweepPoint[] }) {
  const { t } = useTranslation(undefined, { keyPrefix: 'spark' });
  return (
    <table className="data-table compact" data-testid="sweep-points">
      <caption className="visually-hidden">{t('sweep.points')}</caption>
      <thead>
        <tr>
          <th>{t('sweep.engine')}</th>
          <th>{t('sweep.size')}</th>
          <th className="num">{t('sweep.rows')}</th>
          <th className="num">{t('sweep.load')}</th>
          <th className="num">{t('sweep.compute')}</th>
          <th className="num">{t('sweep.total')}</th>
          <th className="num">{t('sweep.spread')}</th>
          <th className="num">{t('sweep.peak')}</th>
          <th className="num">{t('sweep.phases')}</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={`${p.engine}-${p.size}`} data-engine={p.engine}>
            <td>
              {p.engine === 'polars' ? 'Polars' : 'Spark'}
              {p.emulated ? <span className="badge"> {t('sweep.emulated')}</span> : null}
            </td>
            <td>{p.size}</td>
            <td className="num">{formatNumber(p.rows)}</td>
            <td className="num">{formatMs(p.loadMs)}</td>
            <td className="num">{formatMs(p.computeMs)}</td>
            <td className="num">{formatMs(p.totalMs)}</td>
            <td className="num">
              {formatMs(Math.min(...p.samplesMs))} – {formatMs(Math.max(...p.samplesMs))}
            </td>
            <td className="num">{p.peakRssBytes === undefined ? '–' : formatBytes(p.peakRssBytes)}</td>
            <td className="num">
              {p.phases ? `${formatMs(p.phases.queueMs)} · ${formatMs(p.phases.setupMs)} · ${formatMs(p.phases.executionMs)}` : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
