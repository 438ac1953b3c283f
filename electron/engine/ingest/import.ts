/**
 * `importCsv`: a CSV file → a typed table in schema `data`, a new dataset version in the catalog,
 * and a rejects file. Steps: profile the file (encoding, dialect, header, types from a sample),
 * refuse what cannot work (no disk space, too many columns), then in ONE transaction create the
 * table, stream the records into COPY, record the version and make it current. Any failure,
 * cancel or kill rolls the transaction back: no table, the previous version stays current.
 * When a value breaks an inferred type, the transaction is rolled back after a survey of the rest
 * of the file and the load runs once more with the widened types.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import type { datasetMethods, ImportResult } from '../../../shared/contract/dataset';
import { cancelledError, StudioError, throwIfCancelled } from '../../../shared/errors';
import { PG_TYPES, type DatasetColumn, type ColumnType } from '../../../shared/types';
import type { Database } from '../db/database';
import { pgError } from '../db/database';
import { quoteIdent } from '../db/sql';
import type { JobContext } from '../jobs/manager';
import type { Logger } from '../log';
import { Catalog, qualifiedTable } from '../catalog/catalog';
import { isUploadOf, type FileAccess } from '../files/access';
import type { CodedFrame } from '../analysis/dictionary';
import { offerImportFrame, startEarlyRun, type EarlyRun, type Proof } from '../analysis/import-frame';
import { frameChecksums, tableChecksumsFrom, tableChecksumsSql, type Checksums } from '../analysis/snapshot-proof';
import type { Arrival, ArrivingFiles } from './arriving';
import { CopyLoader } from './copy-loader';
import { ensureDiskSpace } from './disk';
import { FrameSink } from './frame-sink';
import { safeIdentifiers } from './identifiers';
import { LoadPass, type Widening } from './pass';
import { RejectsWriter, rejectsDir } from './rejects';
import { profileFile, type FileProfile } from './sample';
import { FORMATS, type FormatName } from './values';

export type ImportRequest = z.output<(typeof datasetMethods)['dataset/import']['request']>;

export interface ImportDeps {
  db: Database;
  home: string;
  log: Logger;
  catalog: Catalog;
  /** Decides which files a request may read; absent only for files the engine wrote itself (samples). */
  files?: FileAccess;
  /** Uploads still being written (browser mode): their import reads each byte once it is on disk. */
  arriving?: ArrivingFiles;
}

const MAX_LOAD_ATTEMPTS = 3;

/** The dataset name a file gets by default: its name without the extension. */
export function defaultDatasetName(file: string): string {
  const base = path
    .basename(file)
    .replace(/\.(csv|tsv|txt|psv)$/i, '')
    .trim();
  return (base || 'dataset').slice(0, 120);
}

/** Lower-case ASCII words of the dataset name, for readable table names. */
function tableSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug || 'dataset';
}

function statSource(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `No such file: ${file}`, { path: file });
    throw new StudioError('FILE_NOT_FOUND', `The file cannot be read: ${file} (${(err as Error).message})`, { path: file });
  }
  if (!stat.isFile()) throw new StudioError('FILE_NOT_FOUND', `Not a regular file: ${file}`, { path: file });
  return stat;
}

function forcedColumns(request: ImportRequest, identifiers: string[]): Map<number, ColumnType> {
  const forced = new Map<number, ColumnType>();
  for (const [identifier, type] of Object.entries(request.types ?? {})) {
    const index = identifiers.indexOf(identifier);
    if (index < 0) {
      throw new StudioError(
        'INVALID_REQUEST',
        `types: the file has no column "${identifier}" (its columns are ${identifiers.map((i) => `"${i}"`).join(', ')}).`,
        { identifier },
      );
    }
    forced.set(index, type);
  }
  return forced;
}

interface LoadPlan {
  file: string;
  /** Set while the file is still arriving (an upload in progress). */
  arrival: Arrival | undefined;
  profile: FileProfile;
  identifiers: string[];
  formats: FormatName[];
  forced: boolean[];
  name: string;
}

type Attempt = { kind: 'done'; result: ImportResult } | { kind: 'reload'; widened: Widening[] };

