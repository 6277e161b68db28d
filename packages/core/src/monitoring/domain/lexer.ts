import type { LocalizedText } from './types';

export type TokenKind = 'number' | 'money' | 'string' | 'ident' | 'keyword' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** For number/money: the digits as written (money without the 元 sign); for string: the unescaped text. */
  text: string;
  pos: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'in',
  'between',
  'contains',
  'startsWith',
  'endsWith',
  'true',
  'false',
  'null',
]);

/**
 * Names refused outright, wherever they appear: they are how an expression would try to reach the
 * host language. The interpreter has no path to them anyway (records are Maps, calls go through a
 * fixed catalogue) — refusing them at save time tells the author early and keeps stored rules clean.
 */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  'this',
  'new',
  'function',
  'eval',
  'import',
  'require',
  'globalThis',
  'window',
  'process',
  'global',
  'module',
  'exports',
]);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name) || name.startsWith('__');
}

// Longest first so that `>=` wins over `>`.
const PUNCT = [
  '->',
  '!=',
  '>=',
  '<=',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '+',
  '-',
  '*',
  '/',
  '=',
  '>',
  '<',
] as const;

export class SyntaxFault extends Error {
  readonly pos: number;
  readonly text: LocalizedText;
  constructor(pos: number, text: LocalizedText) {
    super(text.en);
    this.name = 'SyntaxFault';
    this.pos = pos;
    this.text = text;
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000';

/** Splits source into tokens; throws {@link SyntaxFault} on the first character it does not accept. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      while (i < src.length && isDigit(src[i]!)) i++;
      if (src[i] === '.' && isDigit(src[i + 1] ?? '')) {
        i++;
        while (i < src.length && isDigit(src[i]!)) i++;
      }
      const text = src.slice(start, i);
      if (src[i] === '元') {
        i++;
        out.push({ kind: 'money', text, pos: start });
      } else {
        if (isIdentStart(src[i] ?? '')) {
          throw new SyntaxFault(i, {
            'zh-CN': '数字后不能紧跟字母',
            en: 'a number cannot be followed by a letter',
          });
        }
        out.push({ kind: 'number', text, pos: start });
      }
      continue;
    }
    if (isIdentStart(c)) {
      while (i < src.length && isIdentPart(src[i]!)) i++;
      const text = src.slice(start, i);
      if (isForbiddenName(text)) {
        throw new SyntaxFault(start, {
          'zh-CN': `不允许使用名称 ${text}`,
          en: `the name ${text} is not allowed`,
        });
      }
      out.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'ident', text, pos: start });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      let text = '';
      for (;;) {
        if (i >= src.length) {
          throw new SyntaxFault(start, { 'zh-CN': '字符串缺少结束引号', en: 'unterminated string' });
        }
        const d = src[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = src[i + 1];
          if (e !== '\\' && e !== "'" && e !== '"') {
            throw new SyntaxFault(i, {
              'zh-CN': '字符串中只允许转义 \\\\、\\\' 和 \\"',
              en: 'only \\\\, \\\' and \\" escapes are allowed in strings',
            });
          }
          text += e;
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      out.push({ kind: 'string', text, pos: start });
      continue;
    }
    const p = PUNCT.find((q) => src.startsWith(q, i));
    if (p !== undefined) {
      i += p.length;
      out.push({ kind: 'punct', text: p, pos: start });
      continue;
    }
    throw new SyntaxFault(start, {
      'zh-CN': `不允许的字符 ${JSON.stringify(c)}`,
      en: `character ${JSON.stringify(c)} is not allowed`,
    });
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}
