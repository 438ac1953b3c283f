/**
 * Object storage (MinIO / any S3 endpoint): publish an analysis run, list the runs in the bucket,
 * reopen one (every object verified against its manifest), download, delete, and the queue of
 * publishes waiting for storage to come back.
 *
 * Layout: `<bucket>/<dataset>/<version>/<run-id>/` holding `results/<analysis>.parquet|.csv`,
 * `charts/<analysis>.svg|.png`, `report.html`, optionally `dataset/<dataset>.parquet`, and
 * `manifest.json`, written last: a run without a manifest is incomplete.
 */
import { z } from 'zod';
import type { ErrorData } from '../errors';
import type { DatasetColumn } from '../types';
import type { AnalysisTimings, CleaningOptions, ResultTable } from './analysis';
import { job, request } from './define';

export const MANIFEST_FORMAT = 'sparkpolar-run/1';

export type StoredObjectRole = 'result-parquet' | 'result-csv' | 'chart' | 'report' | 'dataset';

export interface StoredObject {
  /** Full key inside the bucket. */
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  role: StoredObjectRole;
  analysisId?: string;
}

export interface ManifestAnalysis {
  id: string;
  status: 'ok' | 'not-applicable' | 'failed';
  params: Record<string, unknown>;
  timings: AnalysisTimings;
  rowsIn: number;
  rowsOut: number;
  reason?: string;
  error?: ErrorData;
}

/** `manifest.json`: what was published, from what, with which versions, and every object's checksum. */
export interface RunManifest {
  format: typeof MANIFEST_FORMAT;
  publishedAt: string;
  app: { name: string; version: string };
  bucket: string;
  prefix: string;
  dataset: {
    name: string;
    version: number;
    rows: number;
    columns: DatasetColumn[];
    sourceSha256: string | null;
    sourceBytes: number | null;
    importedAt: string | null;
    rejected: number;
  };
  run: {
    runId: string;
    engine: string;
    startedAt: string;
    cleaning: CleaningOptions | Record<string, unknown>;
    rows: number;
    loadSource: string;
  };
  /** Engine, libraries and runtime versions (the run's own plus the publisher's). */
  versions: Record<string, string>;
  timings: { loadMs: number; totalMs: number; publishPrepareMs: number; publishUploadMs: number };
  analyses: ManifestAnalysis[];
  /** Every object of the run except the manifest itself. */
  objects: StoredObject[];
}

/** A run found in the bucket. */
export interface RemoteRun {
  dataset: string;
  version: number;
  runId: string;
  prefix: string;
  /** False when `manifest.json` is missing: the publish did not finish; it can be cleaned up. */
  complete: boolean;
  objects: number;
  bytes: number;
  /** From the manifest when complete, else the newest object's time. */
  publishedAt: string | null;
  startedAt?: string;
  engine?: string;
  analyses?: number;
  /** The manifest exists but could not be read. */
  manifestError?: string;
}

export interface PublishResult {
  /** `queued` when storage was unreachable: the publish is kept in PostgreSQL and retried. */
  status: 'published' | 'queued';
  queueId: number;
  dataset: string;
  version: number;
  runId: string;
  bucket: string;
  prefix: string;
  objects: number;
  bytes: number;
  /** Objects sent this time; `skipped` were already there with the same checksum (a resumed publish). */
  uploaded: number;
  skipped: number;
  manifestKey: string | null;
  durationMs: number;
  error?: ErrorData;
}

export interface ObjectCheck {
  key: string;
  expectedSha256: string;
  actualSha256: string | null;
  expectedSize: number;
  actualSize: number | null;
  ok: boolean;
}

export interface OpenedResult {
  id: string;
  status: ManifestAnalysis['status'];
  table: ResultTable | null;
  chart?: { type: 'svg'; svg: string } | { type: 'png'; pngBase64: string };
}

export interface OpenedRun {
  manifest: RunManifest;
  checks: ObjectCheck[];
  results: OpenedResult[];
  reportKey: string | null;
}

export type QueueState = 'queued' | 'publishing' | 'failed' | 'done';

export interface PublishQueueItem {
  id: number;
  dataset: string;
  version: number | null;
  runId: string;
  includeDataset: boolean;
  charts: number;
  state: QueueState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: ErrorData | null;
  createdAt: string;
  updatedAt: string;
  prefix: string | null;
}

export interface StorageConfigView {
  configured: boolean;
  source: 'settings' | 'environment' | null;
  endpoint?: string;
  bucket?: string;
  accessKey?: string;
  region?: string;
  missing: string[];
}

export interface StorageTestResult {
  ok: true;
  endpoint: string;
  bucket: string;
  bucketExists: boolean;
  latencyMs: number;
}

const datasetName = z.string().trim().min(1).max(120);
const runId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'a run id holds letters, digits, . _ : -');
const runRef = z.object({ dataset: datasetName, version: z.number().int().positive(), runId });

const chartImage = z
  .object({
    analysisId: z.string().min(1).max(200),
    svg: z.string().max(8_000_000).optional(),
    pngBase64: z
      .string()
      .max(16_000_000)
      .regex(/^[A-Za-z0-9+/=\s]*$/, 'not base64')
      .optional(),
  })
  .refine((c) => Boolean(c.svg) !== Boolean(c.pngBase64), 'give either svg or pngBase64');
export type ChartImage = z.output<typeof chartImage>;

export const storageMethods = {
  /** Publishes a persisted analysis run (the dataset's latest by default). */
  'storage/publish': job<PublishResult>()(
    z.object({
      dataset: datasetName,
      runId: runId.optional(),
      includeDataset: z.boolean().default(false),
      /** Chart images the UI rendered; analyses without one get a server-rendered SVG when possible. */
      charts: z.array(chartImage).max(500).default([]),
    }),
  ),
  'storage/runs': request<RemoteRun[]>()(z.object({ dataset: datasetName.optional() }).default({})),
  /** Reads a published run back and checks every object against the manifest (S3_INTEGRITY otherwise). */
  'storage/open': job<OpenedRun>()(runRef.extend({ verifyDataset: z.boolean().default(true) })),
  'storage/download': job<{ folder: string; files: number; bytes: number }>()(runRef.extend({ folder: z.string().min(1) })),
  /** Removes every object of a run, complete or not. */
  'storage/delete': request<{ deleted: number }>()(runRef),
  'storage/queue': request<PublishQueueItem[]>()(z.object({ includeDone: z.boolean().default(false) }).default({ includeDone: false })),
  /** Retries queued or failed publishes now (one by id, or all). */
  'storage/queue-retry': request<{ scheduled: number }>()(z.object({ id: z.number().int().positive().optional() }).default({})),
  'storage/queue-remove': request<{ removed: boolean }>()(z.object({ id: z.number().int().positive() })),
  'storage/config': request<StorageConfigView>()(z.object({}).default({})),
  /** Tests the connection with the saved configuration, or with the fields given (Settings form). */
  'storage/test': request<StorageTestResult>()(
    z
      .object({
        endpoint: z.string().trim().max(2048).optional(),
        useTLS: z.boolean().optional(),
        region: z.string().trim().max(100).optional(),
        accessKey: z.string().max(512).optional(),
        secretKey: z.string().max(4096).optional(),
        bucket: z.string().trim().max(63).optional(),
        allowInsecureHttp: z.boolean().optional(),
      })
      .default({}),
  ),
};
