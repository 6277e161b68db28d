import { describe, expect, it } from 'vitest';
import { declaredEncodingLabel, decodeText, encodeText, encodingFromLabel } from './charset';
import { VoucherCodecError } from './errors';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('charset', () => {
  it('encodes GBK as the standard tables do', () => {
    expect(hex(encodeText('中国 A', 'GBK'))).toBe('d6d0b9fa2041');
    expect(hex(encodeText('财政（）￥', 'GBK'))).toBe('b2c6d5fea3a8a3a9a3a4');
    expect(hex(encodeText('€', 'GBK'))).toBe('80');
  });

  it('round-trips every CJK unified ideograph of GBK', () => {
    let all = '';
    for (let c = 0x4e00; c <= 0x9fa5; c++) all += String.fromCharCode(c);
    const bytes = encodeText(all, 'GBK');
    expect(bytes.length).toBe(all.length * 2);
    expect(decodeText(bytes, 'GBK')).toBe(all);
  });

  it('refuses characters GBK lacks and invalid bytes', () => {
    expect(() => encodeText('😀', 'GBK')).toThrow(VoucherCodecError);
    expect(() => encodeText('😀', 'GBK')).toThrow(/U\+1F600/);
    expect(() => decodeText(Uint8Array.from([0xd6]), 'GBK')).toThrow();
    expect(() => decodeText(Uint8Array.from([0xc3, 0x28]), 'UTF-8')).toThrow();
  });

  it('reads the declared encoding', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(declaredEncodingLabel(enc('<?xml version="1.0" encoding="GBK"?><a/>'))).toBe('GBK');
    expect(declaredEncodingLabel(enc("\ufeff<?xml version='1.0' encoding='gb2312' ?><a/>"))).toBe('gb2312');
    expect(declaredEncodingLabel(enc('<?xml version="1.0"?><a encoding="GBK"/>'))).toBe('UTF-8');
    expect(declaredEncodingLabel(enc('<a/>'))).toBe('UTF-8');
    expect(['utf-8', 'UTF8', 'GBK', 'gb2312', 'CP936', 'Big5'].map(encodingFromLabel)).toEqual([
      'UTF-8',
      'UTF-8',
      'GBK',
      'GBK',
      'GBK',
      null,
    ]);
  });
});
