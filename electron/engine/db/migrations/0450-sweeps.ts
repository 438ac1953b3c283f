import type { Migration } from './index';

/** Size sweeps: the request, every point and the computed answer, one document per sweep. */
export const m0450_sweeps: Migration = {
  version: 450,
  name: 'sweeps',
  sql: `
    CREATE TABLE studio.sweeps (
      id text PRIMARY KEY,
      dataset text NOT NULL,
      status text NOT NULL,
      started_at timestamptz NOT NULL,
      record jsonb NOT NULL
    );
    CREATE INDEX sweeps_dataset ON studio.sweeps (dataset, started_at DESC);
  `,
};