export async function importCsv(deps: ImportDeps, request: ImportRequest, job: JobContext): Promise<ImportResult> {
  const file = deps.files ? await deps.files.forReading(request.path) : path.resolve(request.path);
  // Deleting is for the engine's own copies of dropped files, never for a file the user named.
  if (request.deleteSourceAfter && !isUploadOf(deps.home, file))
    throw new StudioError('FILE_NOT_ALLOWED', 'deleteSourceAfter applies only to files uploaded to the data folder.', { path: file });
  // A file still uploading is read as it arrives; one whose upload broke off says so.
  const arrival = deps.arriving?.of(file);
  arrival?.throwIfFailed();
  let imported = false;
  try {
    statSource(file);
    // Starting the embedded server (first use) is not part of the import's duration.
    job.progress({ phase: 'connect', message: 'Connecting to PostgreSQL' });
    await deps.db.pool();
    const started = performance.now();
    job.progress({ phase: 'inspect', message: 'Reading the start of the file' });
    const profile = await profileFile(file, arrival, job.signal);
    const identifiers = safeIdentifiers(profile.header);
    const forced = forcedColumns(request, identifiers);
    const plan: LoadPlan = {
      file,
      arrival,
      profile,
      identifiers,
      formats: profile.survey.result(forced),
      forced: identifiers.map((_, i) => forced.has(i)),
      name: request.name ?? defaultDatasetName(file),
    };
    // UTF-16 takes about twice the bytes of the UTF-8 the table holds.
    const tableBytes = profile.encoding.startsWith('utf-16') ? profile.bytes / 2 : profile.bytes;
    await ensureDiskSpace(deps.db, tableBytes);
    job.throwIfCancelled();

    const hash = createHash('sha256');
    const widened: Widening[] = [];
    for (let attempt = 1; ; attempt++) {
      const outcome = await loadOnce(deps, request, job, plan, attempt === 1 ? hash : null, widened, started);
      if (outcome.kind === 'done') {
        imported = true;
        return outcome.result;
      }
      widened.push(...outcome.widened);
      if (attempt >= MAX_LOAD_ATTEMPTS) throw new StudioError('INTERNAL', 'Column types kept changing between loads.');
      deps.log.info('reloading with widened column types', { widened: outcome.widened });
    }
  } catch (err) {
    throwIfCancelled(job.signal);
    throw err;
  } finally {
    // A failed import keeps its upload (swept at the next start), so nothing is lost meanwhile.
    if (request.deleteSourceAfter && imported) removeUpload(file);
  }
}

/**
 * Gone from its name at once, its blocks freed after the answer: unlinking a large file that was
 * just written takes 70-180 ms (176 MB), which the user would wait for before the charts. A crash
 * in between leaves a renamed file the upload sweep removes.
 */
function removeUpload(file: string): void {
  const doomed = `${file}.${randomBytes(4).toString('hex')}.removed`;
  try {
    fs.renameSync(file, doomed);
  } catch {
    fs.rmSync(file, { force: true });
    return;
  }
  void fs.promises.rm(doomed, { force: true }).catch(() => undefined);
}

function columnsOf(plan: LoadPlan): DatasetColumn[] {
  return plan.profile.header.map((name, i) => ({ name, identifier: plan.identifiers[i]!, type: FORMATS[plan.formats[i]!].type }));
}

