import type { Migration } from './index';

/**
 * Analysis runs (the whole run as JSON, plus the columns lists filter on) and the result cache,
 * keyed by dataset version, analysis, parameters and cleaning options. Cache entries go with the
 * dataset version they were computed from; runs stay as history.
 */
export const m0200_analysisRuns: Migration = {
  version: 200,
  name: 'analysis runs and result cache',
  sql: `
    CREATE TABLE studio.analysis_runs (
      run_id uuid PRIMARY KEY,
      dataset text NOT NULL,
      version integer NOT NULL,
      started_at timestamptz NOT NULL,
      total_ms double precision NOT NULL,
      analyses integer NOT NULL,
      failed integer NOT NULL,
      run jsonb NOT NULL
    );
    CREATE INDEX analysis_runs_by_dataset ON studio.analysis_runs (dataset, started_at DESC);
    CREATE INDEX analysis_runs_by_time ON studio.analysis_runs (started_at DESC);
    CREATE TABLE studio.analysis_cache (
      cache_key text PRIMARY KEY,
      table_name text NOT NULL REFERENCES studio.dataset_versions(table_name) ON DELETE CASCADE,
      analysis text NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX analysis_cache_by_table ON studio.analysis_cache (table_name);
  `,
};
