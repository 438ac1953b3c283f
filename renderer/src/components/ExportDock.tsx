import { useTranslation } from 'react-i18next';
import { useExportActions } from '../exports/actions';
import { offerFile } from '../host/files';
import { useStudio } from '../hooks/studio';
import { ErrorBox } from './ErrorBox';
import { ProgressBar } from './ProgressBar';

/** The running export (progress, Cancel) or its failure, on every page. */
export function ExportDock() {
  const { t } = useTranslation();
  const exports = useExportActions();
  const { studio } = useStudio();
  if (exports.running) {
    return (
      <div className="import-dock export-dock" data-testid="export-progress">
        <ProgressBar progress={exports.progress} label={t('exportMenu.running', { what: exports.label ?? '' })} onCancel={exports.cancel} />
      </div>
    );
  }
  if (exports.files.length) {
    return (
      <div className="import-dock export-dock" role="status" data-testid="export-done">
        <div className="export-files">
          <strong>{t('exportMenu.written')}</strong>
          <ul>
            {exports.files.map((file) => (
              <li key={file}>
                <code data-testid="export-file">{file}</code>
                {studio.host.download || studio.host.showItemInFolder ? (
                  <button type="button" className="link" onClick={() => offerFile(studio, file)}>
                    {studio.host.download ? t('exportMenu.download') : t('exportMenu.showInFolder')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
        <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={exports.dismiss}>
          ×
        </button>
      </div>
    );
  }
  if (exports.error) {
    return (
      <div className="import-dock export-dock">
        <ErrorBox error={exports.error} compact />
        <button type="button" onClick={exports.dismiss}>
          {t('common.dismiss')}
        </button>
      </div>
    );
  }
  return null;
}
