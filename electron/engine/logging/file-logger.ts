/**
 * Structured JSON-lines logs in `<userData>/logs/`: one rotated file per process (`main.log`,
 * `engine.log`). Every entry goes through the engine logger, which redacts secrets first.
 */
import path from 'node:path';
import { createLogger, type LogLevel, type Logger } from '../log';
import { rotatingFileSink, type RotatingFileSink } from './rotating-file';

export const LOGS_FOLDER = 'logs';

export function logsDir(userData: string): string {
  return path.join(userData, LOGS_FOLDER);
}

export interface FileLogger extends Logger {
  readonly file: string;
  close(): void;
}

export function createFileLogger(options: {
  dir: string;
  name: 'main' | 'engine' | (string & {});
  level?: LogLevel;
  maxBytes?: number;
  keep?: number;
  /** Also copy each line here (stderr in development). */
  echo?: (line: string) => void;
}): FileLogger {
  const sink: RotatingFileSink = rotatingFileSink({
    dir: options.dir,
    name: options.name,
    maxBytes: options.maxBytes ?? 5 * 1024 * 1024,
    keep: options.keep ?? 5,
  });
  const echo = options.echo;
  const logger = createLogger(
    (line) => {
      sink(line);
      echo?.(line);
    },
    options.level ?? 'info',
    options.name,
  );
  return { ...logger, file: sink.file, close: () => sink.close() };
}
