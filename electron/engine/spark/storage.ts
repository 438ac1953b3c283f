/**
 * Where the run's files go: a Unity Catalog volume through the Files API (the current default), or
 * DBFS through create/add-block/close when the volume is not there (the original project's way).
 * Uploads are skipped when a file of the same content is already in place: dataset files are
 * named by their SHA-256, so the same name and size means the same bytes.
 */
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { StudioError } from '../../../shared/errors';
import type { DatabricksClient } from './client';

export type StorageKind = 'volume' | 'dbfs';

export interface RemoteStorage {
  kind: StorageKind;
  /** Folder as the job sees it: `/Volumes/c/s/v` or `dbfs:/FileStore/sparkpolar`. */
  root: string;
  /** Why the fallback was taken, when it was. */
  fallbackReason?: string;
}

export const DBFS_BLOCK = 1024 * 1024;
const DBFS_READ = 1024 * 1024;
const DBFS_ATTEMPTS = 3;

export type ProgressFn = (done: number, total: number) => void;

/**
 * Picks the volume when its folder can be made, DBFS otherwise. Serverless compute has no general
 * DBFS access, so for a serverless run the fallback is refused up front instead of failing late.
 */
export async function chooseStorage(
  client: DatabricksClient,
  volume: string,
  dbfsDir: string,
  signal?: AbortSignal,
  uploadTo: 'volume' | 'dbfs' = 'volume',
  options: { serverless?: boolean } = {},
): Promise<RemoteStorage> {
  const dbfsRoot = dbfsDir.startsWith('dbfs:') ? dbfsDir : `dbfs:${dbfsDir}`;
  const noDbfsOnServerless = (why: string) =>
    new StudioError(
      'DATABRICKS_INVALID',
      `${why}, and serverless compute cannot read DBFS (${dbfsRoot}): the run would fail once started.`,
      { volume, dbfsDir: dbfsRoot },
      `Create the volume (CREATE VOLUME in Unity Catalog) or point SPARKPOLAR_DATABRICKS_VOLUME / sparkpolar_volume at one you can write; or run on a cluster (--compute cluster:<id>).`,
    );
  if (uploadTo === 'dbfs') {
    if (options.serverless) throw noDbfsOnServerless('Uploads are set to go to DBFS');
    await client.dbfsMkdirs(`${dbfsRoot}/datasets`, signal);
    return { kind: 'dbfs', root: dbfsRoot };
  }
  try {
    await client.createDirectory(`${volume}/datasets`, signal);
    return { kind: 'volume', root: volume };
  } catch (err) {
    if (err instanceof StudioError && (err.code === 'DATABRICKS_NOT_FOUND' || err.code === 'DATABRICKS_PERMISSION_DENIED')) {
      if (options.serverless) throw noDbfsOnServerless(`The volume ${volume} is not usable (${err.message})`);
      await client.dbfsMkdirs(`${dbfsRoot}/datasets`, signal);
      return { kind: 'dbfs', root: dbfsRoot, fallbackReason: `volume ${volume} is not usable (${err.message}); using DBFS ${dbfsRoot}` };
    }
    throw err;
  }
}

export interface UploadOutcome {
  path: string;
  bytes: number;
  skipped: boolean;
}

/** Uploads `localFile` to `remotePath` unless a file of the same size is already there (`skipIfSameSize`). */
export async function uploadFile(
  client: DatabricksClient,
  storage: RemoteStorage,
  localFile: string,
  remotePath: string,
  options: { skipIfSameSize: boolean; signal?: AbortSignal; onProgress?: ProgressFn },
): Promise<UploadOutcome> {
  const size = fs.statSync(localFile).size;
  const existing = await remoteSize(client, storage, remotePath, options.signal);
  if (options.skipIfSameSize && existing === size) {
    options.onProgress?.(size, size);
    return { path: remotePath, bytes: size, skipped: true };
  }
  if (storage.kind === 'volume') await uploadToVolume(client, localFile, remotePath, size, options.signal, options.onProgress);
  else await uploadToDbfs(client, localFile, remotePath, size, options.signal, options.onProgress);
  const after = await remoteSize(client, storage, remotePath, options.signal);
  if (after !== size)
    throw new StudioError('DATABRICKS_INVALID', `The upload of ${remotePath} ended with ${after ?? 'no'} bytes instead of ${size}.`, {
      path: remotePath,
    });
  return { path: remotePath, bytes: size, skipped: false };
}

