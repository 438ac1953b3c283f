/**
 * The measuring protocol of PERFORMANCE.md: warm-up, then repetitions; min and median kept with
 * every sample. A product function or peer that cannot run becomes an unavailable measurement
 * with its reason, never an exception that stops the benchmark.
 */
import os from 'node:os';
import { StudioError } from '../../shared/errors';
import { machineBusyCpuSeconds } from './cpu';
import type { AvailableMeasurement, Measurement, Unit } from './types';

export interface Protocol {
  warmup: number;
  repetitions: number;
}

/** Thrown by a probe or a run to say the thing measured does not exist here (no psql, no pandas…). */
export class NotAvailable extends Error {}

export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100): the smallest sample with at least p % at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function unavailable(id: string, label: string, err: unknown): Measurement {
  const message = err instanceof Error ? err.message : String(err);
  const reason = err instanceof NotAvailable ? `not available: ${message}` : `failed: ${message.split('\n')[0]}`;
  return { id, label, available: false, reason };
}

export function fromSamples(
  id: string,
  label: string,
  samples: number[],
  extra: {
    unit?: Unit;
    warmup?: number;
    rows?: number;
    bytes?: number;
    notes?: Record<string, unknown>;
    cpu?: { seconds: number[]; busy: number[] };
  } = {},
): AvailableMeasurement {
  const m: AvailableMeasurement = {
    id,
    label,
    available: true,
    unit: extra.unit ?? 's',
    samples,
    min: Math.min(...samples),
    median: median(samples),
    warmup: extra.warmup ?? 0,
  };
  if (extra.rows !== undefined) m.rows = extra.rows;
  if (extra.bytes !== undefined) m.bytes = extra.bytes;
  if (extra.notes) m.notes = extra.notes;
  if (extra.cpu?.seconds.length === samples.length) m.cpu = extra.cpu;
  return m;
}

export interface Contender {
  id: string;
  label: string;
  /** Untimed work before each run (drop the previous table, delete the previous file, checkpoint). */
  before?: () => Promise<void>;
  /** The timed work. May return the seconds it measured itself (a Python peer timing only its own work). */
  run: () => Promise<number | void>;
  /** Untimed work after each run. */
  after?: () => Promise<void>;
  rows?: number | (() => number | undefined);
  bytes?: number;
  notes?: () => Record<string, unknown> | undefined;
}

export interface MeasureHooks {
  onSample?: (contender: Contender, seconds: number, round: number, warmup: boolean) => void;
  signal?: AbortSignal;
}

/**
 * Times contenders in interleaved rounds (A B C, A B C, …): on a shared, noisy machine, a burst
 * of load then hits every contender alike instead of one contender's whole series. The first
 * `warmup` rounds are not kept. A contender that throws is dropped with its reason; the others go on.
 */
export async function measureAll(protocol: Protocol, contenders: Contender[], hooks: MeasureHooks = {}): Promise<Measurement[]> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.id, []]));
  const cpu = new Map(contenders.map((c) => [c.id, { seconds: [] as number[], busy: [] as number[] }]));
  const cores = os.availableParallelism();
  const failed = new Map<string, Measurement>();
  const rounds = protocol.warmup + protocol.repetitions;
  for (let round = 0; round < rounds; round++) {
    const warm = round < protocol.warmup;
    for (const c of contenders) {
      if (failed.has(c.id)) continue;
      if (hooks.signal?.aborted) throw new StudioError('CANCELLED', 'Benchmark cancelled.');
      try {
        await c.before?.();
        const busyBefore = machineBusyCpuSeconds();
        const started = process.hrtime.bigint();
        const reported = await c.run();
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        const busyAfter = machineBusyCpuSeconds();
        await c.after?.();
        const seconds = typeof reported === 'number' ? reported : elapsed;
        hooks.onSample?.(c, seconds, round, warm);
        if (!warm) {
          samples.get(c.id)!.push(seconds);
          if (busyBefore !== null && busyAfter !== null && elapsed > 0) {
            const used = busyAfter - busyBefore;
            cpu.get(c.id)!.seconds.push(Math.round(used * 100) / 100);
            cpu.get(c.id)!.busy.push(Math.round((used / (elapsed * cores)) * 1000) / 1000);
          }
        }
      } catch (err) {
        failed.set(c.id, unavailable(c.id, c.label, err));
      }
    }
  }
  return contenders.map((c) => {
    const f = failed.get(c.id);
    if (f) return f;
    const rows = typeof c.rows === 'function' ? c.rows() : c.rows;
    return fromSamples(c.id, c.label, samples.get(c.id)!, {
      warmup: protocol.warmup,
      rows,
      bytes: c.bytes,
      notes: c.notes?.(),
      cpu: cpu.get(c.id)!,
    });
  });
}
