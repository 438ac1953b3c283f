import { z } from 'zod';
import { request } from './define';

export interface DatabaseInfo {
  mode: 'embedded' | 'external';
  /** The server's own `SELECT version()` answer, or null when it could not be reached. */
  serverVersion: string | null;
  /** `server_version` setting, e.g. `18.1`. */
  version: string | null;
  /** Where it runs, with any password removed. */
  location: string;
  /** Whether this process started the embedded server (false when it joined a running one). */
  startedHere?: boolean;
  error?: string;
}

export interface SystemInfo {
  app: { name: string; version: string };
  node: string;
  electron: { declared: string; running: string | null };
  polars: string;
  platform: { os: string; arch: string; cpus: number; memoryBytes: number };
  home: string;
  database: DatabaseInfo;
  /** `missing`: what stands in for a missing credential (and why one from the environment is not used). */
  storage: { configured: boolean; endpoint?: string; bucket?: string; missing?: string[] };
  /** `problem`: why Databricks is not configured, when it is not. */
  databricks: { configured: boolean; host?: string; auth?: string; source?: string; problem?: string };
  host: 'electron' | 'browser' | 'cli' | 'test';
}

export const systemMethods = {
  'system/info': request<SystemInfo>()(z.object({}).default({})),
  'system/ping': request<{ pong: true; at: string }>()(z.object({}).default({})),
};
