import { useTranslation } from 'react-i18next';
import { useApp } from '../state/app';
import { useImport } from '../state/importer';
import { ErrorBox } from './ErrorBox';
import { ProgressBar } from './ProgressBar';

/** The running import, visible on every page but the Datasets page (which shows it in place). */
export function ImportDock() {
  const { t } = useTranslation();
  const importer = useImport();
  const app = useApp();
  if (app.page === 'datasets') return null;
  if (importer.running) {
    return (
      <div className="import-dock">
        <ProgressBar progress={importer.progress} label={t('importer.importing', { name: importer.label })} onCancel={importer.cancel} />
      </div>
    );
  }
  if (importer.error) {
    return (
      <div className="import-dock">
        <ErrorBox error={importer.error} compact />
        <button type="button" onClick={importer.dismiss}>
          {t('common.dismiss')}
        </button>
      </div>
    );
  }
  return null;
}
