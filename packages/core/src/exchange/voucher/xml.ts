import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  declaredEncodingLabel,
  decodeText,
  encodeText,
  encodingFromLabel,
  type XmlEncoding,
} from './charset';
import { type CodecError, codecError, type Decoded } from './errors';

/**
 * fast-xml-parser configured once for voucher XML: attributes as `@_name`, every value kept as
 * text (a VoucherNo like 00012 must not become the number 12), repeated rows always arrays.
 */

export const ATTR = '@_';
export const TEXT = '#text';
/** Elements that repeat; a single <Detail> must still parse as a list. */
const LISTS = new Set(['VoucherBody', 'Detail', 'Signature']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Needed for numeric character references (&#20013;); named HTML entities never get this far,
  // `badReference` refuses them first.
  htmlEntities: true,
  isArray: (name) => LISTS.has(name),
});

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

export type XmlNode = Record<string, unknown>;

/** A document object to XML bytes with its declaration; the declared and actual encodings agree. */
export function buildXml(root: XmlNode, encoding: XmlEncoding): Uint8Array {
  const text = builder.build({
    '?xml': { [`${ATTR}version`]: '1.0', [`${ATTR}encoding`]: encoding },
    ...root,
  });
  return encodeText(text, encoding);
}

/**
 * Bytes to a document object, or errors. DOCTYPE is refused outright: vouchers need no entity
 * definitions, and refusing them closes entity-expansion and external-entity attacks.
 */
export function parseXml(bytes: Uint8Array, path: string): Decoded<XmlNode> {
  const label = declaredEncodingLabel(bytes);
  const encoding = encodingFromLabel(label);
  if (encoding === null) {
    return fail(codecError('ENCODING_UNSUPPORTED', path, `encoding ${label} is not supported`));
  }
  let text: string;
  try {
    text = decodeText(bytes, encoding);
  } catch {
    return fail(codecError('ENCODING_INVALID', path, `bytes are not valid ${encoding}`));
  }
  if (/<!DOCTYPE/i.test(text)) {
    return fail(codecError('XML_DOCTYPE_FORBIDDEN', path, 'DOCTYPE is not allowed'));
  }
  const bad = badCharacter(text);
  if (bad !== null) return fail(codecError('XML_MALFORMED', path, bad));
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return fail(codecError('XML_MALFORMED', path, `${msg} (line ${line}, column ${col})`));
  }
  try {
    return { ok: true, value: parser.parse(text) as XmlNode };
  } catch (e) {
    return fail(codecError('XML_MALFORMED', path, e instanceof Error ? e.message : String(e)));
  }
}

// XML 1.0 §2.2 Char: the parser would silently drop these, changing the data instead of refusing it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ILLEGAL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);|&/g;
const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

function legalCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Illegal characters, references to them, and entity references other than XML's five: without a
 * DTD (refused) any other name is undefined. CDATA and comments are literal, so they are skipped.
 */
function badCharacter(text: string): string | null {
  if (ILLEGAL_CHAR.test(text)) return 'control character not allowed in XML';
  const scanned = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  for (const m of scanned.matchAll(REFERENCE)) {
    const ref = m[1];
    if (ref === undefined) return 'bare & not allowed; write &amp;';
    if (!ref.startsWith('#')) {
      if (!PREDEFINED.has(ref)) return `undefined entity &${ref};`;
      continue;
    }
    const cp = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    if (!legalCodePoint(cp)) return `character reference &${ref}; is not an XML character`;
  }
  return null;
}

function fail(error: CodecError): Decoded<never> {
  return { ok: false, errors: [error] };
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits a parsed element into its attributes (without prefix), text, and child elements. */
export function splitNode(value: unknown): {
  attrs: Record<string, unknown>;
  text: unknown;
  children: XmlNode;
} {
  if (!isNode(value)) return { attrs: {}, text: value, children: {} };
  const attrs: Record<string, unknown> = {};
  const children: XmlNode = {};
  let text: unknown = '';
  for (const [k, v] of Object.entries(value)) {
    if (k === TEXT) text = v;
    else if (k.startsWith(ATTR)) attrs[k.slice(ATTR.length)] = v;
    else children[k] = v;
  }
  return { attrs, text, children };
}
