import type { Migration } from './index';

/**
 * Publishes to object storage, kept until they are done: a publish that found storage down waits
 * here (state `queued`, `next_attempt_at`) and survives a restart. One active entry per run.
 */
export const m0300_publishQueue: Migration = {
  version: 300,
  name: 'storage publish queue',
  sql: `
    CREATE TABLE studio.publish_queue (
      id bigserial PRIMARY KEY,
      dataset text NOT NULL,
      version integer,
      run_id text NOT NULL,
      include_dataset boolean NOT NULL DEFAULT false,
      charts jsonb NOT NULL DEFAULT '[]'::jsonb,
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'publishing', 'failed', 'done')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_error jsonb,
      endpoint text,
      bucket text,
      prefix text,
      result jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX publish_queue_one_active_per_run ON studio.publish_queue (run_id) WHERE state IN ('queued', 'publishing', 'failed');
    CREATE INDEX publish_queue_due ON studio.publish_queue (next_attempt_at) WHERE state = 'queued';
  `,
};
