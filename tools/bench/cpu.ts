/** How busy the machine's CPUs were during a measurement (Linux). */
import fs from 'node:fs';

/** Linux's clock ticks per second for /proc/stat (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds the whole machine has been busy since boot (user, nice, system, irq, softirq; not
 * idle, iowait or time stolen by a hypervisor), from /proc/stat; null where there is none.
 */
export function machineBusyCpuSeconds(): number | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user, nice, system, (idle, iowait), irq, softirq
    const busy = [0, 1, 2, 5, 6].map((i) => fields[i] ?? Number.NaN);
    return busy.every(Number.isFinite) ? busy.reduce((a, b) => a + b, 0) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
