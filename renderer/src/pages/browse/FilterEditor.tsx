import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ColumnFilter } from '../../../../shared/api';
import { NUMERIC_TYPES, type DatasetColumn } from '../../../../shared/types';

type Op = ColumnFilter['op'];

function initialText(filter: ColumnFilter | undefined): { op: Op; value: string; values: string; min: string; max: string } {
  const base = { op: 'equals' as Op, value: '', values: '', min: '', max: '' };
  if (!filter) return base;
  switch (filter.op) {
    case 'contains':
    case 'equals':
      return { ...base, op: filter.op, value: String(filter.value) };
    case 'oneOf':
      return { ...base, op: 'oneOf', values: filter.values.join('\n') };
    case 'range':
      return {
        ...base,
        op: 'range',
        min: filter.min === null ? '' : String(filter.min),
        max: filter.max === null ? '' : String(filter.max),
      };
    default:
      return { ...base, op: filter.op };
  }
}

/** The filter of one column: contains, equals, one of, numeric range, null / not null. */
export function FilterEditor({
  column,
  filter,
  onApply,
  onClose,
}: {
  column: DatasetColumn;
  filter?: ColumnFilter;
  onApply: (filter: ColumnFilter | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const numeric = NUMERIC_TYPES.includes(column.type);
  const [state, setState] = useState(() => initialText(filter));
  const ops: Op[] = numeric ? ['equals', 'oneOf', 'range', 'isNull', 'notNull'] : ['contains', 'equals', 'oneOf', 'isNull', 'notNull'];
  const typed = (text: string): string | number => {
    if (!numeric) return text;
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  };
  const number = (text: string): number | null => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));

  const build = (): ColumnFilter | null => {
    const c = column.identifier;
    switch (state.op) {
      case 'contains':
        return state.value ? { column: c, op: 'contains', value: state.value } : null;
      case 'equals':
        return state.value !== '' ? { column: c, op: 'equals', value: typed(state.value) } : null;
      case 'oneOf': {
        const values = state.values
          .split(/\r?\n|,/)
          .map((v) => v.trim())
          .filter(Boolean)
          .map(typed);
        return values.length ? { column: c, op: 'oneOf', values } : null;
      }
      case 'range': {
        const min = number(state.min);
        const max = number(state.max);
        return min === null && max === null ? null : { column: c, op: 'range', min, max };
      }
      case 'isNull':
        return { column: c, op: 'isNull' };
      case 'notNull':
        return { column: c, op: 'notNull' };
    }
  };

  return (
    <form
      className="filter-editor"
      role="dialog"
      aria-label={t('browse.filterOf', { column: column.name })}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(build());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label className="field">
        <span>{t('browse.condition')}</span>
        <select value={state.op} onChange={(e) => setState({ ...state, op: e.target.value as Op })} autoFocus>
          {ops.map((op) => (
            <option key={op} value={op}>
              {t(`browse.op.${op}`)}
            </option>
          ))}
        </select>
      </label>
      {state.op === 'contains' || state.op === 'equals' ? (
        <label className="field">
          <span>{t('browse.value')}</span>
          <input
            value={state.value}
            onChange={(e) => setState({ ...state, value: e.target.value })}
            inputMode={numeric ? 'decimal' : undefined}
          />
        </label>
      ) : null}
      {state.op === 'oneOf' ? (
        <label className="field">
          <span>{t('browse.values')}</span>
          <textarea rows={4} value={state.values} onChange={(e) => setState({ ...state, values: e.target.value })} />
        </label>
      ) : null}
      {state.op === 'range' ? (
        <div className="field-row">
          <label className="field">
            <span>{t('browse.min')}</span>
            <input type="number" value={state.min} onChange={(e) => setState({ ...state, min: e.target.value })} />
          </label>
          <label className="field">
            <span>{t('browse.max')}</span>
            <input type="number" value={state.max} onChange={(e) => setState({ ...state, max: e.target.value })} />
          </label>
        </div>
      ) : null}
      <div className="dialog-actions">
        {filter ? (
          <button type="button" onClick={() => onApply(null)}>
            {t('browse.removeFilter')}
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary">
          {t('browse.apply')}
        </button>
      </div>
    </form>
  );
}

export function describeFilter(filter: ColumnFilter, name: string, t: TFunction): string {
  switch (filter.op) {
    case 'contains':
      return t('browse.chip.contains', { name, value: filter.value });
    case 'equals':
      return t('browse.chip.equals', { name, value: String(filter.value) });
    case 'oneOf':
      return t('browse.chip.oneOf', { name, values: filter.values.slice(0, 5).join(', ') + (filter.values.length > 5 ? '…' : '') });
    case 'range':
      return t('browse.chip.range', { name, min: filter.min ?? '−∞', max: filter.max ?? '+∞' });
    case 'isNull':
      return t('browse.chip.isNull', { name });
    case 'notNull':
      return t('browse.chip.notNull', { name });
  }
}
