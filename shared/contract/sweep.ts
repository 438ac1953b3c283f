/**
 * The size sweep: the same analyses at several sizes of one dataset (deterministic samples, and
 * larger generated datasets of the same columns), on Polars and, where a workspace is configured,
 * on Spark; then time against rows fitted per engine, the crossover, and how many rows this
 * machine's memory can hold.
 */
import { z } from 'zod';
import { cleaningOptions } from './analysis';
import { job, request } from './define';
import type { SparkPhases } from './spark';

export type SweepEngine = 'polars' | 'spark';

/** One engine at one size: medians of the repetitions, with their spread. */
export interface SweepPoint {
  engine: SweepEngine;
  /** The size as asked: `10%`, `100%`, `2x`. */
  size: string;
  /** The dataset the point ran on (a sample, the dataset itself, or a grown copy). */
  dataset: string;
  version: number;
  rows: number;
  /** Median over the repetitions. */
  loadMs: number;
  computeMs: number;
  totalMs: number;
  /** Every repetition's load + compute, in ms (the spread). */
  samplesMs: number[];
  /** Median compute time per analysis id. */
  analysesMs: Record<string, number>;
  /** Peak resident memory of the engine process during the point (Polars only). */
  peakRssBytes?: number;
  /** Spark's queue, setup and execution phases (Spark only). */
  phases?: SparkPhases;
  /** A point from the Databricks emulator: shown, labelled, never fitted. */
  emulated?: boolean;
  /** The stored run behind the point (`analysis/get-run` or `spark/get-run`). */
  runIds: string[];
}

/** `log10(ms) = intercept + slope · log10(rows)`, by least squares. */
export interface TimeFit {
  slope: number;
  intercept: number;
  /** Residual standard error in log10 units (0.1 ≈ ±26 %); null with only two sizes. */
  stderrLog10: number | null;
  r2: number | null;
  points: number;
  minRows: number;
  maxRows: number;
  /** The fitted time at one million rows. */
  msPerMillionRows: number;
}

/** `peakRss = baseBytes + bytesPerRow · rows`, by least squares on Polars' points. */
export interface MemoryFit {
  baseBytes: number;
  bytesPerRow: number;
  points: number;
}

export interface SweepAnswer {
  fit: { polars: TimeFit | null; spark: TimeFit | null };
  memory: MemoryFit | null;
  /** Rows beyond which Spark's fitted line is below Polars'; null when the data does not support one. */
  crossoverRows: number | null;
  /** Why there is no crossover (or that it lies outside the measured sizes). */
  crossoverNote: string;
  /** Rows at which Polars' projected peak memory reaches the usable share of this machine's memory. */
  polarsMemoryLimitRows: number | null;
  /** Share of the machine's memory the projection allows (the safety margin is the rest). */
  memoryShare: number;
}

export interface SweepRecord extends SweepAnswer {
  id: string;
  dataset: string;
  version: number;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  sizes: string[];
  engines: SweepEngine[];
  analyses: string[];
  repeat: number;
  machine: { cores: number; memoryBytes: number };
  points: SweepPoint[];
  /** Why Spark points are missing (no workspace, …), with how to add them; null when included or not asked. */
  sparkNote: string | null;
  error: string | null;
}

export type SweepSummary = Pick<SweepRecord, 'id' | 'dataset' | 'version' | 'status' | 'startedAt' | 'finishedAt' | 'sizes' | 'engines'> & {
  points: number;
};

/** `10%` (a sample) or `2x` (grown by the generator); `100%` is the dataset itself. */
export const sweepSize = z
  .string()
  .trim()
  .regex(/^(\d{1,3}(\.\d+)?%|\d{1,3}(\.\d+)?x)$/, 'a size is a percentage of the dataset (10%) or a growth factor (2x)')
  .refine((s) => {
    const n = parseFloat(s);
    return s.endsWith('%') ? n > 0 && n <= 100 : n > 1 && n <= 100;
  }, 'a percentage is in (0, 100], a growth factor in (1, 100]');

export const sweepRequest = z.object({
  dataset: z.string().trim().min(1).max(120),
  version: z.number().int().positive().optional(),
  sizes: z.array(sweepSize).min(1).max(20).default(['10%', '30%', '100%']),
  /** Default: Polars, and Spark when a workspace is configured. */
  engines: z
    .array(z.enum(['polars', 'spark']))
    .min(1)
    .optional(),
  /** Catalog ids; default: every applicable analysis. */
  analyses: z.array(z.string().min(1)).max(500).optional(),
  /** Polars repetitions per point (the spread); Spark runs once per point with this many repeats inside. */
  repeat: z.number().int().min(1).max(20).default(3),
  /** Sample seed: the same seed gives the same rows. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(20180101),
  cleaning: cleaningOptions.default({ sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true }),
  /** Spark compute (default: the configured cluster, else serverless). */
  compute: z
    .string()
    .trim()
    .regex(/^(serverless|local|cluster:[A-Za-z0-9._-]+)$/)
    .optional(),
});

export const sweepMethods = {
  'sweep/run': job<SweepRecord>()(sweepRequest),
  'sweep/list': request<SweepSummary[]>()(
    z.object({ dataset: z.string().trim().min(1).max(120).optional(), limit: z.number().int().min(1).max(200).default(20) }),
  ),
  'sweep/get': request<SweepRecord>()(z.object({ sweepId: z.string().min(1).max(100) })),
};

/** Databricks' emulator answers on loopback; no real workspace does. Its runs are labelled emulated. */
export function isEmulatorHost(host: string | null | undefined): boolean {
  if (!host) return false;
  try {
    const name = new URL(host).hostname;
    return name === 'localhost' || name === '[::1]' || /^127\./.test(name);
  } catch {
    return false;
  }
}
