import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { analysisById } from '../../../../shared/analyses';
import type { ResultTable } from '../../../../shared/api';
import { chartOption, chartSummary } from '../../../../shared/charts';
import { NUMERIC_TYPES, type DatasetColumn } from '../../../../shared/types';
import { EChart } from '../../charts/EChart';
import { ErrorBox } from '../../components/ErrorBox';
import { ProgressBar } from '../../components/ProgressBar';
import { formatNumber } from '../../format';
import { useJob } from '../../hooks/studio';
import { currentLang } from '../../i18n';
import { useApp } from '../../state/app';

/** The raw data, as imported: the browse grid shows it unchanged, so its profile does too. */
const RAW = { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: false };

function cellOf(table: ResultTable | null | undefined, row: number, name: string) {
  if (!table) return null;
  const i = table.columns.findIndex((c) => c.name === name);
  return i < 0 ? null : (table.rows[row]?.[i] ?? null);
}

/** Type, nulls, distinct, min/max/mean, top values and a histogram of one column (the catalog's generic analyses). */
export function ColumnProfile({
  dataset,
  version,
  column,
  onClose,
}: {
  dataset: string;
  version?: number;
  column: DatasetColumn;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const job = useJob('analysis/run');
  const numeric = NUMERIC_TYPES.includes(column.type);
  const distributionId = numeric ? 'generic-histogram' : 'generic-value-counts';
  const { start, cancel } = job;

  useEffect(() => {
    void start({
      dataset,
      version,
      analyses: ['generic-profile', distributionId],
      params: { [distributionId]: numeric ? { column: column.name, bins: 20 } : { column: column.name, topN: 15 } },
      cleaning: RAW,
    });
    return () => cancel();
  }, [dataset, version, column.name, distributionId, numeric, start, cancel]);

  const profile = job.result?.results.find((r) => r.id === 'generic-profile');
  const distribution = job.result?.results.find((r) => r.id === distributionId);
  const row = profile?.table?.rows.findIndex((r) => r[0] === column.name) ?? -1;
  const get = (name: string) => (row >= 0 ? cellOf(profile?.table, row, name) : null);
  const lang = currentLang();
  const option = useMemo(() => {
    const spec = analysisById(distributionId);
    return spec && distribution?.table ? chartOption(spec, distribution.table, { dark: app.theme.dark, lang }) : null;
  }, [distributionId, distribution, app.theme.dark, lang]);

  const fmt = (v: unknown) => (typeof v === 'number' ? formatNumber(v, 3) : v === null || v === undefined || v === '' ? '–' : String(v));
  return (
    <aside className="column-profile" aria-label={t('browse.profileOf', { column: column.name })} data-testid="column-profile">
      <header className="card-header">
        <h2>{column.name}</h2>
        <button type="button" className="icon-button" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </header>
      {job.running ? <ProgressBar progress={job.progress} label={t('browse.profiling')} /> : null}
      <ErrorBox error={job.error} />
      {row >= 0 ? (
        <dl className="facts profile-facts">
          <div>
            <dt>{t('browse.profile.type')}</dt>
            <dd>{t(`types.${column.type}`)}</dd>
          </div>
          <div>
            <dt>{t('browse.profile.rows')}</dt>
            <dd>{fmt(get('rows'))}</dd>
          </div>
          <div>
            <dt>{t('browse.profile.nulls')}</dt>
            <dd>
              {fmt(get('nulls'))}
              {typeof get('null_share') === 'number' ? ` (${formatNumber((get('null_share') as number) * 100, 1)} %)` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('browse.profile.distinct')}</dt>
            <dd>{fmt(get('distinct'))}</dd>
          </div>
          <div>
            <dt>{t('browse.profile.min')}</dt>
            <dd>{fmt(get('min'))}</dd>
          </div>
          <div>
            <dt>{t('browse.profile.max')}</dt>
            <dd>{fmt(get('max'))}</dd>
          </div>
          {numeric ? (
            <>
              <div>
                <dt>{t('browse.profile.mean')}</dt>
                <dd>{fmt(get('mean'))}</dd>
              </div>
              <div>
                <dt>{t('browse.profile.median')}</dt>
                <dd>{fmt(get('p50'))}</dd>
              </div>
              <div>
                <dt>{t('browse.profile.std')}</dt>
                <dd>{fmt(get('std'))}</dd>
              </div>
            </>
          ) : null}
          <div className="wide">
            <dt>{t('browse.profile.top')}</dt>
            <dd>{fmt(get('top_values'))}</dd>
          </div>
        </dl>
      ) : null}
      {option ? (
        <EChart
          option={option}
          label={t('browse.profile.chart', { column: column.name })}
          summary={chartSummary(option, t('browse.profile.chart', { column: column.name }), lang)}
          height={240}
        />
      ) : null}
    </aside>
  );
}
