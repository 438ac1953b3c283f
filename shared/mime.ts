/** One table of media types by file extension, for every host that serves or stores files. */
const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.parquet': 'application/vnd.apache.parquet',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The media type of a file name or extension (`report.html`, `.html`, `html`); octet-stream if unknown. */
export function mediaType(nameOrExtension: string): string {
  const dot = nameOrExtension.lastIndexOf('.');
  const ext = (dot >= 0 ? nameOrExtension.slice(dot) : `.${nameOrExtension}`).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}
