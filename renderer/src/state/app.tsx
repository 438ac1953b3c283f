/**
 * App-wide state: the current page (kept in the URL hash), the dataset in use, the browse view
 * (what "export the current view" exports), the last analysis run (what result exports use), the
 * chart panels on screen (what chart exports use), and transient notices.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AnalysisRun, ColumnFilter } from '../../../shared/api';
import type { ThemeMode } from './theme';
import { useTheme } from './theme';

export const PAGES = ['datasets', 'browse', 'analyses', 'spark', 'settings'] as const;
export type PageId = (typeof PAGES)[number];

export interface BrowseView {
  sort: Array<{ column: string; direction: 'asc' | 'desc' }>;
  filters: ColumnFilter[];
}

export interface ChartHandle {
  id: string;
  title: string;
  /** PNG bytes of the chart as drawn (theme, size), via ECharts' own renderer. */
  png(): Promise<Blob>;
  svg(): Promise<Blob>;
}

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  action?: { label: string; run: () => void };
}

interface AppState {
  page: PageId;
  navigate: (page: PageId) => void;
  dataset: string | null;
  setDataset: (name: string | null) => void;
  browseView: BrowseView;
  setBrowseView: (view: BrowseView) => void;
  lastRun: AnalysisRun | null;
  setLastRun: (run: AnalysisRun | null) => void;
  /** Bumped whenever the dataset list may have changed (import, rename, delete). */
  datasetsEpoch: number;
  datasetsChanged: () => void;
  theme: { mode: ThemeMode; dark: boolean; setMode: (m: ThemeMode) => void };
  charts: {
    register: (handle: ChartHandle) => () => void;
    /** The panel the user touched last (or the first one on screen). */
    current: () => ChartHandle | null;
    touch: (id: string) => void;
  };
  /** Bumped by Run ▸ Run analyses (menu): the Analyses page runs everything when it sees a new value. */
  runAllRequest: number;
  requestRunAll: () => void;
  notices: Notice[];
  notify: (notice: Omit<Notice, 'id'>) => void;
  dismiss: (id: number) => void;
}

const AppContext = createContext<AppState | null>(null);
const EMPTY_VIEW: BrowseView = { sort: [], filters: [] };

function pageFromHash(): PageId {
  const name = window.location.hash.replace(/^#\/?/, '').split('?')[0] as PageId;
  return PAGES.includes(name) ? name : 'datasets';
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [dataset, setDatasetState] = useState<string | null>(() => localStorage.getItem('sparkpolar.dataset'));
  const [browseView, setBrowseView] = useState<BrowseView>(EMPTY_VIEW);
  const [lastRun, setLastRun] = useState<AnalysisRun | null>(null);
  const [datasetsEpoch, setDatasetsEpoch] = useState(0);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [runAllRequest, setRunAllRequest] = useState(0);
  const theme = useTheme();
  const chartMap = useRef(new Map<string, ChartHandle>());
  const lastChart = useRef<string | null>(null);
  const noticeId = useRef(0);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = useCallback((next: PageId) => {
    window.location.hash = `/${next}`;
    setPage(next);
  }, []);

  const setDataset = useCallback((name: string | null) => {
    setDatasetState((previous) => {
      if (previous !== name) {
        setBrowseView(EMPTY_VIEW);
        setLastRun(null);
      }
      return name;
    });
    if (name) localStorage.setItem('sparkpolar.dataset', name);
    else localStorage.removeItem('sparkpolar.dataset');
  }, []);

  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (notice: Omit<Notice, 'id'>) => {
      const id = ++noticeId.current;
      setNotices((list) => [...list.slice(-3), { ...notice, id }]);
      if (notice.kind !== 'error') setTimeout(() => dismiss(id), 8000);
    },
    [dismiss],
  );

  const charts = useMemo(
    () => ({
      register(handle: ChartHandle) {
        chartMap.current.set(handle.id, handle);
        return () => {
          if (chartMap.current.get(handle.id) === handle) chartMap.current.delete(handle.id);
        };
      },
      current() {
        const touched = lastChart.current ? chartMap.current.get(lastChart.current) : undefined;
        return touched ?? chartMap.current.values().next().value ?? null;
      },
      touch(id: string) {
        lastChart.current = id;
      },
    }),
    [],
  );

  const value = useMemo<AppState>(
    () => ({
      page,
      navigate,
      dataset,
      setDataset,
      browseView,
      setBrowseView,
      lastRun,
      setLastRun,
      datasetsEpoch,
      datasetsChanged: () => setDatasetsEpoch((e) => e + 1),
      theme,
      charts,
      runAllRequest,
      requestRunAll: () => setRunAllRequest((n) => n + 1),
      notices,
      notify,
      dismiss,
    }),
    [page, navigate, dataset, setDataset, browseView, lastRun, datasetsEpoch, theme, charts, runAllRequest, notices, notify, dismiss],
  );
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}
