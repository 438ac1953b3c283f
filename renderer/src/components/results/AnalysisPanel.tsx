import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisSpec } from '../../../../shared/analyses';
import type { AnalysisResult } from '../../../../shared/api';
import { chartOption, chartSummary, suggestedHeight, type ChartOption } from '../../../../shared/charts';
import { EChart } from '../../charts/EChart';
import { chartPngBlob, chartSvgBlob } from '../../charts/exportChart';
import { formatMs, formatNumber } from '../../format';
import { saveBlob } from '../../host/files';
import { currentLang } from '../../i18n';
import { useApp } from '../../state/app';
import { ErrorBox } from '../ErrorBox';
import { Menu } from '../Menu';
import { KpiView, ResultTableView, resultCsv } from './ResultTableView';

export function fileStem(dataset: string, id: string): string {
  return `${dataset}-${id}`.replace(/[^\w.-]+/g, '_');
}

/**
 * One analysis: title, one-line explanation, chart ⇄ table, run time, and its own exports.
 * `state`: while a run streams, whether this panel waits for its turn or is being computed.
 */
export const AnalysisPanel = memo(function AnalysisPanel({
  spec,
  result,
  state,
  dataset,
}: {
  spec: AnalysisSpec;
  result: AnalysisResult | undefined;
  state?: 'queued' | 'computing' | undefined;
  dataset: string;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const lang = currentLang();
  const dark = app.theme.dark;
  const table = result?.status === 'ok' ? result.table : null;
  const option = useMemo(() => (table ? chartOption(spec, table, { dark, lang, animation: true }) : null), [spec, table, dark, lang]);
  const [mode, setMode] = useState<'chart' | 'table'>('chart');
  const showChart = option !== null && mode === 'chart';
  const title = t(spec.title);
  const summary = useMemo(() => (option ? chartSummary(option, title, lang) : undefined), [option, title, lang]);
  // Enter on a chart opens its table and puts the keyboard in it.
  const section = useRef<HTMLElement>(null);
  const focusTable = useRef(false);
  useEffect(() => {
    if (!focusTable.current || mode !== 'table') return;
    focusTable.current = false;
    section.current?.querySelector<HTMLElement>('.result-table')?.focus();
  }, [mode]);
  const stem = fileStem(dataset, spec.id);

  // The option of an exported image (with its title) is built only when an image is asked for.
  const imageOption = useMemo(() => {
    if (!table || !option) return null;
    let built: ChartOption | null = null;
    return () => (built ??= chartOption(spec, table, { dark, lang, withTitle: true }) ?? option);
  }, [spec, table, option, dark, lang]);
  const background = dark ? '#1b1d22' : '#ffffff';
  const { charts } = app;
  useEffect(() => {
    if (!imageOption) return;
    return charts.register({
      id: spec.id,
      title,
      png: async () => chartPngBlob(imageOption(), background),
      svg: async () => chartSvgBlob(imageOption()),
    });
  }, [charts, spec.id, title, imageOption, background]);

  const exportItems = [
    {
      id: 'png',
      label: t('analyses.exportPng'),
      disabled: !imageOption,
      onSelect: () => imageOption && saveBlob(chartPngBlob(imageOption(), background), `${stem}.png`),
    },
    {
      id: 'svg',
      label: t('analyses.exportSvg'),
      disabled: !imageOption,
      onSelect: () => imageOption && saveBlob(chartSvgBlob(imageOption()), `${stem}.svg`),
    },
    {
      id: 'csv',
      label: t('analyses.exportCsv'),
      disabled: !table,
      onSelect: () => table && saveBlob(new Blob([resultCsv(table)], { type: 'text/csv' }), `${stem}.csv`),
    },
  ];

  return (
    <section
      ref={section}
      className={`panel panel-${spec.chart}`}
      aria-labelledby={`panel-${spec.id}`}
      data-analysis={spec.id}
      data-status={result?.status ?? state ?? 'pending'}
      aria-busy={!result && state === 'computing' ? true : undefined}
      onFocusCapture={() => app.charts.touch(spec.id)}
      onPointerDown={() => app.charts.touch(spec.id)}
    >
      <header className="panel-header">
        <div className="panel-titles">
          <h3 id={`panel-${spec.id}`}>{title}</h3>
          <p className="panel-description">{t(spec.description)}</p>
        </div>
        <div className="panel-tools">
          {option ? (
            <div className="segmented" role="group" aria-label={t('analyses.viewAs', { title })}>
              <button type="button" aria-pressed={mode === 'chart'} onClick={() => setMode('chart')}>
                {t('analyses.chart')}
              </button>
              <button type="button" aria-pressed={mode === 'table'} onClick={() => setMode('table')}>
                {t('analyses.table')}
              </button>
            </div>
          ) : null}
          <Menu label={t('analyses.exportOf', { title })} buttonContent={t('analyses.export')} items={exportItems} />
        </div>
      </header>
      <div className="panel-body">
        {!result ? <p className="muted">{state ? t(`analyses.state.${state}`) : t('analyses.notRun')}</p> : null}
        {result?.status === 'not-applicable' ? (
          <p className="muted">{t('analyses.notApplicable', { reason: result.reason ?? '' })}</p>
        ) : null}
        {result?.status === 'failed' ? <ErrorBox error={result.error ?? { message: result.reason ?? 'failed' }} compact /> : null}
        {table && showChart ? (
          <EChart
            option={option}
            label={t('analyses.chartOf', { title })}
            summary={summary}
            onShowTable={() => {
              focusTable.current = true;
              setMode('table');
            }}
            height={suggestedHeight(option)}
          />
        ) : null}
        {table && !showChart && spec.chart === 'kpi' && table.rows.length === 1 ? <KpiView table={table} /> : null}
        {table && !showChart && !(spec.chart === 'kpi' && table.rows.length === 1) ? <ResultTableView table={table} label={title} /> : null}
      </div>
      {result ? (
        <footer className="panel-footer muted">
          <span>{t('analyses.took', { time: formatMs(result.timings.computeMs) })}</span>
          <span>{t('analyses.rowsInOut', { rowsIn: formatNumber(result.rowsIn), rowsOut: formatNumber(result.rowsOut) })}</span>
          {result.cached ? <span>{t('analyses.cached')}</span> : null}
        </footer>
      ) : null}
    </section>
  );
});
