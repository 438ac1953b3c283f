/**
 * The scripts the `ui` section runs inside the page, as JavaScript source: this module is also
 * compiled without the DOM library (the CLI's program reaches the harness), and the harness runs
 * through tsx, whose keepNames would wrap a passed function's inner functions in a helper the
 * page does not have.
 */

/** What the page records, in milliseconds after the drop event. */
export interface PageRecord {
  dropAt: number;
  /** When the Analyses page first showed the dropped dataset. */
  shownAt?: number;
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
    if (record.shownAt === undefined) record.shownAt = now;
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

/** What the page saw on its wire, in page milliseconds (`performance.now()`); see `TRACE_WIRE`. */
export interface WireTrace {
  /** The first time each step was seen: `send <method>`, `<method> <phase>`, `<method> done`, `upload …`. */
  marks: Record<string, number>;
  /** Bytes and count of the job events received, by method. */
  events: Record<string, { count: number; bytes: number }>;
}

export const TRACE = 'window.__uiTrace';

/**
 * Notes, before the app's own scripts run, when the page sends each request and first sees each
 * job phase on the WebSocket, and when the upload is sent and answered. Only the head of each
 * message is searched (no second JSON parse of large results), so the page works as it would.
 */
export const TRACE_WIRE = `(() => {
  const trace = { marks: {}, events: {} };
  window.__uiTrace = trace;
  // Only what follows the drop (the bench's DROP_FILE notes its time).
  const dropped = () => Boolean(window.__uiBench && window.__uiBench.dropAt);
  const once = (what) => { if (dropped() && !(what in trace.marks)) trace.marks[what] = performance.now(); };
  const Native = window.WebSocket;
  class TracedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const text = typeof e.data === 'string' ? e.data : '';
        const head = text.slice(0, 400);
        const type = /"type":"job\\/(progress|done|failed)"/.exec(head);
        const method = /"method":"([^"]+)"/.exec(head);
        if (!type || !method || !dropped()) return;
        const m = method[1];
        const seen = trace.events[m] || (trace.events[m] = { count: 0, bytes: 0 });
        seen.count++;
        seen.bytes += text.length;
        if (type[1] !== 'progress') return once(m + ' ' + type[1]);
        const phase = /"phase":"([^"]+)"/.exec(head);
        once(m + ' ' + (phase ? phase[1] : 'progress'));
        if (text.includes('"results":[{')) once(m + ' first results');
      });
    }
    send(data) {
      const method = /"method":"([^"]+)"/.exec(String(data).slice(0, 200));
      if (method) once('send ' + method[1]);
      return super.send(data);
    }
  }
  window.WebSocket = TracedWebSocket;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    once('upload send');
    this.upload.addEventListener('load', () => once('upload body sent'));
    this.addEventListener('load', () => once('upload answered'));
    return send.call(this, body);
  };
})()`;
