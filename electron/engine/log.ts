/**
 * The engine's logger: one JSON line per entry, secrets redacted before anything is written.
 * Hosts choose the sink (stderr for the CLI, a rotated file in the desktop app).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

const SECRET_KEYS = /pass(word)?|secret|token|authorization|access[_-]?key|credential/i;

/** Replaces secret-looking values and URL passwords; used on every field before logging. */
export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key && SECRET_KEYS.test(key)) return value ? '[redacted]' : value;
    return value
      .replace(/(\w+:\/\/[^:/\s]+:)[^@\s]+@/g, '$1[redacted]@')
      .replace(/\b(dapi[0-9a-f]{8,})\b/gi, '[redacted]')
      .replace(/(Bearer\s+)\S+/gi, '$1[redacted]');
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', scope = 'engine'): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const entry = { t: new Date().toISOString(), level, scope, msg: redact(message), ...(fields ? (redact(fields) as object) : {}) };
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = createLogger(() => undefined, 'error');
