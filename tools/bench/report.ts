/** The human report: every measurement (median, min, samples) and every ratio against its target. */
import { median } from './protocol';
import type { BenchReport, Measurement, Ratio } from './types';

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_c, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const last = widths.length - 1;
  return cells.map((r) =>
    r
      .map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function formatNumber(value: number, unit: string): string {
  if (unit === 'rows/s') return `${Math.round(value).toLocaleString('en-US')} rows/s`;
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  if (unit === 'kB') return `${value.toFixed(0)} kB`;
  if (unit === 's') return `${value < 1 ? value.toFixed(3) : value.toFixed(2)} s`;
  return `${value.toFixed(2)}×`;
}

export function ratioLine(r: Ratio): string[] {
  const value = r.value === null ? 'n/a' : formatNumber(r.value, r.unit);
  const target = r.target === null ? '—' : `${r.comparison} ${formatNumber(r.target, r.unit)}`;
  const verdict = r.met === null ? (r.value === null ? (r.reason ?? 'not available') : 'context') : r.met ? 'met' : 'MISSED';
  return [r.name, value, target, verdict];
}

/** The median share of the machine's cores in use during the samples' runs (see `Measurement.cpu`). */
export function cpuBusy(m: Measurement): number | null {
  return m.available && m.cpu?.busy.length ? median(m.cpu.busy) : null;
}

function measurementLine(m: Measurement): string[] {
  if (!m.available) return [m.id, '', '', '', '', m.reason];
  const unit = m.unit;
  const rate = m.rows && m.unit === 's' && m.rows > 1000 ? `${Math.round(m.rows / m.median).toLocaleString('en-US')} rows/s` : '';
  const busy = cpuBusy(m);
  return [
    m.id,
    formatNumber(m.median, unit),
    formatNumber(m.min, unit),
    String(m.samples.length),
    busy === null ? '' : `${Math.round(busy * 100)} %`,
    rate,
  ];
}

export function renderReport(report: BenchReport): string {
  const lines: string[] = [];
  const d = report.data;
  lines.push(
    `SparkPolar benchmark — ${d.rows.toLocaleString('en-US')} rows, ${(d.bytes / 1024 / 1024).toFixed(1)} MB (${d.file})`,
    `machine: ${report.machine.cpuModel}, ${report.machine.cores} cores, ${(report.machine.memoryMB / 1024).toFixed(1)} GB; ` +
      `load average at start ${report.machine.loadAverageAtStart.join(' ')}`,
    `versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `protocol: ${report.protocol.warmup} warm-up + ${report.protocol.repetitions} repetition(s), interleaved${report.smoke ? ' (smoke run: numbers are not meaningful)' : ''}`,
    '',
  );
  for (const s of report.sections) {
    lines.push(`[${s.name}] ${s.status}${s.reason ? `: ${s.reason}` : ''}`);
    if (s.measurements.length)
      lines.push(
        ...pad([
          ['  measurement', 'median', 'min', 'n', 'CPU busy', ''],
          ...s.measurements.map((m) => ['  ' + m.id, ...measurementLine(m).slice(1)]),
        ]),
      );
    lines.push('');
  }
  lines.push('Ratios (targets from PERFORMANCE.md)');
  lines.push(...pad([['  ratio', 'value', 'target', 'verdict'], ...report.ratios.map((r) => ['  ' + r.name, ...ratioLine(r).slice(1)])]));
  const met = report.ratios.filter((r) => r.met === true).length;
  const judged = report.ratios.filter((r) => r.met !== null).length;
  lines.push(
    '',
    `${met} of ${judged} targets met; ${report.ratios.filter((r) => r.target !== null && r.value === null).length} not measured. Took ${report.durationSeconds.toFixed(0)} s.`,
  );
  return lines.join('\n');
}
