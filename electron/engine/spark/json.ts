/**
 * JSON for the Databricks API. Run and job ids are int64 (real ones are around 1e15, and nothing
 * stops them growing past 2^53): integers that a double cannot hold exactly are kept as their
 * decimal text, and the client carries every id as a string.
 */

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const keepBigIntegers: Reviver = (_key, value, context) => {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    !Number.isSafeInteger(value) &&
    context?.source &&
    /^-?\d+$/.test(context.source)
  ) {
    return context.source;
  }
  return value;
};

export function parseJson<T>(text: string): T {
  return JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown) as T;
}

/** An id as the API wants it in a JSON body: a bare integer, whatever its size. */
export function idLiteral(id: string | number): RawJson {
  const text = String(id);
  if (!/^\d{1,20}$/.test(text)) throw new TypeError(`not a Databricks id: ${text}`);
  return new RawJson(text);
}

/** A fragment written into the JSON as is (used for int64 ids). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawJson fragments verbatim. */
export function stringifyJson(value: unknown): string {
  const raws: string[] = [];
  const marked = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return marked.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

/** An id from an API answer as a string (it may arrive as a number or, when huge, as text already). */
export function idString(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new TypeError(`not a Databricks id: ${String(value)}`);
}
