import { lazy, Suspense, useCallback, useEffect, useEffectEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ANALYSES, ORIGINAL_CLEANING, type AnalysisCategory } from '../../../shared/analyses';
import type { CleaningOptions } from '../../../shared/api';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox } from '../components/ErrorBox';
import { ProgressBar } from '../components/ProgressBar';
import { AnalysisPanel } from '../components/results/AnalysisPanel';
import { formatDateTime, formatMs, formatNumber } from '../format';
import { useCall } from '../hooks/studio';
import { useApp } from '../state/app';
import { useCatalogRun } from '../state/catalog-run';
import { useImport } from '../state/importer';

const RunsPanel = lazy(() => import('./runs/RunsPanel'));
const CATEGORIES: AnalysisCategory[] = ['exploration', 'cleaning', 'descriptive', 'trends', 'correlations', 'generic'];
const OPTIONS: Array<keyof CleaningOptions> = ['dropOriginalNulls', 'sentinelsAsNull', 'mergeMakes'];
/** The last Run ▸ Run analyses request handled (the page may mount after the request). */
let handledRunAllRequest = 0;
const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

export function AnalysesPage() {
  const { t } = useTranslation();
  const app = useApp();
  const importer = useImport();
  const dataset = app.dataset;
  const applicable = useCall('analysis/applicable', dataset ? { dataset } : null, [app.datasetsEpoch]);
  const catalogRun = useCatalogRun();
  // The run going on for this dataset (it started by itself after the import, or by Run all).
  const live = catalogRun.dataset === dataset ? catalogRun : null;
  const running = live?.running ?? false;
  const [cleaning, setCleaning] = useState<CleaningOptions>(app.lastRun?.cleaning ?? ORIGINAL_CLEANING);
  const [category, setCategory] = useState<AnalysisCategory | 'all'>('all');
  const run = app.lastRun && app.lastRun.dataset === dataset ? app.lastRun : null;

  // The options shown are those of the run on screen: the one going on, else the last one.
  const shownCleaning = live?.running ? live.cleaning : run?.cleaning;
  const shownKey = shownCleaning ? JSON.stringify(shownCleaning) : null;
  const [syncedKey, setSyncedKey] = useState(shownKey);
  if (shownCleaning && shownKey !== syncedKey) {
    setSyncedKey(shownKey);
    setCleaning(shownCleaning);
  }

  const { start } = catalogRun;
  const runAll = useCallback(
    async (options: CleaningOptions) => {
      if (dataset) await start(dataset, options);
    },
    [dataset, start],
  );

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && !running) {
      e.preventDefault();
      void runAll(cleaning);
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  const runRequested = useEffectEvent(() => {
    if (!running) void runAll(cleaning);
  });

  // Run ▸ Run analyses in the native menu.
  useEffect(() => {
    if (app.runAllRequest <= handledRunAllRequest || !dataset) return;
    handledRunAllRequest = app.runAllRequest;
    runRequested();
  }, [app.runAllRequest, dataset]);

  // A file the user has just dropped or opened: its charts come here, not the previous dataset's.
  if (importer.running && importer.startedOver === dataset) {
    return (
      <div className="page analyses-page">
        <h1>{t('analyses.title')}</h1>
        <EmptyState title={t('analyses.incomingTitle', { name: importer.label })}>
          <p>{t('analyses.incomingBody')}</p>
        </EmptyState>
      </div>
    );
  }

  if (!dataset) {
    return (
      <div className="page">
        <h1>{t('analyses.title')}</h1>
        <EmptyState
          title={t('analyses.emptyTitle')}
          actions={
            <button type="button" className="primary" onClick={() => app.navigate('datasets')}>
              {t('browse.goImport')}
            </button>
          }
        >
          <p>{t('analyses.emptyBody')}</p>
        </EmptyState>
      </div>
    );
  }

  const applicableIds = new Set((applicable.data ?? []).filter((a) => a.applicable).map((a) => a.id));
  // While a run streams, each panel shows its own result as soon as it is ready, or its state.
  const byId = new Map((running ? live!.results : (run?.results ?? [])).map((r) => [r.id, r]));
  // Until the applicability answers (it is asked when the dataset changes, as the run starts), the results already in have their panels.
  const shownIds = applicable.data ? applicableIds : byId;
  const specs = ANALYSES.filter((s) => shownIds.has(s.id) && (category === 'all' || s.category === category));
  const panelState = (id: string) => (!running ? undefined : live!.current === id ? ('computing' as const) : ('queued' as const));

  const changeCleaning = (key: keyof CleaningOptions, value: boolean) => {
    const next = { ...cleaning, [key]: value };
    setCleaning(next);
    // Every analysis that reads the prepared or cleaned data is affected; the engine serves the others from its cache.
    if (run || running) void runAll(next);
  };

  return (
    <div className="page analyses-page" data-dataset={dataset}>
      <header className="page-header">
        <h1>
          {t('analyses.title')} <span className="muted">· {dataset}</span>
        </h1>
        <div className="page-actions">
          <button
            type="button"
            className="primary"
            onClick={() => void runAll(cleaning)}
            disabled={running || !applicable.data}
            aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
            data-testid="run-all"
          >
            {t('analyses.runAll')}
          </button>
        </div>
      </header>

      <fieldset className="cleaning">
        <legend>{t('analyses.cleaning')}</legend>
        {OPTIONS.map((key) => (
          <label key={key} className="check">
            <input type="checkbox" checked={cleaning[key]} onChange={(e) => changeCleaning(key, e.target.checked)} disabled={running} />
            <span>{t(`analyses.option.${key}`)}</span>
          </label>
        ))}
      </fieldset>

      {running ? <ProgressBar progress={live!.progress} label={t('analyses.running')} onCancel={live!.cancel} /> : null}
      {running && live!.provisional ? (
        <p className="muted" data-testid="provisional">
          {t('analyses.provisional')}
        </p>
      ) : null}
      <ErrorBox error={live?.error ?? applicable.error} onRetry={applicable.error ? applicable.reload : undefined} />

      {running ? null : run ? (
        <p className="run-facts muted" data-testid="run-facts">
          {t('analyses.runFacts', {
            when: formatDateTime(run.startedAt),
            rows: formatNumber(run.rows),
            load: formatMs(run.loadMs),
            total: formatMs(run.totalMs),
            source: run.loadSource,
          })}
        </p>
      ) : applicable.data ? (
        <EmptyState title={t('analyses.notRunTitle')}>
          <p>{t('analyses.notRunBody', { count: applicableIds.size })}</p>
        </EmptyState>
      ) : null}

      <div className="tabs" role="tablist" aria-label={t('analyses.categories')}>
        {(['all', ...CATEGORIES] as const).map((c) => (
          <button key={c} type="button" role="tab" aria-selected={category === c} onClick={() => setCategory(c)}>
            {t(`analyses.category.${c}`)}
          </button>
        ))}
      </div>

      {run || running ? (
        <div className="panels" role="tabpanel" aria-label={t(`analyses.category.${category}`)}>
          {specs.map((spec) => (
            <AnalysisPanel key={spec.id} spec={spec} result={byId.get(spec.id)} state={panelState(spec.id)} dataset={dataset} />
          ))}
        </div>
      ) : null}

      {run ? (
        <section className="runs-section" aria-label={t('analyses.published')}>
          <Suspense fallback={null}>
            <RunsPanel dataset={dataset} />
          </Suspense>
        </section>
      ) : null}
    </div>
  );
}
