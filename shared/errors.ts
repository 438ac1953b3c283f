/**
 * Errors cross every process boundary as plain data with a stable `code`.
 * Add a code here (with its default fix) before throwing it anywhere. The fix is English; the app
 * shows it through `errors.fix.<CODE>` of the i18n tree (shared/i18n/en.ts takes these, fr.ts
 * must translate each). `undefined` means the code has no standard fix, knowingly: its message
 * says what to do, or the code that throws it writes a fix for that very error.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: 'Check the request fields; the message names the first invalid one.',
  UNKNOWN_METHOD: 'Update the app: the window and the engine disagree on the contract.',
  NOT_FOUND: undefined,
  CANCELLED: undefined,
  INTERNAL: 'Open the logs folder (Help ▸ Open logs) and report the message.',
  ENGINE_UNAVAILABLE: 'The engine restarted; retry the action.',
  PG_UNAVAILABLE: 'Check that PostgreSQL is running and the database URL in Settings is right.',
  PG_AUTH_FAILED: 'Check the user name and password in the database URL.',
  PG_ERROR: undefined,
  CSV_EMPTY: 'Choose a file that has at least a header line.',
  CSV_MALFORMED: 'Fix the line named in the message, or import with "skip bad rows".',
  CSV_ENCODING: 'Save the file as UTF-8 and import it again.',
  CSV_TOO_WIDE: 'PostgreSQL tables hold at most 1,600 columns: split the file, or keep only the columns you need.',
  DISK_FULL: 'Free some disk space in the data folder, or choose another data folder.',
  FILE_NOT_FOUND: 'Check the path of the file.',
  FILE_NOT_ALLOWED: 'Choose the file in the app (Open, Save or drop it on the window): the engine touches only files you chose.',
  DATASET_NOT_FOUND: 'List the datasets (Datasets page or `sparkpolar datasets`) and use one of those names.',
  ANALYSIS_NOT_FOUND: 'Pick an analysis from the catalog.',
  ANALYSIS_NOT_APPLICABLE: 'This analysis needs columns the dataset does not have.',
  EXPORT_FAILED: undefined,
  S3_NOT_CONFIGURED: 'Set the MinIO endpoint, keys and bucket in Settings (or MINIO_* variables).',
  S3_UNAVAILABLE: 'Start MinIO (`docker compose up -d minio`) or check the endpoint URL.',
  S3_AUTH_FAILED: 'Check the access key and secret key.',
  S3_BUCKET_MISSING: 'Create the bucket, or give keys that are allowed to create it.',
  S3_TLS_MISMATCH: 'Use http:// for a server without TLS and https:// for one with TLS.',
  S3_INTEGRITY: 'The stored object does not match its manifest; publish the run again.',
  DATABRICKS_NOT_CONFIGURED: 'Set the Databricks host and token (Settings, DATABRICKS_HOST/DATABRICKS_TOKEN or ~/.databrickscfg).',
  DATABRICKS_AUTH_FAILED: 'Check the Databricks token or the OAuth client id and secret.',
  DATABRICKS_PERMISSION_DENIED: 'Ask a workspace admin for access to this resource.',
  DATABRICKS_RATE_LIMITED: 'Databricks is throttling requests; wait a minute and retry.',
  DATABRICKS_UNAVAILABLE: 'The workspace did not answer; check the host URL and your network.',
  DATABRICKS_NOT_FOUND: undefined,
  DATABRICKS_INVALID: undefined,
  DATABRICKS_RUN_FAILED: 'Open the run page in Databricks to see the full log.',
  SPARK_LOCAL_UNAVAILABLE: 'Install PySpark (pip install pyspark) or Apache Spark so that spark-submit is on PATH, or run on Databricks.',
  SETTINGS_INVALID: undefined,
  SECRETS_UNAVAILABLE: 'This system offers no encrypted storage: enter the secret again after each restart.',
} as const satisfies Record<string, string | undefined>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes that carry a standard fix. */
export type FixCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends string ? C : never }[ErrorCode];

/** True when `code` is an error code with a standard fix (own keys only: not `toString` & co.). */
export function hasStandardFix(code: string): code is FixCode {
  return Object.hasOwn(ERROR_CODES, code) && typeof ERROR_CODES[code as ErrorCode] === 'string';
}

/** The standard fix of every code that has one, in English: the `errors.fix` branch of shared/i18n/en.ts. */
export const STANDARD_FIXES = Object.fromEntries(Object.entries(ERROR_CODES).filter(([code]) => hasStandardFix(code))) as Record<
  FixCode,
  string
>;

export interface ErrorData {
  code: ErrorCode;
  message: string;
  fix?: string;
  details?: Record<string, unknown>;
}

/** The one error type the engine throws on purpose. Anything else becomes INTERNAL. */
export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly fix: string | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, fix?: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.details = details;
    this.fix = fix ?? ERROR_CODES[code];
  }

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.fix) data.fix = this.fix;
    if (this.details) data.details = this.details;
    return data;
  }

  static fromData(data: ErrorData): StudioError {
    return new StudioError(data.code, data.message, data.details, data.fix);
  }
}

/** The error every cancelled operation ends with (the job manager reports it as cancelled). */
export function cancelledError(message = 'Cancelled by the user.'): StudioError {
  return new StudioError('CANCELLED', message);
}

/** Ends the operation with `cancelledError` once its signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | null | undefined, message?: string): void {
  if (signal?.aborted) throw cancelledError(message);
}

export function isStudioError(err: unknown): err is StudioError {
  return err instanceof StudioError;
}

/** Converts anything thrown into error data, never leaking a stack across the boundary. */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof StudioError) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'Unexpected error', fix: ERROR_CODES.INTERNAL };
}
