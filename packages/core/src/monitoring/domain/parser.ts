import { parseYuan } from '../../kernel/money';
import type { Arg, BinaryOp, Expr, Lambda } from './ast';
import { SyntaxFault, type Token, tokenize } from './lexer';

/** Nesting the parser will follow (parentheses, lists, calls, `not`, unary minus) before refusing. */
export const MAX_NESTING = 32;

const COMPARISON: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const STRING_OPS: ReadonlySet<string> = new Set(['contains', 'startsWith', 'endsWith']);

/*
 * Grammar (lowest precedence first):
 *   expr    := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := sum [ ('='|'!='|'<'|'<='|'>'|'>=') sum
 *                  | ['not'] ('contains'|'startsWith'|'endsWith'|'in') sum
 *                  | ['not'] 'between' sum 'and' sum ]
 *   sum     := product (('+'|'-') product)*
 *   product := unary (('*'|'/') unary)*
 *   unary   := '-' unary | postfix
 *   postfix := primary ('.' ident)*
 *   primary := number | number'元' | string | true | false | null | '[' [expr (',' expr)*] ']'
 *            | ident '(' [arg (',' arg)*] ')' | ident | '(' expr ')'
 *   arg     := ident '->' expr | expr
 * `yuan('123.45')` is a money literal. Comparisons do not chain.
 */
class Parser {
  private i = 0;
  private nesting = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private is(kind: Token['kind'], text?: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t !== undefined && t.kind === kind && (text === undefined || t.text === text);
  }
  private expect(kind: Token['kind'], text: string): Token {
    const t = this.peek();
    if (t.kind !== kind || t.text !== text) {
      throw new SyntaxFault(t.pos, {
        'zh-CN': `此处应为 ${text}，实际为 ${describe(t, 'zh')}`,
        en: `expected ${text} but found ${describe(t)}`,
      });
    }
    return this.next();
  }
  private enter(pos: number): void {
    if (++this.nesting > MAX_NESTING) {
      throw new SyntaxFault(pos, {
        'zh-CN': `表达式嵌套超过 ${MAX_NESTING} 层`,
        en: `expression nests deeper than ${MAX_NESTING} levels`,
      });
    }
  }
  private leave(): void {
    this.nesting--;
  }