async function loadOnce(
  deps: ImportDeps,
  request: ImportRequest,
  job: JobContext,
  plan: LoadPlan,
  hash: ReturnType<typeof createHash> | null,
  earlierWidenings: Widening[],
  started: number,
): Promise<Attempt> {
  const { profile } = plan;
  const pool = await deps.db.pool();
  const client: pg.PoolClient = await pool.connect().catch((err: unknown) => {
    throw pgError(err);
  });
  let broken = false;
  // A connection lost mid-import (server restart, terminated backend) fails the import's query;
  // without a listener the client's own 'error' event would also crash the engine.
  const onClientError = () => {
    broken = true;
  };
  client.on('error', onClientError);
  const rejects = new RejectsWriter(deps.home);
  let loader: CopyLoader | null = null;
  let early: EarlyRun | null = null;
  const onAbort = () => void loader?.abort('import cancelled');
  job.signal.addEventListener('abort', onAbort);
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL statement_timeout = 0');
    const columns = columnsOf(plan);
    const tempTable = `import_${randomBytes(8).toString('hex')}`;
    await client.query(
      `CREATE TABLE ${qualifiedTable(tempTable)} (${columns.map((c) => `${quoteIdent(c.identifier)} ${PG_TYPES[c.type]}`).join(', ')})`,
    );
    loader = new CopyLoader(client, {
      table: qualifiedTable(tempTable),
      identifiers: plan.identifiers,
      delimiter: profile.dialect.delimiter,
      forceNull: columns.filter((c) => c.type !== 'text').map((c) => c.identifier),
    });
    throwIfCancelled(job.signal);
    const passStarted = performance.now();
    const reloading = earlierWidenings.length > 0;
    let surveying = false;
    const activeLoader = loader;
    // One parse, two destinations: the records COPY receives also become the analyses' frame.
    const frames =
      request.analysisFrame !== false ? FrameSink.create(columns, profile.dialect.delimiter, profile.dialect.lineEnding) : null;
    const pass = new LoadPass({
      file: plan.file,
      arrival: plan.arrival,
      bomBytes: profile.bomBytes,
      encoding: profile.encoding,
      delimiter: profile.dialect.delimiter,
      names: profile.header,
      identifiers: plan.identifiers,
      formats: plan.formats,
      forced: plan.forced,
      onError: request.onError,
      typeMismatch: request.typeMismatch,
      signal: job.signal,
      sink: frames
        ? {
            write: (bytes) => {
              frames.add(bytes);
              return activeLoader.write(bytes);
            },
          }
        : activeLoader,
      rejects,
      onWiden: async () => {
        surveying = true;
        await activeLoader.abort('a column type was widened; loading again');
      },
      onRaw: hash ? (chunk) => hash.update(chunk) : undefined,
      onProgress: (bytes, rows) => {
        const seconds = (performance.now() - passStarted) / 1000;
        const rate = seconds > 0 ? bytes / seconds : 0;
        job.progress({
          phase: surveying ? 'survey' : 'load',
          message: surveying
            ? 'A value changed a column type: checking the rest of the file'
            : reloading
              ? 'Loading again with the widened column types'
              : 'Loading rows',
          done: bytes,
          total: profile.bytes,
          unit: 'bytes',
          rows,
          rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
          etaSeconds: rate > 0 ? Math.max(0, (profile.bytes - bytes) / rate) : undefined,
        });
      },
    });
    if (hash && profile.bomBytes) hash.update(await readBom(plan.file, profile.bomBytes));
    const result = await pass.run();
    if (!result.headerFound) throw new StudioError('CSV_EMPTY', 'The file has no header line.', { file: plan.file });
    if (result.widened.length) {
      await client.query('ROLLBACK');
      await rejects.discard();
      return { kind: 'reload', widened: result.widened };
    }
    job.progress({
      phase: 'commit',
      message: 'Finishing the table',
      done: profile.bytes,
      total: profile.bytes,
      unit: 'bytes',
      rows: result.rows,
    });
    const passEnded = performance.now();
    const copied = await loader.finish();
    const copyEnded = performance.now();
    if (copied !== result.rows) {
      throw new StudioError('INTERNAL', `PostgreSQL stored ${copied} rows where the importer sent ${result.rows}.`);
    }
    job.throwIfCancelled();
    // The proof's table side is scanned in this transaction (what it sees is what commits). The
    // query goes out before the frame is completed here, so PostgreSQL scans while this thread
    // builds the frame and the original analyses start on it.
    const building = frames !== null && frames.givenUpBecause === null;
    const tableSums = building ? tableSumsInTransaction(client, tempTable, columns) : null;
    const built = frames ? completeFrame(deps, frames, columns) : null;
    const frameBuilt = performance.now();
    early = built ? startEarlyRun(columns, built.coded, deps.log) : null;
    const tableProof = tableSums ? await tableSums : null;
    const proof = built && tableProof ? { table: tableProof, frame: built.checksums } : undefined;
    const provedAt = performance.now();
    job.throwIfCancelled();

    const { datasetId, version } = await Catalog.reserveVersion(client, plan.name);
    const table = await renameToFinal(client, tempTable, tableSlug(plan.name), version);
    const rejectsFile = await rejects.keep(path.join(rejectsDir(deps.home), `${table}.csv`));
    const sha256 = hash ? hash.digest('hex') : '';
    const seconds = (performance.now() - started) / 1000;
    const importResult: ImportResult = {
      dataset: plan.name,
      version,
      table,
      rows: result.rows,
      rejected: result.rejected,
      rejectsFile,
      columns,
      widened: earlierWidenings,
      encoding: profile.encoding,
      delimiter: profile.dialect.delimiter,
      lineEnding: profile.dialect.lineEnding,
      bytes: profile.bytes,
      sha256,
      seconds,
      blankLines: result.blankLines,
      sampledRows: profile.sampledRows,
    };
    try {
      await Catalog.addVersion(client, {
        datasetId,
        version,
        table,
        sourcePath: plan.file,
        sourceBytes: profile.bytes,
        sha256,
        rows: result.rows,
        columns,
        rejected: result.rejected,
        rejectsPath: rejectsFile,
        durationMs: Math.round(seconds * 1000),
        options: {
          encoding: profile.encoding,
          delimiter: profile.dialect.delimiter,
          lineEnding: profile.dialect.lineEnding,
          headerLine: profile.headerLine,
          blankLines: result.blankLines,
          onError: request.onError,
          typeMismatch: request.typeMismatch,
          widened: earlierWidenings,
        },
      });
      job.throwIfCancelled();
      await client.query('COMMIT');
    } catch (err) {
      if (rejectsFile) fs.rmSync(rejectsFile, { force: true });
      throw err;
    }
    const committed = performance.now();
    if (built) await offerFrame(deps, importResult, built.coded, proof, early);
    deps.log.debug('import timings (ms)', {
      pass: Math.round(passEnded - passStarted),
      copyTail: Math.round(copyEnded - passEnded),
      frameDuringTableScan: Math.round(frameBuilt - copyEnded),
      earlyRunAndTableScan: Math.round(provedAt - frameBuilt),
      catalogAndCommit: Math.round(committed - provedAt),
    });
    return { kind: 'done', result: importResult };
  } catch (err) {
    early?.discard();
    await loader?.abort('import failed').catch(() => undefined);
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    await rejects.discard();
    throw mapLoadError(err, job);
  } finally {
    job.signal.removeEventListener('abort', onAbort);
    client.off('error', onClientError);
    client.release(broken ? true : undefined);
  }
}

