import type { Migration } from './index';

/** The dataset catalog: a name, its versions, and which version is current. */
export const m0100_catalog: Migration = {
  version: 100,
  name: 'dataset catalog',
  sql: `
    CREATE TABLE studio.datasets (
      id bigserial PRIMARY KEY,
      name text NOT NULL UNIQUE,
      current_version integer,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE studio.dataset_versions (
      dataset_id bigint NOT NULL REFERENCES studio.datasets(id) ON DELETE CASCADE,
      version integer NOT NULL,
      table_name text NOT NULL UNIQUE,
      source_path text,
      source_bytes bigint,
      sha256 text,
      rows bigint NOT NULL,
      columns jsonb NOT NULL,
      rejected_rows bigint NOT NULL DEFAULT 0,
      rejects_path text,
      options jsonb NOT NULL DEFAULT '{}'::jsonb,
      imported_at timestamptz NOT NULL DEFAULT now(),
      duration_ms integer,
      PRIMARY KEY (dataset_id, version)
    );
  `,
};
