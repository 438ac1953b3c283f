/**
 * How a CLI command shows a job's progress on stderr: one line rewritten in place on a
 * terminal, a line every two seconds when stderr is a file or a pipe (so logs stay readable),
 * nothing with --json (stdout then carries the one JSON document and stderr stays quiet).
 */
import type { JobProgress } from '../../shared/api';
import { formatByteSize } from '../../shared/format';

const LOG_INTERVAL_MS = 2000;

/** One progress report as a line: what is happening, how far, and how fast. */
export function progressLine(p: JobProgress): string {
  const parts = [p.message ?? p.phase ?? ''];
  if (p.total) {
    const done = p.done ?? 0;
    const pct = Math.floor((100 * done) / p.total);
    const amount =
      p.unit === 'bytes'
        ? `${formatByteSize(done, 'en')} of ${formatByteSize(p.total, 'en')}`
        : `${done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}${p.unit ? ` ${p.unit}` : ''}`;
    parts[0] = `${parts[0]}: ${pct}% (${amount})`;
  }
  if (p.rows !== undefined) parts.push(`${p.rows.toLocaleString('en-US')} rows`);
  if (p.rowsPerSecond) parts.push(`${p.rowsPerSecond.toLocaleString('en-US')} rows/s`);
  if (p.etaSeconds !== undefined && p.phase !== 'commit') parts.push(`ETA ${Math.ceil(p.etaSeconds)} s`);
  return parts.join(', ');
}

export interface ProgressPrinter {
  onProgress: (p: JobProgress) => void;
  /** Clears the live line; call once the job has answered, whether it succeeded or not. */
  done: () => void;
}

export function progressPrinter(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressPrinter {
  const live = !json && Boolean(stream.isTTY);
  let lastLogged = 0;
  return {
    onProgress: (p) => {
      if (json) return;
      if (live) stream.write(`\r\x1b[K${progressLine(p)}`);
      else if (Date.now() - lastLogged > LOG_INTERVAL_MS) {
        lastLogged = Date.now();
        stream.write(`${progressLine(p)}\n`);
      }
    },
    done: () => {
      if (live) stream.write('\r\x1b[K');
    },
  };
}
