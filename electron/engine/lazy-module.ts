/**
 * A heavy dependency loaded on first use instead of at start, so a command or a request that does
 * not need it does not pay for it (ECharts, the MinIO client and ExcelJS take seconds to load
 * together, and `sparkpolar datasets` needs none of them). Synchronous: the callers stay as they are.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
