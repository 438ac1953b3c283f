import type { Migration } from './index';

/** Spark runs on Databricks (or local spark-submit) and their per-analysis timings and checks. */
export const m0400_sparkRuns: Migration = {
  version: 400,
  name: 'spark runs',
  sql: `
    CREATE TABLE studio.spark_runs (
      id text PRIMARY KEY,
      dataset text NOT NULL,
      dataset_version integer NOT NULL,
      status text NOT NULL,
      compute text NOT NULL,
      format text NOT NULL,
      repeat integer NOT NULL,
      cleaning jsonb NOT NULL,
      analysis_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
      host text,
      databricks_run_id text,
      task_run_id text,
      run_page_url text,
      life_cycle_state text,
      result_state text,
      state_message text,
      queue_ms bigint,
      setup_ms bigint,
      execution_ms bigint,
      cleanup_ms bigint,
      run_ms bigint,
      load_ms double precision,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      storage jsonb,
      cluster jsonb NOT NULL DEFAULT '{}'::jsonb,
      runtime jsonb NOT NULL DEFAULT '{}'::jsonb,
      rows bigint,
      bytes bigint,
      sha256 text,
      polars_run_id text,
      verdict jsonb,
      error jsonb,
      error_trace text
    );
    CREATE INDEX spark_runs_dataset_started ON studio.spark_runs (dataset, started_at DESC);
    CREATE TABLE studio.spark_run_analyses (
      spark_run_id text NOT NULL REFERENCES studio.spark_runs(id) ON DELETE CASCADE,
      analysis_id text NOT NULL,
      position integer NOT NULL,
      status text NOT NULL,
      samples_ms jsonb NOT NULL DEFAULT '[]'::jsonb,
      spark_ms double precision,
      polars_ms double precision,
      match boolean,
      differences jsonb NOT NULL DEFAULT '[]'::jsonb,
      rows_out bigint,
      result jsonb,
      polars_result jsonb,
      error text,
      error_trace text,
      PRIMARY KEY (spark_run_id, analysis_id)
    );
  `,
};
