import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sendBackoffMs } from './backoff';

describe('sendBackoffMs', () => {
  it('doubles from the base up to the cap', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 20].map((a) => sendBackoffMs(a, 1000, 10_000, none))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
  test.prop([fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 0.999_999, noNaN: true })])(
    'stays between half the step and the cap',
    (attempt, r) => {
      const ms = sendBackoffMs(attempt, 200, 5000, () => r);
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThanOrEqual(5000);
    },
  );
});
