import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../hooks/studio';
import { useApp } from '../state/app';

/** The dataset Browse, Analyses and Export work on. */
export function DatasetPicker() {
  const { t } = useTranslation();
  const app = useApp();
  const list = useCall('dataset/list', {}, [app.datasetsEpoch]);
  const names = (list.data ?? []).map((d) => d.dataset);
  useEffect(() => {
    if (!list.data) return;
    if (app.dataset && !names.includes(app.dataset)) app.setDataset(names[0] ?? null);
    else if (!app.dataset && names.length) app.setDataset(names[0]!);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data]);
  return (
    <label className="dataset-picker">
      <span>{t('app.dataset')}</span>
      <select
        value={app.dataset ?? ''}
        onChange={(e) => app.setDataset(e.target.value || null)}
        disabled={!names.length}
        data-testid="dataset-picker"
      >
        {!names.length ? <option value="">{t('app.noDataset')}</option> : null}
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
