/**
 * Encoding detection, dialect sniffing and safe identifiers, each checked against an independent
 * view of the same bytes (Node's own encoders, csv-parse, PostgreSQL's 63-byte rule).
 */
import { describe, expect, it } from 'vitest';
import { createTranscoder, detectEncoding } from '../../electron/engine/ingest/encoding';
import { firstLineEnding, sniffDialect } from '../../electron/engine/ingest/dialect';
import { MAX_IDENTIFIER_BYTES, safeIdentifiers } from '../../electron/engine/ingest/identifiers';

const TEXT = 'ville;prix\nSète;1,5\nCœur;2\n';

function cp1252(text: string): Buffer {
  // Latin-1 code points map to themselves; the few others come from the Windows-1252 table.
  const extra: Record<string, number> = { '€': 0x80, œ: 0x9c, Œ: 0x8c, '’': 0x92 };
  return Buffer.from([...text].map((c) => extra[c] ?? c.charCodeAt(0)));
}

describe('encoding', () => {
  it('recognises BOMs, plain UTF-8, and Windows-1252 when the bytes are not UTF-8', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toEqual({ encoding: 'utf-8', bomBytes: 3 });
    expect(detectEncoding(Buffer.from('\ufeff' + TEXT, 'utf16le'))).toEqual({ encoding: 'utf-16le', bomBytes: 2 });
    expect(detectEncoding(Buffer.from(TEXT))).toEqual({ encoding: 'utf-8', bomBytes: 0 });
    expect(detectEncoding(cp1252(TEXT))).toEqual({ encoding: 'windows-1252', bomBytes: 0 });
    // Mostly valid UTF-8 with one broken byte: still UTF-8 (that row is rejected later).
    expect(detectEncoding(Buffer.concat([Buffer.from('é,è,à,ç\n'), Buffer.from([0xff]), Buffer.from('\n')])).encoding).toBe('utf-8');
  });

  it('transcodes in chunks split anywhere, even inside a character', () => {
    const source = 'id,nom\n1,Łódź 日本 €\n';
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const bytes = encoding === 'utf-16le' ? Buffer.from(source, 'utf16le') : Buffer.from(source, 'utf16le').swap16();
      for (let cut = 1; cut < bytes.length; cut += 3) {
        const transcode = createTranscoder(encoding)!;
        const out = Buffer.concat([transcode(bytes.subarray(0, cut), false), transcode(bytes.subarray(cut), true)]);
        expect(out.toString('utf8')).toBe(source);
      }
    }
    const win = createTranscoder('windows-1252')!;
    expect(win(cp1252('Cœur à 5 €'), true).toString('utf8')).toBe('Cœur à 5 €');
  });
});

describe('dialect', () => {
  it('finds the delimiter that splits the records consistently', () => {
    expect(sniffDialect('a,b,c\n1,2,3\n4,5,6\n', true).delimiter).toBe(',');
    expect(sniffDialect(TEXT, true).delimiter).toBe(';');
    expect(sniffDialect('a\tb\n"x, y"\t2\n', true).delimiter).toBe('\t');
    expect(sniffDialect('a|b|c\n1|2,5|3\n', true).delimiter).toBe('|');
    expect(sniffDialect('only\none\ncolumn\n', true).delimiter).toBe(',');
  });

  it('reads the line ending of the first record, outside quotes', () => {
    expect(firstLineEnding('"a\nb",c\r\n1,2')).toBe('CRLF');
    expect(firstLineEnding('a,b\r1,2')).toBe('CR');
    expect(firstLineEnding('a,b\n')).toBe('LF');
  });
});

describe('identifiers', () => {
  it('keeps names, numbers empty ones, de-duplicates without regard to case, avoids system columns', () => {
    expect(safeIdentifiers(['Year', 'year', '', 'YEAR', '  ', 'xmin', 'select', 'x"; DROP TABLE t; --'])).toEqual([
      'Year',
      'year_2',
      'column_3',
      'YEAR_3',
      'column_5',
      'xmin_2',
      'select',
      'x"; DROP TABLE t; --',
    ]);
  });

  it('stays within 63 bytes on a character boundary, also after a suffix', () => {
    const long = 'é'.repeat(40);
    const ids = safeIdentifiers([long, long, 'a\u0000b\nc']);
    for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(ids[0]).toBe('é'.repeat(Math.floor(MAX_IDENTIFIER_BYTES / 2)));
    expect(ids[1]).toBe('é'.repeat(Math.floor((MAX_IDENTIFIER_BYTES - 2) / 2)) + '_2');
    expect(ids[2]).toBe('a b c');
  });
});
