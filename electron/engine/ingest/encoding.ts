/**
 * Which text encoding a file uses, and a streaming transcoder to UTF-8 (what PostgreSQL is sent).
 * UTF-8 passes through untouched (the hot path); other encodings go through the WHATWG
 * TextDecoder, whose windows-1252 table maps every byte (0x81 → U+0081, …), so nothing is lost.
 */
import { isUtf8 } from 'node:buffer';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncoding;
  /** Bytes of byte-order mark at the start of the file (skipped). */
  bomBytes: number;
}

/** Counts valid multi-byte UTF-8 sequences and invalid bytes in a sample. */
function utf8Evidence(sample: Uint8Array): { multiByte: number; invalid: number } {
  let multiByte = 0;
  let invalid = 0;
  let i = 0;
  const n = sample.length;
  while (i < n) {
    const c = sample[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0) {
      invalid++;
      i++;
      continue;
    }
    if (i + len > n) break; // cut by the end of the sample
    if (isUtf8(sample.subarray(i, i + len))) {
      multiByte++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { multiByte, invalid };
}

/**
 * BOM first; otherwise UTF-8 unless the sample has invalid sequences and no (or fewer) valid
 * multi-byte ones, which is what a Windows-1252/Latin-1 file looks like. A UTF-8 file with a few
 * broken rows stays UTF-8: those rows are rejected as undecodable.
 */
export function detectEncoding(sample: Uint8Array, probes: Uint8Array[] = []): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 };
  let { multiByte, invalid } = utf8Evidence(sample);
  // Probes from the middle of the file (a file can be ASCII for megabytes before its first
  // accent); a probe may start inside a character, so skip leading continuation bytes.
  for (const probe of probes) {
    let start = 0;
    while (start < 3 && start < probe.length && (probe[start]! & 0xc0) === 0x80) start++;
    const more = utf8Evidence(probe.subarray(start));
    multiByte += more.multiByte;
    invalid += more.invalid;
  }
  if (invalid > 0 && invalid >= multiByte) return { encoding: 'windows-1252', bomBytes: 0 };
  return { encoding: 'utf-8', bomBytes: 0 };
}

/** Turns chunks of the file (after the BOM) into UTF-8 bytes; `null` means pass-through. */
export type Transcoder = ((chunk: Uint8Array, final: boolean) => Buffer) | null;

export function createTranscoder(encoding: TextEncoding): Transcoder {
  if (encoding === 'utf-8') return null;
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  return (chunk, final) => Buffer.from(decoder.decode(chunk, { stream: !final }), 'utf8');
}
