import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ColumnFilter } from '../../../../shared/api';
import { useStudio } from '../../hooks/studio';

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
 * and while the engine counts (`counting`) the total is the rows known so far.
 */
export function usePagedRows(view: View | null) {
  const { client, epoch } = useStudio();
  const key = view ? JSON.stringify(view) : null;
  const generation = `${key} ${epoch}`;
  const pages = useRef({ generation: '', map: new Map<number, Row[]>(), inflight: new Set<number>() });
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
      if (store.generation !== generation) pages.current = { generation, map: new Map(), inflight: new Set() };
      const { map, inflight } = pages.current;
      if (map.has(index) || inflight.has(index)) return;
      inflight.add(index);
      const v = JSON.parse(key) as View;
      const failed = (error: unknown) => {
        if (pages.current.map !== map) return;
        setStatus((s) => ({ generation, totalRows: s.generation === generation ? s.totalRows : null, counting: false, error }));
      };
      client.call('dataset/page', { ...v, offset: index * PAGE_SIZE, limit: PAGE_SIZE, total: index === 0 ? 'later' : 'wait' }).then(
        (page) => {
          inflight.delete(index);
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
            client.call('dataset/page', { ...v, offset: 0, limit: 1, total: 'wait' }).then((counted) => {
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
          inflight.delete(index);
          failed(error);
        },
      );
    },
    [client, key, generation],
  );

  useEffect(() => {
    fetchPage(0);
  }, [fetchPage]);

  const current = status.generation === generation ? status : { totalRows: null, counting: false, error: null };

  const row = useCallback(
    (index: number): Row | undefined =>
      pages.current.generation === generation ? pages.current.map.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE] : undefined,
    [generation],
  );

  /** Asks for every page the visible range touches. */
  const ensure = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) fetchPage(p);
    },
    [fetchPage],
  );

  const reload = useCallback(() => {
    pages.current = { generation, map: new Map(), inflight: new Set() };
    fetchPage(0);
  }, [fetchPage, generation]);

  return { totalRows: current.totalRows, counting: current.counting, error: current.error, row, ensure, reload };
}
