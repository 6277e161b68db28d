import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes bigint as a string', () => {
    expect(canonicalJson({ b: 1, a: { d: 2n, c: [3, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[3,{"e":0,"f":1}],"d":"2"},"b":1}',
    );
  });
  it('drops undefined properties', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
  test.prop([fc.dictionary(fc.string(), fc.jsonValue())])('does not depend on key order', (obj) => {
    const reversed = Object.fromEntries(Object.entries(obj).reverse());
    expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
  });
});
