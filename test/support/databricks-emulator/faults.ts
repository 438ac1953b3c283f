/**
 * Injectable faults: the next matching requests get a chosen answer (a status with a body and
 * headers, or a dropped connection) instead of the real one.
 */
export type FaultAnswer = { kind: 'status'; status: number; body: string; headers?: Record<string, string> } | { kind: 'drop' };

export interface FaultRule {
  method?: string;
  /** A path prefix (`/api/2.2/jobs/runs/submit`) or a pattern. */
  path: string | RegExp;
  times: number;
  answer: FaultAnswer;
  /** Filled in as the rule fires. */
  fired: number;
}

export class FaultQueue {
  private rules: FaultRule[] = [];

  add(rule: Omit<FaultRule, 'fired'>): FaultRule {
    const r = { ...rule, fired: 0 };
    this.rules.push(r);
    return r;
  }

  /** The answer for this request, consuming one use of the first matching rule. */
  take(method: string, path: string): FaultAnswer | null {
    const rule = this.rules.find(
      (r) =>
        r.fired < r.times &&
        (!r.method || r.method === method) &&
        (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(path)),
    );
    if (!rule) return null;
    rule.fired++;
    return rule.answer;
  }

  clear(): void {
    this.rules = [];
  }
}

const json = (errorCode: string | number, message: string) => JSON.stringify({ error_code: errorCode, message });

export const faultAnswers = {
  rateLimited: (retryAfterSeconds = 1): FaultAnswer => ({
    kind: 'status',
    status: 429,
    body: json('REQUEST_LIMIT_EXCEEDED', 'Too many requests. Please wait a moment and try again.'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  unavailable: (retryAfterSeconds?: number): FaultAnswer => ({
    kind: 'status',
    status: 503,
    body: json('TEMPORARILY_UNAVAILABLE', 'The service is temporarily unavailable.'),
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  }),
  /** An HTML page as a load balancer sends it. */
  html: (status = 502): FaultAnswer => ({
    kind: 'status',
    status,
    body: `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server did not respond.</p></body></html>`,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  }),
  /** Job-creation throttling as Databricks sends it on runs/submit. */
  invalidState: (message = 'The maximum number of concurrent runs has been reached; try again later.'): FaultAnswer => ({
    kind: 'status',
    status: 400,
    body: json('INVALID_STATE', message),
  }),
  plainText: (status: number, text: string): FaultAnswer => ({
    kind: 'status',
    status,
    body: text,
    headers: { 'content-type': 'text/plain' },
  }),
  empty: (status: number): FaultAnswer => ({ kind: 'status', status, body: '' }),
  drop: (): FaultAnswer => ({ kind: 'drop' }),
};
