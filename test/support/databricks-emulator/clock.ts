/**
 * The emulator's own time. `scaled`: real time multiplied (a 20-second cluster setup passes in
 * 200 ms at scale 100). `manual`: frozen until a test advances it. Both can be advanced.
 */
export type ClockMode = { mode: 'scaled'; scale: number } | { mode: 'manual' };

export class EmulatorClock {
  private readonly realStart = Date.now();
  private readonly start = Date.parse('2026-01-15T09:00:00Z');
  private offset = 0;

  constructor(readonly config: ClockMode = { mode: 'scaled', scale: 1 }) {}

  /** Emulated epoch milliseconds. */
  now(): number {
    const real = this.config.mode === 'scaled' ? (Date.now() - this.realStart) * this.config.scale : 0;
    return Math.round(this.start + real + this.offset);
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}
