/**
 * Databricks error bodies, parsed tolerantly and mapped to the app's stable error codes.
 * Bodies seen in the wild: `{"error_code": "X", "message": "…"}`, a numeric `error_code`
 * (`{"error_code": 403, "message": "Invalid access token."}`), OAuth's `{"error", "error_description"}`,
 * an HTML page from a proxy, plain text `CODE: message`, or nothing at all.
 */
import { StudioError, type ErrorCode } from '../../../shared/errors';

export interface DatabricksErrorBody {
  /** The API's error code (`RESOURCE_DOES_NOT_EXIST`), a stringified number, or '' when none. */
  errorCode: string;
  message: string;
}

const MAX_MESSAGE = 300;

export function parseErrorBody(text: string, contentType = ''): DatabricksErrorBody {
  const trimmed = text.trim();
  if (!trimmed) return { errorCode: '', message: '' };
  if (trimmed.startsWith('{') || contentType.includes('json')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      const code = body.error_code ?? body.error ?? '';
      const message = body.message ?? body.error_description ?? body.detail ?? '';
      return { errorCode: String(code), message: clip(String(message)) };
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  if (/^<(!doctype|html|head|body)/i.test(trimmed) || contentType.includes('html'))
    return { errorCode: '', message: clip(htmlText(trimmed)) };
  const plain = /^([A-Z][A-Z0-9_]{2,}):\s*([\s\S]*)$/.exec(trimmed);
  if (plain) return { errorCode: plain[1]!, message: clip(plain[2]!.trim()) };
  return { errorCode: '', message: clip(trimmed) };
}

/** The readable part of an HTML error page: its title and first heading or paragraph. */
function htmlText(html: string): string {
  const pick = (tag: string) => new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'i').exec(html)?.[1];
  const strip = (s: string | undefined) =>
    (s ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim();
  const title = strip(pick('title'));
  const body = strip(pick('h1') ?? pick('p') ?? pick('pre'));
  const parts = [title, body].filter((s, i, all) => s && all.indexOf(s) === i);
  return parts.join(': ') || strip(html);
}

function clip(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE - 1)}…` : oneLine;
}

const AUTH_HINT =
  /invalid access token|token.*(expired|invalid)|unauthenticated|credential|not authenticated|invalid_client|invalid_grant|authenticat/i;
const MISSING_HINT = /does not exist|not found|no such/i;

/** The app's code for a Databricks answer (`status` 0 means no answer: a network failure). */
export function classify(status: number, body: DatabricksErrorBody): ErrorCode {
  const code = body.errorCode.toUpperCase();
  if (status === 0) return 'DATABRICKS_UNAVAILABLE';
  if (status === 401 || code === 'UNAUTHENTICATED' || code === 'INVALID_CLIENT' || code === 'INVALID_GRANT')
    return 'DATABRICKS_AUTH_FAILED';
  if (status === 403) {
    // A bad token comes back as 403 with a numeric error_code; a real permission problem has a name.
    if (/^\d+$/.test(code) || AUTH_HINT.test(body.message)) return 'DATABRICKS_AUTH_FAILED';
    return 'DATABRICKS_PERMISSION_DENIED';
  }
  if (code === 'PERMISSION_DENIED') return 'DATABRICKS_PERMISSION_DENIED';
  if (status === 429 || code === 'REQUEST_LIMIT_EXCEEDED') return 'DATABRICKS_RATE_LIMITED';
  if (
    status === 404 ||
    code === 'RESOURCE_DOES_NOT_EXIST' ||
    code === 'NOT_FOUND' ||
    code === 'FEATURE_DISABLED' ||
    (status === 400 && MISSING_HINT.test(body.message))
  )
    return 'DATABRICKS_NOT_FOUND';
  if (status >= 500 || code === 'TEMPORARILY_UNAVAILABLE') return 'DATABRICKS_UNAVAILABLE';
  return 'DATABRICKS_INVALID';
}

export interface RequestDescription {
  method: string;
  /** The API path only (never the query string, which may carry tokens in other APIs). */
  path: string;
}

export function databricksError(status: number, body: DatabricksErrorBody, request: RequestDescription): StudioError {
  const code = classify(status, body);
  const what = body.errorCode && !/^\d+$/.test(body.errorCode) ? `${body.errorCode}: ` : '';
  const text = body.message || (status ? `HTTP ${status}` : 'no answer');
  const lead: Partial<Record<ErrorCode, string>> = {
    DATABRICKS_AUTH_FAILED: 'Databricks refused the credentials',
    DATABRICKS_PERMISSION_DENIED: 'Databricks denied access',
    DATABRICKS_RATE_LIMITED: 'Databricks is throttling requests',
    DATABRICKS_UNAVAILABLE: 'Databricks did not answer',
  };
  const message = `${lead[code] ?? 'Databricks rejected the request'} (${request.method} ${request.path}): ${what}${text}`;
  return new StudioError(code, message, { status, errorCode: body.errorCode || null, method: request.method, path: request.path });
}

export function networkError(err: unknown, request: RequestDescription): StudioError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new StudioError('DATABRICKS_UNAVAILABLE', `Databricks did not answer (${request.method} ${request.path}): ${reason}`, {
    status: 0,
    network: true,
    method: request.method,
    path: request.path,
  });
}
