import { lazy, Suspense, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionBanner, EngineStatus } from './components/EngineStatus';
import { DatasetPicker } from './components/DatasetPicker';
import { DropOverlay } from './components/DropOverlay';
import { ExportDock } from './components/ExportDock';
import { ExportMenu } from './components/ExportMenu';
import { ImportDock } from './components/ImportDock';
import { LiveRegion } from './components/LiveRegion';
import { Notices } from './components/Notices';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import type { HostEvent, MenuAction } from '../../shared/host';
import { useExportActions } from './exports/actions';
import { useStudio } from './hooks/studio';
import { setLanguage, currentLang } from './i18n';
import { DatasetsPage } from './pages/DatasetsPage';
import { PAGES, useApp, type PageId } from './state/app';
import { useImportActions } from './state/importer';

// Pages other than the first are loaded when opened: the window starts with less to parse (charts are most of it).
const BrowsePage = lazy(() => import('./pages/BrowsePage').then((m) => ({ default: m.BrowsePage })));
const loadAnalysesPage = () => import('./pages/AnalysesPage');
const AnalysesPage = lazy(() => loadAnalysesPage().then((m) => ({ default: m.AnalysesPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const SparkVsPolarsPage = lazy(() => import('./pages/spark/SparkVsPolarsPage'));

/** Alt+1…Alt+9 open the pages in sidebar order, so a new page in `PAGES` gets its shortcut. */
function pageForKey(key: string): PageId | undefined {
  return /^[1-9]$/.test(key) ? PAGES[Number(key) - 1] : undefined;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function App() {
  const { t } = useTranslation();
  const app = useApp();
  const importer = useImportActions();
  const exports = useExportActions();
  const { studio, client } = useStudio();
  const cancelAllJobs = async () => {
    const jobs = await client.call('job/list', {});
    await Promise.all(jobs.filter((j) => j.state === 'running').map((j) => client.call('job/cancel', { jobId: j.jobId })));
  };
  const [exportOpen, setExportOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  // Keyboard shortcuts for the main actions (listed in the "?" dialog).
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      importer.openCsv();
    } else if (mod && e.shiftKey && e.key.toLowerCase() === 'e') {
      e.preventDefault();
      setExportOpen(true);
    } else if (e.altKey && !mod && pageForKey(e.key)) {
      e.preventDefault();
      app.navigate(pageForKey(e.key)!);
    } else if (e.key === '?' && !isTyping(e.target)) {
      e.preventDefault();
      setHelpOpen(true);
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const onMenuAction = (action: MenuAction) => {
    if (action === 'open-csv') importer.openCsv();
    else if (action === 'open-settings') app.navigate('settings');
    else if (action === 'run-spark') app.navigate('spark');
    else if (action === 'run-analyses') {
      app.navigate('analyses');
      app.requestRunAll();
    } else if (action === 'cancel-jobs') void cancelAllJobs();
    // What is left is an export action: the compiler checks every menu export exists in the app.
    else void exports.run(action);
  };
  // Native menu (Electron) and OS file association arrive as host events.
  const onHostEvent = useEffectEvent((event: HostEvent) => {
    if (event.type === 'open-file') {
      app.navigate('datasets');
      void importer.importPath(event.path);
      return;
    }
    if (event.type === 'menu') onMenuAction(event.action);
  });
  useEffect(() => studio.host.onHostEvent?.((event) => onHostEvent(event)), [studio]);

  // Once the window is idle after its first paint, the charts page (and ECharts) is fetched and
  // parsed: a drop leads there, and parsing it then would take the cores from the upload.
  useEffect(() => {
    const prefetch = () => void loadAnalysesPage().catch(() => undefined);
    if (typeof requestIdleCallback !== 'function') return;
    const id = requestIdleCallback(prefetch, { timeout: 5000 });
    return () => cancelIdleCallback(id);
  }, []);

  useEffect(() => {
    document.title = `${t(`nav.${app.page}`)} · SparkPolar Studio`;
    main.current?.focus({ preventScroll: true });
  }, [app.page, t]);

  const lang = currentLang();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <div className="brand" aria-label="SparkPolar Studio">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          SparkPolar Studio
        </div>
        <DatasetPicker />
        <div className="topbar-actions">
          <ExportMenu open={exportOpen} onOpenChange={setExportOpen} />
          <EngineStatus />
          <button
            type="button"
            className="icon-button"
            aria-label={t('app.switchLanguage', { code: lang === 'en' ? 'FR' : 'EN', lang: lang === 'en' ? 'Français' : 'English' })}
            onClick={() => setLanguage(lang === 'en' ? 'fr' : 'en')}
          >
            {lang === 'en' ? 'FR' : 'EN'}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={app.theme.dark ? t('app.lightTheme') : t('app.darkTheme')}
            onClick={() => app.theme.setMode(app.theme.dark ? 'light' : 'dark')}
          >
            <span aria-hidden="true">{app.theme.dark ? '☀' : '☾'}</span>
          </button>
          <button type="button" className="icon-button" aria-label={t('shortcuts.title')} onClick={() => setHelpOpen(true)}>
            <span aria-hidden="true">?</span>
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <nav className="sidebar" aria-label={t('nav.label')}>
        <ul>
          {PAGES.map((page: PageId, i) => (
            <li key={page}>
              <a
                href={`#/${page}`}
                aria-current={app.page === page ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${i + 1}`}
                onClick={(e) => {
                  e.preventDefault();
                  app.navigate(page);
                }}
              >
                {t(`nav.${page}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1} className="content" data-page={app.page}>
        <Suspense fallback={<p>{t('common.loading')}</p>}>
          {app.page === 'datasets' ? <DatasetsPage /> : null}
          {app.page === 'browse' ? <BrowsePage /> : null}
          {app.page === 'analyses' ? <AnalysesPage /> : null}
          {app.page === 'spark' ? <SparkVsPolarsPage /> : null}
          {app.page === 'settings' ? <SettingsPage /> : null}
        </Suspense>
      </main>
      <ImportDock />
      <ExportDock />
      <Notices />
      <LiveRegion />
      <DropOverlay />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
