import { codecError, VoucherCodecError } from './errors';

/**
 * Legacy counterparts speak GBK (DOMAIN.md §4.2), newer ones UTF-8. Decoding uses the WHATWG
 * TextDecoder (Node ships full ICU); TextEncoder writes UTF-8 only, so GBK is encoded through a
 * table inverted once from the decoder — no iconv dependency, and both directions agree by
 * construction.
 */
export type XmlEncoding = 'UTF-8' | 'GBK';

const LABELS: Record<string, XmlEncoding> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  gbk: 'GBK',
  gb2312: 'GBK',
  cp936: 'GBK',
};

/** GB2312 is a subset of GBK, so a GB2312 label decodes as GBK. */
export function encodingFromLabel(label: string): XmlEncoding | null {
  return LABELS[label.trim().toLowerCase()] ?? null;
}

/** The encoding named by an `<?xml … encoding="…"?>` declaration; UTF-8 when there is none (XML 1.0 §4.3.3). */
export function declaredEncodingLabel(bytes: Uint8Array): string {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  // The declaration is ASCII in every encoding we accept, so latin1 reads it safely.
  const head = Buffer.from(bytes.subarray(start, start + 200)).toString('latin1');
  if (!head.startsWith('<?xml')) return 'UTF-8';
  const end = head.indexOf('?>');
  const m = /\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(end < 0 ? head : head.slice(0, end));
  return m?.[1] ?? 'UTF-8';
}

export function decodeText(bytes: Uint8Array, encoding: XmlEncoding): string {
  // fatal: an invalid byte sequence is an error, never a silent U+FFFD inside a payee name.
  return new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'gbk', { fatal: true }).decode(bytes);
}

let gbkTable: Map<number, number> | undefined;

function gbkEncodeTable(): Map<number, number> {
  if (gbkTable !== undefined) return gbkTable;
  const decoder = new TextDecoder('gbk');
  const table = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = decoder.decode(pair);
      if (ch.length !== 1 || ch === '\ufffd') continue;
      // First pair wins, matching the encoder of the WHATWG Encoding standard (lowest pointer).
      if (!table.has(ch.charCodeAt(0))) table.set(ch.charCodeAt(0), (lead << 8) | trail);
    }
  }
  gbkTable = table;
  return table;
}

export function encodeText(text: string, encoding: XmlEncoding): Uint8Array {
  if (encoding === 'UTF-8') return new TextEncoder().encode(text);
  const table = gbkEncodeTable();
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    // The WHATWG GBK encoder writes € as the single byte 0x80, as Windows code page 936 does.
    if (c === 0x20ac) {
      out[n++] = 0x80;
      continue;
    }
    const code = table.get(c);
    if (code === undefined) {
      const cp = text.codePointAt(i) ?? c;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      throw new VoucherCodecError([codecError('ENCODING_UNREPRESENTABLE', '', `U+${hex} has no GBK code`)]);
    }
    out[n++] = code >> 8;
    out[n++] = code & 0xff;
  }
  return out.slice(0, n);
}
