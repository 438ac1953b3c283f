/**
 * The hot path against an independent parser: random CSV (quotes, delimiters, CR/LF/CRLF inside
 * fields, accents, stray quotes) is scanned in chunks of every size, and what the load pass would
 * send to COPY, read back by csv-parse, is exactly the records that were written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { LoadPass } from '../../electron/engine/ingest/pass';
import { RecordScanner, ScanStatus } from '../../electron/engine/ingest/scanner';
import type { FormatName } from '../../electron/engine/ingest/values';
import { mulberry32 as rng } from '../../electron/engine/generate/random';

const PIECES = ['a', 'bc', ' ', 'é', '日本', '"', ',', ';', '\t', '|', '\n', '\r\n', '\r', 'x"y', '0', '123'];

function randomField(r: () => number): string {
  const n = Math.floor(r() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function quote(value: string, delimiter: string): string {
  return value === '' || !(value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value))
    ? value
    : `"${value.replace(/"/g, '""')}"`;
}

function randomCsv(seed: number, delimiter: string, eol: string, rows: number, columns: number) {
  const r = rng(seed);
  const header = Array.from({ length: columns }, (_, i) => `c${i}`);
  // The first column is an integer: the load pass checks typed values on the way.
  const records = Array.from({ length: rows }, (_, i) => [String(i + 1), ...Array.from({ length: columns - 1 }, () => randomField(r))]);
  // Avoid records csv-parse would skip or misread as blank lines: a lone empty field.
  const text = [header, ...records].map((rec) => rec.map((v) => quote(v, delimiter)).join(delimiter)).join(eol) + (r() < 0.5 ? eol : '');
  return { header, records, text };
}

describe('RecordScanner', () => {
  it('splits random CSV into the same fields as csv-parse', () => {
    for (const [seed, delimiter, eol] of [
      [1, ',', '\n'],
      [2, ';', '\r\n'],
      [3, '\t', '\r'],
      [4, '|', '\n'],
    ] as const) {
      const { text } = randomCsv(seed, delimiter, eol, 400, 5);
      const expected = parse(text, { delimiter }) as string[][];
      const buf = Buffer.from(text);
      const scanner = new RecordScanner(delimiter.charCodeAt(0));
      const got: string[][] = [];
      for (let pos = 0; pos < buf.length; pos = scanner.next) {
        expect(scanner.scan(buf, pos, buf.length, true)).toBe(ScanStatus.Complete);
        got.push(Array.from({ length: scanner.fieldCount }, (_, f) => scanner.fieldText(buf, f)));
      }
      expect(got).toEqual(expected);
    }
  });

  it('says Incomplete rather than guessing when a chunk ends inside a record', () => {
    const buf = Buffer.from('1,"a\r\nb",c\r\n');
    const scanner = new RecordScanner(0x2c);
    for (let cut = 1; cut < buf.length - 1; cut++) expect(scanner.scan(buf, 0, cut, false), `cut at ${cut}`).toBe(ScanStatus.Incomplete);
    expect(scanner.scan(buf, 0, buf.length, false)).toBe(ScanStatus.Complete);
    expect(scanner.fieldText(buf, 1)).toBe('a\r\nb');
    expect(scanner.innerLines).toBe(1);
  });
});

describe('LoadPass forwarding', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-scan-'));

  async function forward(text: string, delimiter: ',' | ';' | '\t' | '|', columns: number, chunkBytes: number, formats?: FormatName[]) {
    const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}.csv`);
    fs.writeFileSync(file, text);
    const out: Buffer[] = [];
    const pass = new LoadPass({
      file,
      bomBytes: 0,
      encoding: 'utf-8',
      delimiter,
      names: Array.from({ length: columns }, (_, i) => `c${i}`),
      identifiers: Array.from({ length: columns }, (_, i) => `c${i}`),
      formats: formats ?? ['integer', ...Array<FormatName>(columns - 1).fill('text')],
      forced: Array<boolean>(columns).fill(false),
      onError: 'skip',
      typeMismatch: 'widen',
      signal: new AbortController().signal,
      sink: { write: async (b) => void out.push(Buffer.from(b)) },
      rejects: null,
      chunkBytes,
    });
    const result = await pass.run();
    return { result, sent: Buffer.concat(out).toString('utf8') };
  }

  for (const chunkBytes of [1, 3, 17, 256, 65536]) {
    it(`sends exactly the records written, whatever the chunk size (${chunkBytes} bytes)`, async () => {
      for (const [seed, delimiter, eol] of [
        [10 + chunkBytes, ',', '\r\n'],
        [20 + chunkBytes, ';', '\n'],
        [30 + chunkBytes, '\t', '\r'],
      ] as const) {
        const { records, text } = randomCsv(seed, delimiter, eol, chunkBytes < 10 ? 60 : 300, 4);
        const { result, sent } = await forward(text, delimiter, 4, chunkBytes);
        expect(result.rows).toBe(records.length);
        expect(result.widened).toEqual([]);
        // What PostgreSQL receives is plain CSV; csv-parse reading it gives the records back.
        expect(parse(sent, { delimiter, relax_quotes: false })).toEqual(records);
      }
    });
  }

  it('re-quotes stray quotes and normalises mixed line ends for PostgreSQL', async () => {
    const { sent } = await forward('id,v\r\n1,12" pizza\n2,"ok"\r3,x\r\n', ',', 2, 5);
    expect(sent).toBe('1,"12"" pizza"\r\n2,"ok"\r\n3,x\r\n');
  });

  it('rewrites decimal commas and day-first dates to what PostgreSQL reads', async () => {
    const { sent } = await forward('id;p;d\n1;1,5;31/12/2024\n2;;1/2/2024\n', ';', 3, 4, ['integer', 'numericComma', 'dateDmy']);
    expect(sent).toBe('1;1.5;2024-12-31\n2;;2024-02-01\n');
  });
});