export async function remoteSize(
  client: DatabricksClient,
  storage: RemoteStorage,
  remotePath: string,
  signal?: AbortSignal,
): Promise<number | null> {
  if (storage.kind === 'volume') return (await client.headFile(remotePath, signal))?.size ?? null;
  const status = await client.dbfsGetStatus(remotePath, signal);
  return status && !status.is_dir ? status.file_size : null;
}

async function uploadToVolume(
  client: DatabricksClient,
  localFile: string,
  remotePath: string,
  size: number,
  signal?: AbortSignal,
  onProgress?: ProgressFn,
): Promise<void> {
  await client.putFile(
    remotePath,
    () => {
      let done = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          done += chunk.length;
          onProgress?.(done, size);
          callback(null, chunk);
        },
      });
      const stream = fs.createReadStream(localFile).pipe(counter);
      return { stream: Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, length: size };
    },
    signal,
  );
}

/**
 * DBFS streaming upload in 1 MB blocks. A block whose answer was lost may or may not have been
 * appended, so a failed block restarts the whole file (create overwrites) instead of retrying
 * the block; an expired handle (10 idle minutes) does the same.
 */
async function uploadToDbfs(
  client: DatabricksClient,
  localFile: string,
  remotePath: string,
  size: number,
  signal?: AbortSignal,
  onProgress?: ProgressFn,
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < DBFS_ATTEMPTS; attempt++) {
    const handle = await client.dbfsCreate(remotePath, true, signal);
    const fd = fs.openSync(localFile, 'r');
    try {
      const block = Buffer.alloc(DBFS_BLOCK);
      let offset = 0;
      for (;;) {
        const read = fs.readSync(fd, block, 0, DBFS_BLOCK, offset);
        if (read === 0) break;
        await client.dbfsAddBlock(handle, block.subarray(0, read), signal);
        offset += read;
        onProgress?.(offset, size);
      }
      await client.dbfsClose(handle, signal);
      return;
    } catch (err) {
      lastError = err;
      if (
        !(err instanceof StudioError) ||
        err.code === 'CANCELLED' ||
        err.code === 'DATABRICKS_AUTH_FAILED' ||
        err.code === 'DATABRICKS_PERMISSION_DENIED'
      )
        throw err;
    } finally {
      fs.closeSync(fd);
    }
  }
  throw lastError;
}

/** Writes a small buffer (plan, job source) to storage. */
export async function uploadBuffer(
  client: DatabricksClient,
  storage: RemoteStorage,
  data: Buffer,
  remotePath: string,
  signal?: AbortSignal,
): Promise<void> {
  if (storage.kind === 'volume') {
    await client.putFile(
      remotePath,
      () => ({ stream: Readable.toWeb(Readable.from([data])) as unknown as ReadableStream<Uint8Array>, length: data.length }),
      signal,
    );
    return;
  }
  const handle = await client.dbfsCreate(remotePath, true, signal);
  for (let offset = 0; offset < data.length; offset += DBFS_BLOCK)
    await client.dbfsAddBlock(handle, data.subarray(offset, offset + DBFS_BLOCK), signal);
  await client.dbfsClose(handle, signal);
}

/** Reads a whole remote file (results are small; DBFS reads are 1 MB at most each). */
export async function downloadBuffer(
  client: DatabricksClient,
  storage: RemoteStorage,
  remotePath: string,
  signal?: AbortSignal,
): Promise<Buffer | null> {
  if (storage.kind === 'volume') {
    try {
      const response = await client.getFile(remotePath, signal);
      return Buffer.from(await response.arrayBuffer());
    } catch (err) {
      if (err instanceof StudioError && err.code === 'DATABRICKS_NOT_FOUND') return null;
      throw err;
    }
  }
  const status = await client.dbfsGetStatus(remotePath, signal);
  if (!status || status.is_dir) return null;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < status.file_size;) {
    const { bytesRead, data } = await client.dbfsRead(remotePath, offset, DBFS_READ, signal);
    if (bytesRead === 0) break;
    parts.push(data);
    offset += bytesRead;
  }
  return Buffer.concat(parts);
}
