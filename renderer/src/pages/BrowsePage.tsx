import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnFilter } from '../../../shared/api';
import { csvRecord } from '../../../shared/csv';
import { NUMERIC_TYPES, type DatasetColumn } from '../../../shared/types';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox } from '../components/ErrorBox';
import { formatNumber } from '../format';
import { useCall } from '../hooks/studio';
import { useApp } from '../state/app';
import { ColumnProfile } from './browse/ColumnProfile';
import { describeFilter, FilterEditor } from './browse/FilterEditor';
import { usePagedRows, type Row } from './browse/usePagedRows';

const ROW_HEIGHT = 30;
const INDEX_WIDTH = 72;

function columnWidth(c: DatasetColumn): number {
  const numeric = NUMERIC_TYPES.includes(c.type);
  return Math.max(numeric ? 96 : 120, Math.min(280, c.name.length * 8 + 56));
}

function cellText(value: Row[number] | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (no focus, policy): the classic way still works in a user gesture.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

export function BrowsePage() {
  const { t } = useTranslation();
  const app = useApp();
  const dataset = app.dataset;
  const info = useCall('dataset/get', dataset ? { dataset } : null, [app.datasetsEpoch]);
  const columns = useMemo(() => info.data?.columns ?? [], [info.data]);
  const view = app.browseView;
  const rows = usePagedRows(dataset && info.data ? { dataset, version: info.data.version, sort: view.sort, filters: view.filters } : null);
  const [editing, setEditing] = useState<string | null>(null);
  const [profiled, setProfiled] = useState<DatasetColumn | null>(null);
  const [selected, setSelected] = useState<{ row: number; col: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const widths = useMemo(() => columns.map(columnWidth), [columns]);
  const totalWidth = INDEX_WIDTH + widths.reduce((a, b) => a + b, 0);
  const template = `${INDEX_WIDTH}px ${widths.map((w) => `${w}px`).join(' ')}`;

  // TanStack Virtual keeps its own mutable state, so the React Compiler leaves this component alone.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.totalRows ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure, totalRows: loadedTotal } = rows;
  useEffect(() => {
    if (loadedTotal) ensure(first, last);
  }, [first, last, ensure, loadedTotal]);

  useEffect(() => {
    setSelected(null);
    virtualizer.scrollToOffset(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataset, JSON.stringify(view)]);

  if (!dataset) {
    return (
      <div className="page">
        <h1>{t('browse.title')}</h1>
        <EmptyState
          title={t('browse.emptyTitle')}
          actions={
            <button type="button" className="primary" onClick={() => app.navigate('datasets')}>
              {t('browse.goImport')}
            </button>
          }
        >
          <p>{t('browse.emptyBody')}</p>
        </EmptyState>
      </div>
    );
  }

  const sortOf = (id: string) => view.sort.find((s) => s.column === id);
  const toggleSort = (id: string, add: boolean) => {
    const current = sortOf(id);
    const next = !current ? 'asc' : current.direction === 'asc' ? 'desc' : null;
    const others = add ? view.sort.filter((s) => s.column !== id) : [];
    app.setBrowseView({ ...view, sort: next ? [...others, { column: id, direction: next }] : others });
  };
  const filterOf = (id: string) => view.filters.find((f) => f.column === id);
  const setFilter = (id: string, filter: ColumnFilter | null) => {
    const others = view.filters.filter((f) => f.column !== id);
    app.setBrowseView({ ...view, filters: filter ? [...others, filter] : others });
    setEditing(null);
  };
  const nameOf = (id: string) => columns.find((c) => c.identifier === id)?.name ?? id;

  const copySelection = (whole: boolean) => {
    if (!selected) return;
    const row = rows.row(selected.row);
    if (!row) return;
    // A row is copied as the CSV export writes it: quoted, and formulas neutralised for spreadsheets.
    const text = whole || selected.col < 0 ? csvRecord(row) : cellText(row[selected.col]);
    void copyText(text).then(() =>
      app.notify({ kind: 'info', text: whole || selected.col < 0 ? t('browse.copiedRow') : t('browse.copiedCell') }),
    );
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      copySelection(e.shiftKey);
      return;
    }
    const total = rows.totalRows ?? 0;
    if (!total) return;
    const at = selected ?? { row: 0, col: 0 };
    let next: typeof at;
    if (e.key === 'ArrowDown') next = { ...at, row: Math.min(total - 1, at.row + 1) };
    else if (e.key === 'ArrowUp') next = { ...at, row: Math.max(0, at.row - 1) };
    else if (e.key === 'ArrowRight') next = { ...at, col: Math.min(columns.length - 1, at.col + 1) };
    else if (e.key === 'ArrowLeft') next = { ...at, col: Math.max(-1, at.col - 1) };
    else if (e.key === 'PageDown') next = { ...at, row: Math.min(total - 1, at.row + 20) };
    else if (e.key === 'PageUp') next = { ...at, row: Math.max(0, at.row - 20) };
    else if (e.key === 'Home' && e.ctrlKey) next = { ...at, row: 0 };
    else if (e.key === 'End' && e.ctrlKey) next = { ...at, row: total - 1 };
    else return;
    e.preventDefault();
    setSelected(next);
    virtualizer.scrollToIndex(next.row, { align: 'auto' });
  };

  const total = rows.totalRows;
  const filtered = view.filters.length > 0;
  return (
    <div className="page browse-page">
      <header className="page-header">
        <h1>
          {t('browse.title')} <span className="muted">· {dataset}</span>
        </h1>
        <div className="page-actions">
          <span className="row-count" role="status" aria-live="polite" data-testid="row-count">
            {total === null
              ? t('common.loading')
              : rows.counting
                ? t('browse.counting', { n: formatNumber(total) })
                : filtered
                  ? t('browse.rowsFiltered', { shown: formatNumber(total), total: formatNumber(info.data?.rows) })
                  : t('browse.rows', { count: total, n: formatNumber(total) })}
          </span>
          <button type="button" disabled={!selected || selected.col < 0} onClick={() => copySelection(false)}>
            {t('browse.copyCell')}
          </button>
          <button type="button" disabled={!selected} onClick={() => copySelection(true)}>
            {t('browse.copyRow')}
          </button>
          {view.sort.length || view.filters.length ? (
            <button type="button" onClick={() => app.setBrowseView({ sort: [], filters: [] })}>
              {t('browse.reset')}
            </button>
          ) : null}
        </div>
      </header>

      {view.filters.length || view.sort.length ? (
        <ul className="chips" aria-label={t('browse.activeView')}>
          {view.sort.map((s) => (
            <li key={`sort-${s.column}`} className="chip">
              {t(s.direction === 'asc' ? 'browse.chip.sortAsc' : 'browse.chip.sortDesc', { name: nameOf(s.column) })}
              <button
                type="button"
                aria-label={t('browse.removeSort', { name: nameOf(s.column) })}
                onClick={() => app.setBrowseView({ ...view, sort: view.sort.filter((x) => x.column !== s.column) })}
              >
                ×
              </button>
            </li>
          ))}
          {view.filters.map((f) => (
            <li key={`filter-${f.column}`} className="chip">
              {describeFilter(f, nameOf(f.column), t)}
              <button
                type="button"
                aria-label={t('browse.removeFilterOf', { name: nameOf(f.column) })}
                onClick={() => setFilter(f.column, null)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <ErrorBox error={info.error ?? rows.error} onRetry={info.error ? info.reload : rows.reload} />

      <div className="browse-body">
        <div
          className="grid-scroller"
          ref={scroller}
          role="grid"
          aria-label={t('browse.gridLabel', { name: dataset })}
          aria-rowcount={(total ?? 0) + 1}
          aria-colcount={columns.length + 1}
          tabIndex={0}
          onKeyDown={onGridKey}
          data-testid="grid"
        >
          <div className="grid-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, width: totalWidth }}>
            <div className="grid-index-cell" role="columnheader">
              #
            </div>
            {columns.map((c) => {
              const sort = sortOf(c.identifier);
              const filter = filterOf(c.identifier);
              return (
                <div
                  key={c.identifier}
                  className="grid-head-cell"
                  role="columnheader"
                  aria-sort={sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                  data-column={c.name}
                >
                  <button
                    type="button"
                    className="head-sort"
                    title={t('browse.sortHint')}
                    onClick={(e) => toggleSort(c.identifier, e.shiftKey)}
                    aria-label={t('browse.sortBy', { name: c.name })}
                  >
                    <span className="head-name">{c.name}</span>
                    <span className="sort-mark" aria-hidden="true">
                      {sort ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                      {sort && view.sort.length > 1 ? view.sort.indexOf(sort) + 1 : ''}
                    </span>
                  </button>
                  <button
                    type="button"
                    className={filter ? 'head-tool active' : 'head-tool'}
                    aria-label={t('browse.filterOf', { column: c.name })}
                    aria-expanded={editing === c.identifier}
                    onClick={() => setEditing(editing === c.identifier ? null : c.identifier)}
                  >
                    <span aria-hidden="true">⚲</span>
                  </button>
                  <button
                    type="button"
                    className="head-tool"
                    aria-label={t('browse.profileOf', { column: c.name })}
                    onClick={() => setProfiled(c)}
                  >
                    <span aria-hidden="true">ℹ</span>
                  </button>
                  {editing === c.identifier ? (
                    <FilterEditor column={c} filter={filter} onApply={(f) => setFilter(c.identifier, f)} onClose={() => setEditing(null)} />
                  ) : null}
                </div>
              );
            })}
          </div>
          <div className="grid-body" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
            {items.map((item) => {
              const row = rows.row(item.index);
              const rowSelected = selected?.row === item.index;
              return (
                <div
                  key={item.key}
                  className={rowSelected ? 'grid-row selected' : 'grid-row'}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={rowSelected && selected?.col === -1}
                  style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template, height: ROW_HEIGHT }}
                >
                  <div className="grid-index-cell" role="rowheader" onClick={() => setSelected({ row: item.index, col: -1 })}>
                    {formatNumber(item.index + 1)}
                  </div>
                  {row
                    ? columns.map((c, ci) => {
                        const value = row[ci];
                        const isSel = rowSelected && selected?.col === ci;
                        return (
                          <div
                            key={c.identifier}
                            role="gridcell"
                            aria-selected={isSel}
                            className={`grid-cell${NUMERIC_TYPES.includes(c.type) ? ' num' : ''}${value === null ? ' null' : ''}${isSel ? ' selected' : ''}`}
                            onClick={() => setSelected({ row: item.index, col: ci })}
                          >
                            {value === null ? 'null' : cellText(value)}
                          </div>
                        );
                      })
                    : columns.map((c) => <div key={c.identifier} role="gridcell" className="grid-cell loading" aria-busy="true" />)}
                </div>
              );
            })}
          </div>
          {total === 0 ? <p className="grid-empty">{filtered ? t('browse.noMatch') : t('browse.noRows')}</p> : null}
        </div>
        {profiled ? (
          <ColumnProfile dataset={dataset} version={info.data?.version} column={profiled} onClose={() => setProfiled(null)} />
        ) : null}
      </div>
    </div>
  );
}
