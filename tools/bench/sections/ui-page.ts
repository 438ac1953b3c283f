/**
 * The scripts the `ui` section runs inside the page, as JavaScript source: this module is also
 * compiled without the DOM library (the CLI's program reaches the harness), and the harness runs
 * through tsx, whose keepNames would wrap a passed function's inner functions in a helper the
 * page does not have.
 */

/** What the page records, in milliseconds after the drop event. */
export interface PageRecord {
  dropAt: number;
  drawnAt: Record<string, number>;
  /** Original analyses whose panel ended `failed` or `not-applicable`: they will never be drawn. */
  problems: Record<string, string>;
  done: boolean;
}

export const FILE_INPUT_ID = 'sparkpolar-ui-bench-file';

/** A hidden file input the driver puts the bench file in (by path: Chromium reads it from disk, as for a real drop). */
export const ADD_FILE_INPUT = `(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = ${JSON.stringify(FILE_INPUT_ID)};
  input.hidden = true;
  document.body.append(input);
})()`;

/** Drops the input's file on the drop zone as a user's drag does (dragenter → dragover → drop), noting the time. */
export const DROP_FILE = `(() => {
  const input = document.getElementById(${JSON.stringify(FILE_INPUT_ID)});
  const transfer = new DataTransfer();
  transfer.items.add(input.files[0]);
  input.remove();
  const zone = document.querySelector('[data-testid="drop-zone"]');
  window.__uiBench.dropAt = performance.now();
  for (const type of ['dragenter', 'dragover', 'drop'])
    zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
})()`;

export const RECORD = 'window.__uiBench';

/**
 * Records when each original analysis's result is first drawn, from mutations of the DOM (so the
 * time does not depend on how often the driver polls), once the Analyses page shows the dropped
 * dataset (the window opens on the dataset it knew, whose results are already on screen). Drawn: the panel's status is `ok` and its
 * body holds an ECharts SVG with at least one shape (the SVG exists, empty, as soon as the chart
 * is created), or, for analyses shown as figures or a table, the KPI list or the table.
 */
export function watchOriginalCharts(ids: readonly string[], dataset: string): string {
  return `(() => {
  const ids = ${JSON.stringify(ids)};
  const dataset = ${JSON.stringify(dataset)};
  const record = { dropAt: 0, drawnAt: {}, problems: {}, done: false };
  window.__uiBench = record;
  new MutationObserver(() => {
    if (!record.dropAt || record.done) return;
    const now = performance.now() - record.dropAt;
    // Until the page shows the dropped dataset, its panels are another dataset's results.
    const page = document.querySelector('.analyses-page');
    if (!page || page.getAttribute('data-dataset') !== dataset) return;
    for (const id of ids) {
      if (id in record.drawnAt) continue;
      const panel = document.querySelector('.panel[data-analysis="' + CSS.escape(id) + '"]');
      const status = panel ? panel.getAttribute('data-status') : null;
      if (status === 'failed' || status === 'not-applicable') record.problems[id] = status;
      if (status !== 'ok') continue;
      const body = panel.querySelector('.panel-body');
      const svg = body && body.querySelector('.echart svg');
      const drawn = svg
        ? svg.querySelector('path, rect, circle, polygon, polyline, text, image') !== null
        : Boolean(body && body.querySelector('.kpis, .result-table'));
      if (drawn) record.drawnAt[id] = now;
    }
    record.done = Object.keys(record.problems).length > 0 || ids.every((id) => id in record.drawnAt);
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})()`;
}
