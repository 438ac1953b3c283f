import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetSummary } from '../../../shared/types';
import { Dialog } from '../components/Dialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox } from '../components/ErrorBox';
import { ImportSummary } from '../components/ImportSummary';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes, formatDateTime, formatNumber } from '../format';
import { useCall, useClient } from '../hooks/studio';
import { useApp } from '../state/app';
import { useImport } from '../state/importer';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

export function DatasetsPage() {
  const { t } = useTranslation();
  const app = useApp();
  const importer = useImport();
  const client = useClient();
  const list = useCall('dataset/list', {}, [app.datasetsEpoch]);
  const [renaming, setRenaming] = useState<DatasetSummary | null>(null);
  const [newName, setNewName] = useState('');
  const [deleting, setDeleting] = useState<DatasetSummary | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const rename = async () => {
    if (!renaming) return;
    const to = newName.trim();
    setRenaming(null);
    if (!to || to === renaming.dataset) return;
    try {
      await client.call('dataset/rename', { dataset: renaming.dataset, to });
      if (app.dataset === renaming.dataset) app.setDataset(to);
      app.datasetsChanged();
      app.notify({ kind: 'success', text: t('datasets.renamed', { from: renaming.dataset, to }) });
    } catch (err) {
      setActionError(err);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    const name = deleting.dataset;
    setDeleting(null);
    try {
      await client.call('dataset/delete', { dataset: name });
      if (app.dataset === name) app.setDataset(null);
      app.datasetsChanged();
      app.notify({ kind: 'success', text: t('datasets.deleted', { name }) });
    } catch (err) {
      setActionError(err);
    }
  };

  const datasets = list.data ?? [];
  return (
    <div className="page datasets-page">
      <header className="page-header">
        <h1>{t('datasets.title')}</h1>
        <div className="page-actions">
          <button
            type="button"
            className="primary"
            onClick={importer.openCsv}
            aria-keyshortcuts={isMac ? 'Meta+O' : 'Control+O'}
            disabled={importer.running}
          >
            {t('datasets.open')}
          </button>
          <button type="button" onClick={() => void importer.loadSample()} disabled={importer.running}>
            {t('datasets.sample')}
          </button>
        </div>
      </header>

      <div className="drop-zone" data-testid="drop-zone" aria-label={t('importer.dropZone')} role="region">
        <span aria-hidden="true" className="drop-icon">
          ⇩
        </span>
        <span>{t('importer.dropZone')}</span>
      </div>

      {importer.running ? (
        <ProgressBar progress={importer.progress} label={t('importer.importing', { name: importer.label })} onCancel={importer.cancel} />
      ) : null}
      {importer.error ? (
        <div className="card">
          <ErrorBox error={importer.error} />
          <button type="button" onClick={importer.dismiss}>
            {t('common.dismiss')}
          </button>
        </div>
      ) : null}
      {importer.result && !importer.running ? <ImportSummary result={importer.result} onClose={importer.dismiss} /> : null}

      <ErrorBox error={actionError ?? list.error} onRetry={list.error ? list.reload : undefined} />

      {list.data && datasets.length === 0 && !importer.running ? (
        <EmptyState title={t('datasets.emptyTitle')}>
          <p>{t('datasets.emptyBody')}</p>
        </EmptyState>
      ) : null}

      {datasets.length ? (
        <table className="data-table datasets-table" aria-label={t('datasets.title')}>
          <thead>
            <tr>
              <th scope="col">{t('datasets.col.name')}</th>
              <th scope="col" className="num">
                {t('datasets.col.rows')}
              </th>
              <th scope="col" className="num">
                {t('datasets.col.columns')}
              </th>
              <th scope="col" className="num">
                {t('datasets.col.size')}
              </th>
              <th scope="col">{t('datasets.col.importedAt')}</th>
              <th scope="col" className="num">
                {t('datasets.col.version')}
              </th>
              <th scope="col" className="num">
                {t('datasets.col.rejected')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('datasets.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.dataset} data-dataset={d.dataset} aria-selected={app.dataset === d.dataset}>
                <th scope="row">
                  <button
                    type="button"
                    className="link"
                    onClick={() => app.setDataset(d.dataset)}
                    aria-label={t('datasets.select', { name: d.dataset })}
                  >
                    {d.dataset}
                  </button>
                </th>
                <td className="num" data-testid="dataset-rows">
                  {formatNumber(d.rows)}
                </td>
                <td className="num">{formatNumber(d.columns.length)}</td>
                <td className="num">{formatBytes(d.sourceBytes)}</td>
                <td>{formatDateTime(d.importedAt)}</td>
                <td className="num">
                  {d.version}
                  {d.versions > 1 ? <span className="muted"> / {d.versions}</span> : null}
                </td>
                <td className="num">{formatNumber(d.rejected)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    onClick={() => {
                      app.setDataset(d.dataset);
                      app.navigate('browse');
                    }}
                    aria-label={t('datasets.browse', { name: d.dataset })}
                  >
                    {t('nav.browse')}
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      app.setDataset(d.dataset);
                      app.navigate('analyses');
                    }}
                    aria-label={t('datasets.analyse', { name: d.dataset })}
                  >
                    {t('nav.analyses')}
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      setNewName(d.dataset);
                      setRenaming(d);
                    }}
                    aria-label={t('datasets.renameOne', { name: d.dataset })}
                  >
                    {t('datasets.rename')}
                  </button>
                  <button
                    type="button"
                    onClick={() => void importer.reimport(d)}
                    disabled={importer.running}
                    aria-label={t('datasets.reimportOne', { name: d.dataset })}
                  >
                    {t('datasets.reimport')}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => setDeleting(d)}
                    aria-label={t('datasets.deleteOne', { name: d.dataset })}
                  >
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <Dialog
        title={t('datasets.renameTitle', { name: renaming?.dataset ?? '' })}
        open={renaming !== null}
        onClose={() => setRenaming(null)}
        actions={
          <>
            <button type="button" onClick={() => setRenaming(null)}>
              {t('common.cancel')}
            </button>
            <button type="submit" form="rename-form" className="primary">
              {t('datasets.rename')}
            </button>
          </>
        }
      >
        <form
          id="rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            void rename();
          }}
        >
          <label className="field">
            <span>{t('datasets.newName')}</span>
            <input value={newName} onChange={(e) => setNewName(e.target.value)} maxLength={120} required autoFocus />
          </label>
        </form>
      </Dialog>

      <Dialog
        title={t('datasets.deleteTitle', { name: deleting?.dataset ?? '' })}
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        actions={
          <>
            <button type="button" onClick={() => setDeleting(null)} autoFocus>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => void remove()}>
              {t('common.delete')}
            </button>
          </>
        }
      >
        <p>
          {t('datasets.deleteBody', {
            name: deleting?.dataset ?? '',
            rows: formatNumber(deleting?.rows),
            versions: deleting?.versions ?? 1,
          })}
        </p>
      </Dialog>
    </div>
  );
}
