import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult } from '../../../shared/api';
import type { ColumnType } from '../../../shared/types';
import { formatBytes, formatNumber, formatSeconds } from '../format';
import { useCall, useClient } from '../hooks/studio';
import { useImport } from '../state/importer';
import { ErrorBox } from './ErrorBox';

const TYPES: ColumnType[] = ['integer', 'bigint', 'double', 'numeric', 'boolean', 'date', 'timestamp', 'text'];

/** What an import did: rows, inferred types (changeable, then re-import), rejected rows. */
export function ImportSummary({ result, onClose }: { result: ImportResult; onClose: () => void }) {
  const { t } = useTranslation();
  const importer = useImport();
  const client = useClient();
  const [types, setTypes] = useState<Record<string, ColumnType>>({});
  const [showRejects, setShowRejects] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const changed = Object.entries(types).filter(([id, type]) => result.columns.find((c) => c.identifier === id)?.type !== type);

  const reimport = async () => {
    setError(null);
    try {
      const version = await client.call('dataset/get', { dataset: result.dataset, version: result.version });
      const all = Object.fromEntries(result.columns.map((c) => [c.identifier, types[c.identifier] ?? c.type]));
      await importer.reimport(version, all);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card import-summary" aria-labelledby="import-summary-title" data-testid="import-summary">
      <header className="card-header">
        <h2 id="import-summary-title">{t('importer.summaryTitle', { name: result.dataset, version: result.version })}</h2>
        <button type="button" className="icon-button" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="facts">
        <div>
          <dt>{t('importer.rows')}</dt>
          <dd data-testid="summary-rows">{formatNumber(result.rows)}</dd>
        </div>
        <div>
          <dt>{t('importer.rejected')}</dt>
          <dd data-testid="summary-rejected">{formatNumber(result.rejected)}</dd>
        </div>
        <div>
          <dt>{t('importer.columns')}</dt>
          <dd>{formatNumber(result.columns.length)}</dd>
        </div>
        <div>
          <dt>{t('importer.size')}</dt>
          <dd>{formatBytes(result.bytes)}</dd>
        </div>
        <div>
          <dt>{t('importer.duration')}</dt>
          <dd>{formatSeconds(result.seconds)}</dd>
        </div>
        <div>
          <dt>{t('importer.format')}</dt>
          <dd>
            {result.encoding} · {result.delimiter === '\t' ? 'TAB' : result.delimiter} · {result.lineEnding}
          </dd>
        </div>
      </dl>

      <details className="types-editor">
        <summary>{t('importer.types')}</summary>
        <p className="muted">{t('importer.typesHelp')}</p>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t('importer.column')}</th>
              <th scope="col">{t('importer.type')}</th>
              <th scope="col">{t('importer.note')}</th>
            </tr>
          </thead>
          <tbody>
            {result.columns.map((c) => {
              const widened = result.widened.find((w) => w.identifier === c.identifier);
              return (
                <tr key={c.identifier}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <select
                      aria-label={t('importer.typeOf', { column: c.name })}
                      value={types[c.identifier] ?? c.type}
                      onChange={(e) => setTypes({ ...types, [c.identifier]: e.target.value as ColumnType })}
                    >
                      {TYPES.map((type) => (
                        <option key={type} value={type}>
                          {t(`types.${type}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted">
                    {widened ? t('importer.widened', { from: t(`types.${widened.from}`), line: widened.line, value: widened.value }) : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className="primary" disabled={!changed.length || importer.running} onClick={() => void reimport()}>
          {t('importer.reimportTypes', { count: changed.length })}
        </button>
      </details>
      <ErrorBox error={error} />

      {result.rejected > 0 ? (
        <div className="rejects">
          <button type="button" aria-expanded={showRejects} onClick={() => setShowRejects(!showRejects)}>
            {showRejects ? t('importer.hideRejects') : t('importer.showRejects', { count: result.rejected })}
          </button>
          {showRejects ? <RejectsViewer dataset={result.dataset} version={result.version} /> : null}
        </div>
      ) : null}
    </section>
  );
}

export function RejectsViewer({ dataset, version }: { dataset: string; version?: number }) {
  const { t } = useTranslation();
  const rejects = useCall('dataset/rejects', { dataset, version, limit: 500 });
  if (rejects.error) return <ErrorBox error={rejects.error} onRetry={rejects.reload} />;
  if (!rejects.data) return <p>{t('common.loading')}</p>;
  return (
    <div className="rejects-viewer">
      <p className="muted">
        {t('importer.rejectsShown', { shown: formatNumber(rejects.data.rows.length), total: formatNumber(rejects.data.total) })}
      </p>
      <div className="scroll-box">
        <table className="data-table compact" aria-label={t('importer.rejectsTitle')}>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('importer.line')}
              </th>
              <th scope="col">{t('importer.reason')}</th>
              <th scope="col">{t('importer.text')}</th>
            </tr>
          </thead>
          <tbody>
            {rejects.data.rows.map((r) => (
              <tr key={r.line}>
                <td className="num">{r.line}</td>
                <td>{r.reason}</td>
                <td>
                  <code>{r.text}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
