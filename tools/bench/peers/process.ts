/** Running peer tools (psql, python) and product CLI children, with their output and peak memory. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotAvailable } from '../protocol';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child in MB, when it reported one (see `withPeakRss`). */
  peakRssMB?: number;
}

export interface RunProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Keep at most this many characters of stdout (the rest is drained). */
  maxStdout?: number;
}

/** Runs a command to completion. A missing executable becomes NotAvailable. */
export function runProcess(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const maxStdout = options.maxStdout ?? 4_000_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < maxStdout) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 200_000) stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') reject(new NotAvailable(`${command} not found`));
      else reject(err);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Like runProcess, but a non-zero exit is an error carrying the tool's own message. */
export async function runChecked(command: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const result = await runProcess(command, args, options);
  if (result.code !== 0) {
    const message = (result.stderr.trim() || result.stdout.trim() || `exit status ${result.code}`).split('\n').slice(-3).join(' ');
    throw new Error(`${path.basename(command)}: ${message}`);
  }
  return result;
}

/**
 * A Node `--import` hook (as a data: URL, so no file ships for it) that writes the process's peak
 * resident memory, in KB, to $SPARKPOLAR_BENCH_RSS_FILE when the process exits. On Linux it is the
 * VmHWM of /proc/self/status: getrusage's maxRSS survives exec, so a child spawned (forked) by a
 * benchmark process holding gigabytes reported that process's size, not its own (5.3 GB at 10 M
 * rows for the catalog's engine child, which peaked at 2.9–3.8 GB run on its own).
 */
const PEAK_RSS_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import fs from 'node:fs';const f=process.env.SPARKPOLAR_BENCH_RSS_FILE;" +
      'const hwm=()=>{try{return Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync("/proc/self/status","utf8"))[1])}catch{return process.resourceUsage().maxRSS}};' +
      "if(f)process.on('exit',()=>{try{fs.writeFileSync(f,String(hwm()))}catch{}});",
  );

/** Runs a Node script as a child and reports its own peak resident memory (VmHWM, else maxRSS; MB). */
export async function runNodeWithPeakRss(script: string, args: string[], options: RunProcessOptions = {}): Promise<ProcessResult> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sparkpolar-bench-rss-')), 'maxrss');
  try {
    const env = { ...(options.env ?? process.env), SPARKPOLAR_BENCH_RSS_FILE: file };
    const result = await runProcess(process.execPath, ['--import', PEAK_RSS_HOOK, script, ...args], { ...options, env });
    if (fs.existsSync(file)) result.peakRssMB = Number(fs.readFileSync(file, 'utf8')) / 1024;
    return result;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}
