/**
 * The benchmark's result document (the JSON file `sparkpolar bench` writes). Every ratio names
 * the measurements it is computed from, so anyone can recompute it from the recorded samples.
 */

export const SECTION_NAMES = [
  'import',
  'load',
  'analyze',
  'drop',
  'ui',
  'small',
  'catalog',
  'browse',
  'export',
  'memory',
  'startup',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export type Unit = 's' | 'MB' | 'kB';

/** One timed thing (the product or a peer), with every sample kept. */
export type Measurement =
  | {
      id: string;
      label: string;
      available: true;
      unit: Unit;
      /** Seconds (or MB, kB) per repetition, warm-up excluded, in the order they ran. */
      samples: number[];
      min: number;
      median: number;
      /** Rows the measured operation processed (for throughputs). */
      rows?: number;
      bytes?: number;
      warmup: number;
      /** Anything worth keeping: how the peer was made fair, product-reported timings, … */
      notes?: Record<string, unknown>;
      /**
       * The whole machine's CPU during each timed sample's run (every process: the engine,
       * PostgreSQL, the browser, a peer), beside `samples`: `seconds` of CPU time, and `busy`, the
       * share of all cores used over the run's wall time (near 1: the run was bound by the CPU,
       * and only less work, not more overlap, makes it faster).
       */
      cpu?: { seconds: number[]; busy: number[] };
    }
  | {
      id: string;
      label: string;
      available: false;
      /** "not available: <why>" (a missing peer or product function) or "failed: <error>". */
      reason: string;
    };

export type AvailableMeasurement = Extract<Measurement, { available: true }>;

/**
 * How a ratio's value follows from the measurements:
 * - `throughput`: (product.rows / median(product)) / (peer.rows / median(peer)). Higher is better.
 * - `time`: median(product) / median(peer). Lower is better.
 * - `rate`: of.rows / median(of), rows per second. Higher is better.
 * - `median`: median(of) in its unit (seconds, MB, kB). Lower is better.
 * - `median-ms`: median(of) of a measurement in seconds, in milliseconds. Lower is better.
 * - `p95` / `p50`: that percentile of of's samples, in milliseconds. Lower is better.
 * - `sum-time`: sum of medians of `product` / sum of medians of `peer`. Lower is better.
 */
export type RatioFormula =
  | { kind: 'throughput'; product: string; peer: string }
  | { kind: 'time'; product: string; peer: string }
  | { kind: 'rate'; of: string }
  | { kind: 'median'; of: string }
  | { kind: 'median-ms'; of: string }
  | { kind: 'p95' | 'p50'; of: string }
  | { kind: 'sum-time'; product: string[]; peer: string[] };

export interface Ratio {
  name: string;
  /** null when a measurement it needs is not available. */
  value: number | null;
  /** null for informative figures without a target. */
  target: number | null;
  /** `>=`: value must be at least target; `<=`: at most. */
  comparison: '>=' | '<=';
  met: boolean | null;
  unit: 'x' | 's' | 'ms' | 'MB' | 'kB' | 'rows/s';
  formula: RatioFormula;
  description: string;
  /** Why value is null. */
  reason?: string;
}

export interface SectionResult {
  name: SectionName;
  status: 'ok' | 'partial' | 'not available' | 'skipped';
  reason?: string;
  measurements: Measurement[];
  /** Section facts (dataset names, views, counts) that help reading the numbers. */
  facts?: Record<string, unknown>;
}

export interface MachineInfo {
  hostname: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryMB: number;
  loadAverageAtStart: number[];
}

export interface BenchReport {
  format: 'sparkpolar-bench/1';
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  smoke: boolean;
  protocol: { warmup: number; repetitions: number; browsePages: number; pandasRowCap: number };
  machine: MachineInfo;
  versions: Record<string, string>;
  data: { file: string; rows: number; bytes: number; seed: number | null; generated: boolean };
  sections: SectionResult[];
  ratios: Ratio[];
}
