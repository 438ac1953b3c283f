/**
 * What every benchmark section gets: the engine and a typed client, the data file, the protocol,
 * the peers' locations, and the product dataset the later sections read (imported once).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StudioClient } from '../../shared/client';
import { isStudioError } from '../../shared/errors';
import type { DatasetColumn, DatasetVersionInfo } from '../../shared/types';
import { dropSnapshot } from '../../electron/engine/analysis/snapshot';
import type { Engine } from '../../electron/engine/engine';
import { NotAvailable, type Protocol } from './protocol';
import type { Connection } from './peers/psql';

export interface BenchOptions {
  protocol: Protocol;
  smoke: boolean;
  /** Random pages per browse view. */
  browsePages: number;
  /** pandas loads at most this many rows (its throughput is what is compared); 0: all. */
  pandasRowCap: number;
  psql: string;
  pythonCandidates: string[];
  /** The `sparkpolar` entry script, run as a child for peak-memory measurements (null: not available). */
  cliScript: string | null;
}

export interface BenchContext {
  client: StudioClient;
  engine: Engine;
  file: string;
  rows: number;
  bytes: number;
  options: BenchOptions;
  /** Scratch folder for exported files; removed at the end. */
  scratch: string;
  /** Dataset name the product sections use. */
  datasetName: string;
  signal?: AbortSignal | undefined;
  /** A progress line on stderr. */
  log(line: string): void;
  /** Shared state between sections (the imported dataset, the psql connection). */
  state: { dataset?: DatasetVersionInfo; connection?: Connection };
}

/** Product calls that hit a method still being built become NotAvailable instead of failures. */
export async function product<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isStudioError(err) && (err.code === 'UNKNOWN_METHOD' || /is being built/.test(err.message))) {
      throw new NotAvailable(`${what} is not in the product yet`);
    }
    throw err;
  }
}

/** The current version of the bench dataset when it was imported from this very file, else null. */
export async function existingDataset(ctx: BenchContext): Promise<DatasetVersionInfo | null> {
  try {
    const info = await ctx.client.call('dataset/get', { dataset: ctx.datasetName });
    const sameFile = info.sourcePath === ctx.file && info.sourceBytes === ctx.bytes && info.rows === ctx.rows;
    return sameFile ? info : null;
  } catch {
    return null;
  }
}

/** The product dataset the load/analyze/browse/export sections read, importing the file once if needed. */
export async function ensureDataset(ctx: BenchContext): Promise<DatasetVersionInfo> {
  if (ctx.state.dataset) return ctx.state.dataset;
  let info = await existingDataset(ctx);
  if (!info) {
    ctx.log(`importing ${path.basename(ctx.file)} as "${ctx.datasetName}" (untimed, for the other sections)`);
    await deleteDataset(ctx, ctx.datasetName);
    const result = await product('dataset/import', () =>
      ctx.client.run('dataset/import', { path: ctx.file, name: ctx.datasetName }, { signal: ctx.signal }),
    );
    info = await ctx.client.call('dataset/get', { dataset: result.dataset, version: result.version });
  }
  ctx.state.dataset = info;
  return info;
}

/** Deletes a benchmark dataset with its columnar snapshots (a benchmark leaves no data behind). */
export async function deleteDataset(ctx: BenchContext, name: string): Promise<void> {
  const versions = await ctx.client.call('dataset/versions', { dataset: name }).catch(() => []);
  await ctx.client.call('dataset/delete', { dataset: name }).catch(() => undefined);
  for (const v of versions) dropSnapshot(ctx.engine.ctx.home, v.table);
}

export async function connection(ctx: BenchContext): Promise<Connection> {
  ctx.state.connection ??= await ctx.engine.ctx.db.connectionInfo();
  return ctx.state.connection;
}

/** Best effort: flush dirty buffers before a timed run so one run's writes are not paid by the next. */
export async function checkpoint(ctx: BenchContext): Promise<void> {
  await ctx.engine.ctx.db.query('CHECKPOINT').catch(() => undefined);
}

/** The header names of the CSV, for a peer table when the product's types are unknown. */
export function headerColumns(file: string): DatasetColumn[] {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    let line = buf.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const names: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        names.push(field);
        field = '';
      } else field += ch;
    }
    names.push(field);
    return names.map((name, i) => ({ name, identifier: name || `column_${i + 1}`, type: 'text' }));
  } finally {
    fs.closeSync(fd);
  }
}
