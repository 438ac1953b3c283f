import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { PAGES } from '../state/app';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const rows: Array<[string, string]> = [
    [`${mod}+O`, t('shortcuts.open')],
    [`${mod}+Shift+E`, t('shortcuts.export')],
    [`Alt+1 … Alt+${PAGES.length}`, t('shortcuts.pages')],
    [`${mod}+Enter`, t('shortcuts.runAll')],
    [`${mod}+C`, t('shortcuts.copy')],
    ['↑ ↓ ← →', t('shortcuts.move')],
    ['?', t('shortcuts.help')],
  ];
  return (
    <Dialog
      title={t('shortcuts.title')}
      open={open}
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      <table className="shortcuts">
        <tbody>
          {rows.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
