import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/app';
import { useImportActions } from '../state/importer';

const CSV = /\.(csv|tsv|txt)$/i;

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/** Drop a CSV anywhere on the window: an overlay says where it goes, the drop starts an import. */
export function DropOverlay() {
  const { t } = useTranslation();
  const importer = useImportActions();
  const app = useApp();
  const [active, setActive] = useState(false);
  const depth = useRef(0);
  const onDropFiles = useEffectEvent((files: File[]) => {
    const file = files.find((f) => CSV.test(f.name));
    if (!file) {
      app.notify({ kind: 'error', text: t('importer.notCsv', { name: files[0]!.name }) });
      return;
    }
    if (files.length > 1) app.notify({ kind: 'info', text: t('importer.oneAtATime', { name: file.name }) });
    app.navigate('datasets');
    void importer.importFile(file);
  });

  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setActive(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setActive(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth.current = 0;
      setActive(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) onDropFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  if (!active) return null;
  return (
    <div className="drop-overlay" aria-live="polite">
      <div className="drop-overlay-box">{t('importer.dropHere')}</div>
    </div>
  );
}
