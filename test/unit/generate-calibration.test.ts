/**
 * The generator's calibration is data derived from the real rows: deriving it again from the
 * fixtures gives the committed file byte for byte, and the generator reads that same file.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALIBRATION } from '../../electron/engine/generate/calibration';
import { CALIBRATION_FILE, calibrationJson, deriveCalibration } from '../../tools/derive-calibration';

describe('generator calibration', () => {
  it('re-deriving it from the real rows gives the committed calibration.json', () => {
    expect(calibrationJson(deriveCalibration())).toBe(fs.readFileSync(CALIBRATION_FILE, 'utf8'));
  });

  it('is what the generator loads, counted from all 4,401 complete and 32 raw rows', () => {
    expect(CALIBRATION).toEqual(JSON.parse(fs.readFileSync(CALIBRATION_FILE, 'utf8')));
    expect(CALIBRATION.source).toEqual({ completeRows: 4401, rawRows: 32 });
    expect(CALIBRATION.bodyType.reduce((sum, [, n]) => sum + n, 0)).toBe(4401);
  });
});
