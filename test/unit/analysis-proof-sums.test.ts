/**
 * The proof's hash sums stay exact past 2^53: a coded text column of 10 M rows sums a hash of up
 * to 2^31 times a count of millions (at 10 M rows the proof used to fail on the three columns
 * whose commonest value has the largest hash, and every 10 M import reloaded from PostgreSQL).
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { hashText } from '../../electron/engine/analysis/pg-hash';
import { frameChecksums } from '../../electron/engine/analysis/snapshot-proof';

describe('the proof of a coded text column', () => {
  it('sums count × hashtext exactly when the sum passes 2^53', () => {
    // Labels with large odd hashes, and odd counts, so that hash × count needs more than the 53
    // bits of a double.
    const candidates = [
      'Going Straight Ahead',
      'HUMAN',
      'Not Entered',
      'Collision With Fixed Object',
      'Unknown',
      'Parked',
      'ENVMT',
      'VEHICLE',
    ];
    const labels = candidates
      .filter((l) => hashText(l) % 2 !== 0)
      .sort((a, b) => Math.abs(hashText(b)) - Math.abs(hashText(a)))
      .slice(0, 2)
      .sort();
    expect(labels).toHaveLength(2);
    const counts = [7_000_001, 3_000_001];
    const codes = new Uint8Array(counts[0]! + counts[1]!);
    codes.fill(1, counts[0]);
    // nodejs-polars takes a typed array at run time; its declaration lists only plain arrays.
    const frame = pl.DataFrame([pl.Series('v', codes as unknown as number[], pl.UInt8)]);
    const expected = labels.reduce((sum, label, i) => sum + BigInt(hashText(label)) * BigInt(counts[i]!), 0n);
    const largest = BigInt(Math.abs(hashText(labels[0]!))) * BigInt(counts[0]!);
    expect(largest > 2n ** 53n).toBe(true);

    const sums = frameChecksums({ frame, dictionaries: { v: labels } }, [{ name: 'v', identifier: 'v', type: 'text' }]);
    expect(sums.columns.v).toEqual({ n: String(counts[0]! + counts[1]!), hash: expected.toString() });
  });
});