/** The sink's frame and its checksums, or null when it gave up (the analyses then read PostgreSQL). */
function completeFrame(deps: ImportDeps, frames: FrameSink, columns: DatasetColumn[]): { coded: CodedFrame; checksums: Checksums } | null {
  try {
    const built = frames.finish();
    if (!built) {
      deps.log.info('the import built no frame: the analyses will read PostgreSQL', { reason: frames.givenUpBecause });
      return null;
    }
    return { coded: built, checksums: frameChecksums(built, columns, built.plainTextHashes) };
  } catch (err) {
    deps.log.warn('the import frame could not be completed', { error: (err as Error).message });
    return null;
  }
}

/**
 * The table's checksums inside the import's transaction, behind a savepoint so that a proof that
 * fails (null: the frame is then proven after the commit) never fails the import. One message, so
 * PostgreSQL scans while this thread computes.
 */
async function tableSumsInTransaction(client: pg.PoolClient, table: string, columns: DatasetColumn[]): Promise<Checksums | null> {
  try {
    const sql = `SAVEPOINT proof; ${tableChecksumsSql(qualifiedTable(table), columns)}; RELEASE SAVEPOINT proof`;
    const results = (await client.query(sql)) as unknown as Array<pg.QueryResult<Record<string, string | null>>>;
    return tableChecksumsFrom(results[1]!.rows[0]!, columns);
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT proof');
    return null;
  }
}

/** Hands the committed version's frame to the analyses (which trust it only once proven). */
async function offerFrame(deps: ImportDeps, result: ImportResult, coded: CodedFrame, proof: Proof | undefined, early: EarlyRun | null) {
  try {
    offerImportFrame(deps, await deps.catalog.get(result.dataset, result.version), coded, { proof, early });
  } catch (err) {
    early?.discard();
    // The import has committed: without a frame the analyses simply load from PostgreSQL.
    deps.log.warn('the import frame could not be handed to the analyses', { table: result.table, error: (err as Error).message });
  }
}

async function readBom(file: string, bytes: number): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    await fd.read(buf, 0, bytes, 0);
    return buf;
  } finally {
    await fd.close();
  }
}

/**
 * Renames the loaded table to `<slug>_v<version>`, or keeps a random suffix when that name is
 * taken (a renamed dataset's table, or another import of a same-slug name committing first).
 */
async function renameToFinal(client: pg.PoolClient, tempTable: string, slug: string, version: number): Promise<string> {
  const preferred = `${slug}_v${version}`;
  const { rows } = await client.query<{ taken: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL OR EXISTS (SELECT 1 FROM studio.dataset_versions WHERE table_name = $2) AS taken',
    [`data.${quoteIdent(preferred)}`, preferred],
  );
  if (!rows[0]?.taken) {
    await client.query('SAVEPOINT final_name');
    try {
      await client.query(`ALTER TABLE ${qualifiedTable(tempTable)} RENAME TO ${quoteIdent(preferred)}`);
      await client.query('RELEASE SAVEPOINT final_name');
      return preferred;
    } catch (err) {
      // 42P07 when the name exists; 23505 (pg_class's unique index) when another import took it meanwhile.
      const code = (err as { code?: string }).code;
      if (code !== '42P07' && code !== '23505') throw err;
      await client.query('ROLLBACK TO SAVEPOINT final_name');
    }
  }
  const fallback = `${preferred}_${randomBytes(3).toString('hex')}`;
  await client.query(`ALTER TABLE ${qualifiedTable(tempTable)} RENAME TO ${quoteIdent(fallback)}`);
  return fallback;
}

function mapLoadError(err: unknown, job: JobContext): unknown {
  if (job.signal.aborted) return cancelledError();
  if (err instanceof StudioError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === '53100') return new StudioError('DISK_FULL', `PostgreSQL ran out of disk space while loading: ${e.message}`);
  if (e.code === '54000') return new StudioError('CSV_TOO_WIDE', `A row is too wide for PostgreSQL: ${e.message}`);
  if (e.code) return pgError(err);
  return err;
}
