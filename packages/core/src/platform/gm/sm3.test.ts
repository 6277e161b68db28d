import { describe, expect, it } from 'vitest';
import { sm3Hex } from './sm3';

// Test vectors from GB/T 32905-2016 appendix A.
describe('sm3', () => {
  it('hashes "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('hashes the 64-byte example', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });
});
