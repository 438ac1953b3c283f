/**
 * Peak resident memory of this process during one sweep point. On Linux the kernel's high-water
 * mark (VmHWM) is reset before the point (`/proc/self/clear_refs`, "5") and read after it, which
 * catches peaks inside native Polars calls that no JS timer could sample. Elsewhere the peak is
 * the largest RSS seen at the samples the point takes between its steps.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Frees what earlier points left for the garbage collector (Polars frames hold native memory until
 * their JS wrappers are collected), so one point's peak is not the previous point's garbage.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

function readHighWaterMark(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function resetHighWaterMark(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export interface PeakMeter {
  /** Call between steps (after a load, after each analysis). */
  sample(): void;
  /** The peak since the meter started, in bytes. */
  peak(): number;
}

export function startPeakMeter(): PeakMeter {
  collectGarbage();
  const kernel = resetHighWaterMark() && readHighWaterMark() !== null;
  let peak = process.memoryUsage.rss();
  return {
    sample() {
      peak = Math.max(peak, process.memoryUsage.rss());
    },
    peak() {
      this.sample();
      return kernel ? Math.max(peak, readHighWaterMark() ?? 0) : peak;
    },
  };
}
