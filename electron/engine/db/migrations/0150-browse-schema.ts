import type { Migration } from './index';

/**
 * The schema of browse row maps (electron/engine/browse/row-maps.ts): one unlogged table per
 * sorted and filtered view, mapping page positions to row ids. The maps themselves are a cache,
 * built on demand and dropped with their dataset version.
 */
export const m0150_browseSchema: Migration = {
  version: 150,
  name: 'browse row-map schema',
  sql: `CREATE SCHEMA IF NOT EXISTS browse;`,
};
