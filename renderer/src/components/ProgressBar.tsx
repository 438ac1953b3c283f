import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../shared/api';
import { formatBytes, formatNumber, formatSeconds } from '../format';
import { announce } from './LiveRegion';

/** Bytes, rows, rows/s and ETA of a running job, as far as the job reports them, with Cancel. */
export function ProgressBar({ progress, label, onCancel }: { progress: JobProgress | null; label: string; onCancel?: () => void }) {
  const { t } = useTranslation();
  const done = progress?.done;
  const total = progress?.total;
  const fraction = done !== undefined && total ? Math.min(1, done / total) : null;
  const amount = (n: number | undefined) => (n === undefined ? '–' : progress?.unit === 'bytes' ? formatBytes(n) : formatNumber(n));
  const phase = progress?.phase
    ? t(`progress.phase.${progress.phase}`, { defaultValue: progress.message ?? progress.phase })
    : t('progress.starting');
  // Screen readers hear the phase as it changes and every quarter of the way, not every tick.
  const quarter = fraction === null ? null : Math.floor(fraction * 4) * 25;
  const spoken = useRef<string | null>(null);
  useEffect(() => {
    const text = quarter === null || quarter === 0 ? `${label}: ${phase}` : `${label}: ${phase}, ${t('progress.percent', { n: quarter })}`;
    if (spoken.current === text) return;
    spoken.current = text;
    announce(text);
  }, [label, phase, quarter, t]);
  return (
    <div className="progress" role="group" aria-label={label}>
      <div className="progress-head">
        <span className="progress-label">{label}</span>
        <span className="progress-phase">{phase}</span>
        {onCancel ? (
          <button type="button" className="danger" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
      <div
        className={fraction === null ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <div className="progress-fill" style={{ width: fraction === null ? undefined : `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <dl className="progress-facts">
        {total !== undefined || done !== undefined ? (
          <div>
            <dt>{progress?.unit === 'bytes' ? t('progress.bytes') : t('progress.done')}</dt>
            <dd data-testid="progress-done">
              {amount(done)} / {amount(total)}
            </dd>
          </div>
        ) : null}
        {progress?.rows !== undefined ? (
          <div>
            <dt>{t('progress.rows')}</dt>
            <dd data-testid="progress-rows">{formatNumber(progress.rows)}</dd>
          </div>
        ) : null}
        {progress?.rowsPerSecond !== undefined ? (
          <div>
            <dt>{t('progress.rate')}</dt>
            <dd>{t('progress.rowsPerSecond', { n: formatNumber(progress.rowsPerSecond) })}</dd>
          </div>
        ) : null}
        {progress?.etaSeconds !== undefined ? (
          <div>
            <dt>{t('progress.eta')}</dt>
            <dd>{formatSeconds(progress.etaSeconds)}</dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}
