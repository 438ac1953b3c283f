import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ColumnFilter } from '../../../../shared/api';
import { useStudio } from '../../hooks/studio';
import { isCancelled, pagesToAbandon } from './page-requests';

export type Row = Array<string | number | boolean | null>;
export const PAGE_SIZE = 200;
/** Pages kept in memory (the rest are fetched again when scrolled back to). */
const MAX_PAGES = 60;

interface View {
  dataset: string;
  version?: number;
  sort: Array<{ column: string; direction: 'asc' | 'desc' }>;
  filters: ColumnFilter[];
}

/**
 * Rows of a sorted and filtered view, fetched from the engine a page at a time as the grid
 * scrolls to them. A change of view drops every page and answers to older views are ignored.
 * The first page does not wait for the view's count (`total: 'later'`): its rows show at once,
 * and while the engine counts (`counting`) the total is the rows known so far. Requests the grid
 * no longer needs are cancelled in the engine (their PostgreSQL queries with them): every one of
 * a view that was left, and those of pages scrolled far past.
 */
export function usePagedRows(view: View | null) {
  const { client, epoch } = useStudio();
  const key = view ? JSON.stringify(view) : null;
  const generation = `${key} ${epoch}`;
  const pages = useRef(emptyStore(''));
  /** Total rows and last error, tagged with the view generation they belong to. */
  const [status, setStatus] = useState<{ generation: string; totalRows: number | null; counting: boolean; error: unknown }>({
    generation: '',
    totalRows: null,
    counting: false,
    error: null,
  });
  const [, redraw] = useReducer((x: number) => x + 1, 0);

  const fetchPage = useCallback(
    (index: number) => {
      if (!key) return;
      const store = pages.current;
      if (store.generation !== generation) {
        abandon(store);
        pages.current = emptyStore(generation);
      }
      const { map, inflight, count } = pages.current;
      if (map.has(index) || inflight.has(index)) return;
      const request = new AbortController();
      inflight.set(index, request);
      const v = JSON.parse(key) as View;
      const failed = (error: unknown) => {
        if (pages.current.map !== map || isCancelled(error)) return;
        setStatus((s) => ({ generation, totalRows: s.generation === generation ? s.totalRows : null, counting: false, error }));
      };
      const params = { ...v, offset: index * PAGE_SIZE, limit: PAGE_SIZE, total: index === 0 ? ('later' as const) : ('wait' as const) };
      client.call('dataset/page', params, { signal: request.signal }).then(
        (page) => {
          if (inflight.get(index) === request) inflight.delete(index);
          if (pages.current.map !== map) return;
          map.set(index, page.rows);
          if (map.size > MAX_PAGES) {
            const far = [...map.keys()].sort((a, b) => Math.abs(b - index) - Math.abs(a - index));
            for (const p of far.slice(0, map.size - MAX_PAGES)) map.delete(p);
          }
          const counting = page.totalPending === true;
          // A count still to come never shrinks a total already known.
          setStatus((s) =>
            counting && s.generation === generation && s.totalRows !== null && !s.counting
              ? s
              : { generation, totalRows: page.totalRows, counting, error: null },
          );
          redraw();
          if (counting) {
            client.call('dataset/page', { ...v, offset: 0, limit: 1, total: 'wait' }, { signal: count.signal }).then((counted) => {
              if (pages.current.map !== map) return;
              setStatus((s) => ({
                generation,
                totalRows: counted.totalRows,
                counting: false,
                error: s.generation === generation ? s.error : null,
              }));
            }, failed);
          }
        },
        (error: unknown) => {
          if (inflight.get(index) === request) inflight.delete(index);
          failed(error);
        },
      );
    },
    [client, key, generation],
  );

  useEffect(() => {
    fetchPage(0);
  }, [fetchPage]);

  // Leaving the page (or the app) cancels what is still asked.
  useEffect(() => () => abandon(pages.current), []);

  const current = status.generation === generation ? status : { totalRows: null, counting: false, error: null };

  const row = useCallback(
    (index: number): Row | undefined =>
      pages.current.generation === generation ? pages.current.map.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] : undefined,
    [generation],
  );

  /** Asks for every page the visible range touches, and cancels the requests of pages scrolled far past. */
  const ensure = useCallback(
    (first: number, last: number) => {
      const [firstPage, lastPage] = [Math.floor(first / PAGE_SIZE), Math.floor(last / PAGE_SIZE)];
      const store = pages.current;
      if (store.generation === generation)
        for (const p of pagesToAbandon(store.inflight.keys(), firstPage, lastPage)) {
          store.inflight.get(p)?.abort();
          store.inflight.delete(p);
        }
      for (let p = firstPage; p <= lastPage; p++) fetchPage(p);
    },
    [fetchPage, generation],
  );

  const reload = useCallback(() => {
    abandon(pages.current);
    pages.current = emptyStore(generation);
    fetchPage(0);
  }, [fetchPage, generation]);

  return { totalRows: current.totalRows, counting: current.counting, error: current.error, row, ensure, reload };
}

interface PageStore {
  generation: string;
  map: Map<number, Row[]>;
  /** The pages asked for and not answered yet, each with what cancels its request. */
  inflight: Map<number, AbortController>;
  /** Cancels the view's count request (the second request of a first page answered before its count). */
  count: AbortController;
}

function emptyStore(generation: string): PageStore {
  return { generation, map: new Map(), inflight: new Map(), count: new AbortController() };
}

/** Cancels every request of a view the grid no longer shows. */
function abandon(store: PageStore): void {
  for (const request of store.inflight.values()) request.abort();
  store.inflight.clear();
  store.count.abort();
  store.count = new AbortController(); // a store shown again (a remount) counts again
}
