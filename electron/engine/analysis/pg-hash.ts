/**
 * PostgreSQL's `hashtext()` in JavaScript (its `hash_bytes`, Bob Jenkins' lookup3 with the last
 * word's low byte kept for the length), so a checksum summed by the server over a table can be
 * summed here over a frame's values and the two compared. Valid for deterministic collations
 * (the default), where `hashtext` hashes the UTF-8 bytes.
 */

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** Reads a little-endian 32-bit word of `b` at `i` (missing bytes are 0). */
function word(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** `hash_bytes(b[0..len))` as an unsigned 32-bit integer. */
export function hashBytes(b: Uint8Array, len: number): number {
  let a = (0x9e3779b9 + len + 3923095) | 0;
  let bb = a;
  let c = a;
  let i = 0;
  let left = len;
  while (left >= 12) {
    a = (a + word(b, i)) | 0;
    bb = (bb + word(b, i + 4)) | 0;
    c = (c + word(b, i + 8)) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + bb) | 0; // prettier-ignore
    bb = (bb - a) | 0;
    bb ^= rot(a, 6);
    a = (a + c) | 0; // prettier-ignore
    c = (c - bb) | 0;
    c ^= rot(bb, 8);
    bb = (bb + a) | 0; // prettier-ignore
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + bb) | 0; // prettier-ignore
    bb = (bb - a) | 0;
    bb ^= rot(a, 19);
    a = (a + c) | 0; // prettier-ignore
    c = (c - bb) | 0;
    c ^= rot(bb, 4);
    bb = (bb + a) | 0; // prettier-ignore
    i += 12;
    left -= 12;
  }
  // The tail: up to 11 bytes; c's lowest byte is left for the length.
  if (left >= 9) c = (c + ((b[i + 8]! << 8) | (left > 9 ? b[i + 9]! << 16 : 0) | (left > 10 ? b[i + 10]! << 24 : 0))) | 0;
  if (left >= 8) {
    bb = (bb + word(b, i + 4)) | 0;
    a = (a + word(b, i)) | 0;
  } else if (left >= 4) {
    bb = (bb + (left > 4 ? b[i + 4]! | (left > 5 ? b[i + 5]! << 8 : 0) | (left > 6 ? b[i + 6]! << 16 : 0) : 0)) | 0;
    a = (a + word(b, i)) | 0;
  } else if (left > 0) {
    a = (a + (b[i]! | (left > 1 ? b[i + 1]! << 8 : 0) | (left > 2 ? b[i + 2]! << 16 : 0))) | 0;
  }
  c ^= bb;
  c = (c - rot(bb, 14)) | 0; // prettier-ignore
  a ^= c;
  a = (a - rot(c, 11)) | 0; // prettier-ignore
  bb ^= a;
  bb = (bb - rot(a, 25)) | 0; // prettier-ignore
  c ^= bb;
  c = (c - rot(bb, 16)) | 0; // prettier-ignore
  a ^= c;
  a = (a - rot(c, 4)) | 0; // prettier-ignore
  bb ^= a;
  bb = (bb - rot(a, 14)) | 0; // prettier-ignore
  c ^= bb;
  c = (c - rot(bb, 24)) | 0; // prettier-ignore
  return c >>> 0;
}

let scratch = new Uint8Array(1024);
const encoder = new TextEncoder();

/** `hashtext(value)` as PostgreSQL returns it (a signed 32-bit integer). */
export function hashText(value: string): number {
  if (value.length * 3 + 16 > scratch.length) scratch = new Uint8Array(value.length * 3 + 16);
  const { written } = encoder.encodeInto(value, scratch);
  // word() may read up to 3 bytes past the end: keep them zero for the tail's partial words.
  scratch.fill(0, written, written + 4);
  return hashBytes(scratch, written) | 0;
}
