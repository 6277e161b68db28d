import { describe, expect, it } from 'vitest';
import { maskIdNo } from './mask';

describe('maskIdNo', () => {
  it('keeps the first and last four of an 18-character id', () => {
    expect(maskIdNo('530102199001011234')).toBe('5301**********1234');
    expect(maskIdNo('91530700MA6K12345X')).toBe('9153**********345X');
  });
  it('keeps one character at each end of a short number and hides tiny ones', () => {
    expect(maskIdNo('12345678')).toBe('1******8');
    expect(maskIdNo('12')).toBe('**');
  });
});
