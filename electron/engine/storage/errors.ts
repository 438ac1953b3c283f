/**
 * Turns what the minio client or the network throws into the stable S3_* codes, each with a fix
 * that names the setting to change. Transient failures (network, 5xx, throttling) are the ones
 * retried and, when they persist, the ones that queue a publish.
 */
import { StudioError } from '../../../shared/errors';
import type { StorageConfig } from './config';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const TLS_HANDSHAKE =
  /wrong version number|packet length too long|unknown protocol|ssl3_get_record|tlsv1 alert|EPROTO|HTTP request to an HTTPS server|ERR_SSL/i;
const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const AUTH_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AuthorizationHeaderMalformed',
  'InvalidSignature',
  'AccessDenied',
  'AllAccessDisabled',
]);
const THROTTLE_CODES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'XMinioServerNotInitialized',
  'RequestTimeout',
  'XMinioStorageFull',
]);

interface RawError {
  code?: string;
  message?: string;
  statusCode?: number;
  amzRequestid?: string;
  cause?: unknown;
}

function raw(err: unknown): RawError {
  return (err && typeof err === 'object' ? err : { message: String(err) }) as RawError;
}

/** The HTTP status of an S3 error answer, when the client kept it. */
function statusOf(e: RawError): number | undefined {
  if (typeof e.statusCode === 'number') return e.statusCode;
  const m = /Retryable HTTP status: (\d{3})/.exec(e.message ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Network failures, 5xx and throttling: worth retrying, and what makes a publish wait in the queue. */
export function isTransient(err: unknown): boolean {
  if (err instanceof StudioError) return err.code === 'S3_UNAVAILABLE';
  const e = raw(err);
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.code && THROTTLE_CODES.has(e.code)) return true;
  if (/socket hang up|other side closed|premature close|aborted/i.test(e.message ?? '') && !TLS_HANDSHAKE.test(e.message ?? ''))
    return true;
  const status = statusOf(e);
  return status !== undefined && (status >= 500 || status === 429 || status === 408);
}

export type Operation = 'connect' | 'create-bucket' | 'list' | 'read' | 'write' | 'delete';

/** Maps any storage failure to a StudioError with a code and a fix. */
export function toStorageError(err: unknown, config: Pick<StorageConfig, 'endpoint' | 'bucket'>, op: Operation, key?: string): StudioError {
  if (err instanceof StudioError) return err;
  const e = raw(err);
  const message = e.message ?? String(err);
  const where = { endpoint: config.endpoint, bucket: config.bucket, ...(key ? { key } : {}), ...(e.code ? { cause: e.code } : {}) };
  const https = config.endpoint.startsWith('https:');

  if (e.code && TLS_CERT_CODES.has(e.code)) {
    return new StudioError(
      'S3_TLS_MISMATCH',
      `The TLS certificate of ${config.endpoint} is not trusted (${e.code}).`,
      where,
      "Install the server's CA certificate in the system trust store (or set NODE_EXTRA_CA_CERTS), or use the server's real host name.",
    );
  }
  if (TLS_HANDSHAKE.test(message) || TLS_HANDSHAKE.test(e.code ?? '')) {
    return https
      ? new StudioError(
          'S3_TLS_MISMATCH',
          `${config.endpoint} does not speak TLS: the secure connection failed (${message}).`,
          where,
          'The server has no TLS: use http:// in the endpoint (or turn TLS off in Settings).',
        )
      : tlsExpected(config);
  }
  if (e.code === 'NoSuchBucket') {
    return new StudioError('S3_BUCKET_MISSING', `The bucket "${config.bucket}" does not exist on ${config.endpoint}.`, where);
  }
  if (e.code === 'AccessDenied' && op === 'create-bucket') {
    return new StudioError(
      'S3_BUCKET_MISSING',
      `The bucket "${config.bucket}" does not exist, and these keys are not allowed to create it.`,
      where,
      `Create the bucket "${config.bucket}" (MinIO console or \`mc mb\`), or use keys with the s3:CreateBucket permission.`,
    );
  }
  if (e.code === 'RequestTimeTooSkewed') {
    return new StudioError(
      'S3_AUTH_FAILED',
      "The storage server refused the request because this computer's clock is too far from its own.",
      where,
      'Set the system clock (enable network time) and retry.',
    );
  }
  if (e.code === 'AccessDenied') {
    return new StudioError(
      'S3_AUTH_FAILED',
      `Access denied by ${config.endpoint} to ${op} in bucket "${config.bucket}": the keys are wrong or lack the permission.`,
      where,
      `Check the access key and secret key, and that the user may ${op} objects in "${config.bucket}" (a read-write policy on the bucket).`,
    );
  }
  if (e.code && AUTH_CODES.has(e.code)) {
    const what =
      e.code === 'InvalidAccessKeyId'
        ? 'the access key is unknown'
        : e.code === 'SignatureDoesNotMatch'
          ? 'the secret key does not match the access key'
          : e.code;
    return new StudioError('S3_AUTH_FAILED', `${config.endpoint} refused the credentials: ${what}.`, where);
  }
  if (isTransient(err)) {
    return new StudioError('S3_UNAVAILABLE', `Object storage at ${config.endpoint} is unavailable: ${message}.`, where);
  }
  if (e.code === 'NoSuchKey' || e.code === 'NotFound') {
    return new StudioError('NOT_FOUND', `No object ${key ?? ''} in bucket "${config.bucket}".`, where);
  }
  return new StudioError(
    'S3_UNAVAILABLE',
    `Object storage at ${config.endpoint} answered an error: ${e.code ? `${e.code}: ` : ''}${message}`,
    where,
    "Check the endpoint URL and the server's logs.",
  );
}

const PLAIN_TO_TLS = /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i;

/** An S3 error answer the client could not parse: no code, no message (e.g. a plain-text 400). */
export function isUnparsedAnswer(err: unknown): boolean {
  const e = raw(err);
  return (err as { name?: string })?.name === 'S3Error' && !e.code && !e.message;
}

/**
 * Asks an http:// endpoint directly whether it only speaks TLS: MinIO (Go) and nginx answer plain
 * HTTP on a TLS port with a 400 saying so, which the minio client reports as an empty error.
 */
export async function answersOnlyTls(endpoint: string, timeoutMs = 3000): Promise<boolean> {
  if (!endpoint.startsWith('http:')) return false;
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    return PLAIN_TO_TLS.test(await res.text());
  } catch {
    return false;
  }
}

export function tlsExpected(config: Pick<StorageConfig, 'endpoint' | 'bucket'>): StudioError {
  return new StudioError(
    'S3_TLS_MISMATCH',
    `${config.endpoint} expects TLS but the endpoint uses http://.`,
    { endpoint: config.endpoint, bucket: config.bucket },
    'Use https:// in the endpoint (or turn TLS on in Settings).',
  );
}