  parseAll(): Expr {
    const e = this.expr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      throw new SyntaxFault(t.pos, {
        'zh-CN': `多余的内容 ${describe(t, 'zh')}`,
        en: `unexpected ${describe(t)}`,
      });
    }
    return e;
  }

  private expr(): Expr {
    let left = this.and();
    while (this.is('keyword', 'or')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.is('keyword', 'and')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'and', left, right: this.not(), pos };
    }
    return left;
  }

  private not(): Expr {
    if (this.is('keyword', 'not')) {
      const pos = this.next().pos;
      this.enter(pos);
      const operand = this.not();
      this.leave();
      return { kind: 'not', operand, pos };
    }
    return this.cmp();
  }

  private cmp(): Expr {
    const left = this.sum();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARISON.has(t.text)) {
      this.next();
      const right = this.sum();
      this.refuseChain();
      return { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
    const negated = this.is('keyword', 'not');
    if (negated) this.next();
    const k = this.peek();
    let out: Expr;
    if (k.kind === 'keyword' && (STRING_OPS.has(k.text) || k.text === 'in')) {
      this.next();
      out = { kind: 'binary', op: k.text as BinaryOp, left, right: this.sum(), pos: k.pos };
    } else if (k.kind === 'keyword' && k.text === 'between') {
      this.next();
      const low = this.sum();
      this.expect('keyword', 'and');
      out = { kind: 'between', value: left, low, high: this.sum(), pos: k.pos };
    } else if (negated) {
      throw new SyntaxFault(k.pos, {
        'zh-CN': 'not 之后应为 in、between、contains、startsWith 或 endsWith',
        en: 'expected in, between, contains, startsWith or endsWith after not',
      });
    } else {
      return left;
    }
    this.refuseChain();
    return negated ? { kind: 'not', operand: out, pos: t.pos } : out;
  }

  private refuseChain(): void {
    const t = this.peek();
    if ((t.kind === 'punct' && COMPARISON.has(t.text)) || (t.kind === 'keyword' && STRING_OPS.has(t.text))) {
      throw new SyntaxFault(t.pos, {
        'zh-CN': '比较不能连写，请用 and 连接或加括号',
        en: 'comparisons do not chain; join them with and, or add parentheses',
      });
    }
  }

  private sum(): Expr {
    let left = this.product();
    while (this.is('punct', '+') || this.is('punct', '-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: this.product(), pos: t.pos };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    while (this.is('punct', '*') || this.is('punct', '/')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.is('punct', '-')) {
      const pos = this.next().pos;
      this.enter(pos);
      const operand = this.unary();
      this.leave();
      return { kind: 'neg', operand, pos };
    }
    let e = this.primary();
    while (this.is('punct', '.')) {
      this.next();
      const f = this.peek();
      if (f.kind !== 'ident') {
        throw new SyntaxFault(f.pos, {
          'zh-CN': '点号后应为字段名',
          en: 'expected a field name after the dot',
        });
      }
      this.next();
      if (this.is('punct', '(')) {
        throw new SyntaxFault(f.pos, {
          'zh-CN': '只能调用函数目录中的函数，不能调用字段',
          en: 'only catalogue functions can be called, not fields',
        });
      }
      e = { kind: 'member', object: e, field: f.text, pos: f.pos };
    }
    return e;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        if (t.text.replace('.', '').length > 15) {
          throw new SyntaxFault(t.pos, { 'zh-CN': '数字超过 15 位', en: 'number has more than 15 digits' });
        }
        return { kind: 'num', value: Number(t.text), pos: t.pos };
      case 'money':
        return { kind: 'money', fen: this.yuan(t), pos: t.pos };
      case 'string':
        return { kind: 'str', value: t.text, pos: t.pos };
      case 'keyword':
        if (t.text === 'true' || t.text === 'false')
          return { kind: 'bool', value: t.text === 'true', pos: t.pos };
        if (t.text === 'null') return { kind: 'null', pos: t.pos };
        break;
      case 'ident':
        if (this.is('punct', '(')) return this.call(t);
        return { kind: 'name', name: t.text, pos: t.pos };
      case 'punct':
        if (t.text === '(') {
          this.enter(t.pos);
          const e = this.expr();
          this.expect('punct', ')');
          this.leave();
          return e;
        }
        if (t.text === '[') {
          this.enter(t.pos);
          const items: Expr[] = [];
          if (!this.is('punct', ']')) {
            do items.push(this.expr());
            while (this.is('punct', ',') && this.next());
          }
          this.expect('punct', ']');
          this.leave();
          return { kind: 'list', items, pos: t.pos };
        }
        break;
      default:
        break;
    }
    throw new SyntaxFault(t.pos, {
      'zh-CN': `此处不应出现 ${describe(t, 'zh')}`,
      en: `unexpected ${describe(t)}`,
    });
  }

  private call(name: Token): Expr {
    this.expect('punct', '(');
    this.enter(name.pos);
    const args: Arg[] = [];
    if (!this.is('punct', ')')) {
      do args.push(this.arg());
      while (this.is('punct', ',') && this.next());
    }
    this.expect('punct', ')');
    this.leave();
    if (name.text === 'yuan') {
      const a = args[0];
      if (args.length !== 1 || a === undefined || a.kind !== 'str') {
        throw new SyntaxFault(name.pos, {
          'zh-CN': "yuan() 只接受一个字符串金额，例如 yuan('50000.00')",
          en: "yuan() takes one quoted amount, e.g. yuan('50000.00')",
        });
      }
      return { kind: 'money', fen: this.yuan({ kind: 'money', text: a.value, pos: a.pos }), pos: name.pos };
    }
    return { kind: 'call', fn: name.text, args, pos: name.pos };
  }

  private arg(): Arg {
    if (this.is('ident') && this.is('punct', '->', 1)) {
      const p = this.next();
      this.next();
      const body = this.expr();
      return { kind: 'lambda', param: p.text, body, pos: p.pos } satisfies Lambda;
    }
    return this.expr();
  }

  private yuan(t: Token): bigint {
    try {
      return parseYuan(t.text);
    } catch {
      throw new SyntaxFault(t.pos, {
        'zh-CN': `金额 ${t.text} 无效：最多 15 位整数、2 位小数`,
        en: `invalid amount ${t.text}: at most 15 integer digits and 2 decimals`,
      });
    }
  }
}

function describe(t: Token, lang: 'zh' | 'en' = 'en'): string {
  if (t.kind === 'eof') return lang === 'zh' ? '表达式结尾' : 'end of input';
  if (t.kind === 'string') return JSON.stringify(t.text);
  return t.text;
}

/** Parses a condition; throws {@link SyntaxFault}. Use `checkExpression` for a result value instead. */
export function parse(src: string): Expr {
  return new Parser(tokenize(src)).parseAll();
}
