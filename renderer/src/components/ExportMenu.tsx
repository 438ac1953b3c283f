import { useTranslation } from 'react-i18next';
import { useExportActions, type ExportAction } from '../exports/actions';
import { Menu, type MenuItem } from './Menu';

/** File ▸ Export ▸ … inside the app (browser mode; Electron has the same actions in its native menu). */
export function ExportMenu({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const exports = useExportActions();
  const item = (id: ExportAction, label: string, group?: string): MenuItem => ({
    id,
    label,
    group,
    disabled: exports.running,
    onSelect: () => void exports.run(id),
  });
  const items: MenuItem[] = [
    item('export-dataset-csv', t('exportMenu.csv'), t('exportMenu.group.dataset')),
    item('export-dataset-parquet', t('exportMenu.parquet')),
    item('export-dataset-jsonl', t('exportMenu.jsonl')),
    item('export-dataset-xlsx', t('exportMenu.xlsx')),
    item('export-view-csv', t('exportMenu.csv'), t('exportMenu.group.view')),
    item('export-view-parquet', t('exportMenu.parquet')),
    item('export-view-jsonl', t('exportMenu.jsonl')),
    item('export-view-xlsx', t('exportMenu.xlsx')),
    item('export-results-xlsx', t('exportMenu.resultsXlsx'), t('exportMenu.group.results')),
    item('export-results-csv', t('exportMenu.resultsCsv')),
    item('export-results-json', t('exportMenu.resultsJson')),
    item('export-results-parquet', t('exportMenu.resultsParquet')),
    item('export-chart-png', t('exportMenu.chartPng'), t('exportMenu.group.charts')),
    item('export-chart-svg', t('exportMenu.chartSvg')),
    item('export-report-html', t('exportMenu.reportHtml'), t('exportMenu.group.report')),
    item('export-report-pdf', t('exportMenu.reportPdf')),
    item('publish', t('exportMenu.publish'), t('exportMenu.group.storage')),
  ];
  return (
    <Menu label={t('exportMenu.label')} buttonContent={t('exportMenu.button')} items={items} open={open} onOpenChange={onOpenChange} />
  );
}
