/** SQL text helpers. Identifiers are always quoted; values always go as bound parameters. */

/** Quotes an identifier for PostgreSQL: wraps in double quotes and doubles any inside. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL byte');
  return `"${name.replace(/"/g, '""')}"`;
}
