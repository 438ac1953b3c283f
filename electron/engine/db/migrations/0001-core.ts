import type { Migration } from './index';

export const m0001_core: Migration = {
  version: 1,
  name: 'core schemas',
  sql: `
    CREATE SCHEMA IF NOT EXISTS data;
    CREATE TABLE studio.app_info (key text PRIMARY KEY, value jsonb NOT NULL);
    INSERT INTO studio.app_info (key, value) VALUES ('created_at', to_jsonb(now()));
  `,
};
