import type { Arg, Expr } from './ast';
import { AGGREGATES, BUILTINS, isAggregateName, LIST_FUNCTIONS } from './functions';
import { isForbiddenName } from './lexer';
import { EXPRESSION_INVALID, type ExpressionError, sameType, T, type Type, typeName } from './types';

/** What a condition may read: named roots (`payment`, `payee`, `params` …) and their record types. */
export interface ExpressionSchema {
  roots: ReadonlyMap<string, Type>;
}

type Scope = ReadonlyMap<string, Type>;

const ORDERED: ReadonlySet<Type['kind']> = new Set(['number', 'money', 'string']);

/**
 * Type-checks a parsed condition against a schema. Collects every error it can find; a
 * subexpression that failed has type `error`, which silences the errors it would otherwise cause.
 */
export function typeCheck(e: Expr, schema: ExpressionSchema): { type: Type; errors: ExpressionError[] } {
  const errors: ExpressionError[] = [];
  const err = (pos: number, zh: string, en: string): Type => {
    errors.push({ code: EXPRESSION_INVALID, position: pos, message: { 'zh-CN': zh, en } });
    return T.error;
  };
  const bad = (...ts: Type[]): boolean => ts.some((t) => t.kind === 'error');

  const expect = (t: Type, kinds: readonly Type['kind'][], pos: number, what: string): boolean => {
    if (bad(t) || kinds.includes(t.kind)) return true;
    err(
      pos,
      `${what}应为 ${kinds.join('/')}，实际为 ${typeName(t)}`,
      `${what} must be ${kinds.join('/')}, got ${typeName(t)}`,
    );
    return false;
  };

  const check = (n: Arg, scope: Scope): Type => {
    switch (n.kind) {
      case 'num':
        return T.number;
      case 'money':
        return T.money;
      case 'str':
        return T.string;
      case 'bool':
        return T.boolean;
      case 'null':
        return T.null;
      case 'lambda':
        return err(
          n.pos,
          '只有 any/all/count/filter/sumOf 的参数可以是 x -> …',
          'x -> … is only allowed as an argument of any/all/count/filter/sumOf',
        );
      case 'list': {
        if (n.items.length === 0) return err(n.pos, '列表不能为空', 'a list cannot be empty');
        const ts = n.items.map((i) => check(i, scope));
        if (bad(...ts)) return T.error;
        const first = ts[0]!;
        for (const [k, t] of ts.entries()) {
          if (!sameType(first, t)) {
            return err(
              n.items[k]!.pos,
              `列表元素类型不一致：${typeName(first)} 与 ${typeName(t)}`,
              `list items differ in type: ${typeName(first)} and ${typeName(t)}`,
            );
          }
        }
        return T.list(first);
      }
      case 'name': {
        const t = scope.get(n.name);
        if (t === undefined) return err(n.pos, `未知名称 ${n.name}`, `unknown name ${n.name}`);
        return t;
      }
      case 'member': {
        const o = check(n.object, scope);
        if (bad(o)) return T.error;
        if (isForbiddenName(n.field))
          return err(n.pos, `不允许使用名称 ${n.field}`, `the name ${n.field} is not allowed`);
        if (o.kind !== 'record')
          return err(n.pos, `${typeName(o)} 没有字段 ${n.field}`, `${typeName(o)} has no field ${n.field}`);
        const f = o.fields.get(n.field);
        if (f === undefined) {
          const known = [...o.fields.keys()].join(', ');
          return err(
            n.pos,
            `未知字段 ${n.field}（可用：${known}）`,
            `unknown field ${n.field} (known: ${known})`,
          );
        }
        return f;
      }
      case 'neg': {
        const t = check(n.operand, scope);
        return expect(t, ['number', 'money'], n.pos, '取负的操作数') ? t : T.error;
      }
      case 'not': {
        const t = check(n.operand, scope);
        return expect(t, ['boolean'], n.pos, 'not 的操作数') ? T.boolean : T.error;
      }
      case 'between': {
        const [v, lo, hi] = [check(n.value, scope), check(n.low, scope), check(n.high, scope)];
        if (bad(v, lo, hi)) return T.error;
        if (!ORDERED.has(v.kind) || !sameType(v, lo) || !sameType(v, hi)) {
          return err(
            n.pos,
            `between 的三项必须同为数字、金额或文本：${typeName(v)}、${typeName(lo)}、${typeName(hi)}`,
            `between needs three numbers, amounts or texts: ${typeName(v)}, ${typeName(lo)}, ${typeName(hi)}`,
          );
        }
        return T.boolean;
      }
      case 'binary':
        return binary(n, scope);
      case 'call':
        return call(n, scope);
    }
  };

  const binary = (n: Extract<Expr, { kind: 'binary' }>, scope: Scope): Type => {
    const l = check(n.left, scope);
    const r = check(n.right, scope);
    if (bad(l, r)) return T.error;
    const mismatch = (): Type =>
      err(
        n.pos,
        `${n.op} 不能用于 ${typeName(l)} 和 ${typeName(r)}`,
        `${n.op} cannot be applied to ${typeName(l)} and ${typeName(r)}`,
      );
    switch (n.op) {
      case 'and':
      case 'or':
        return l.kind === 'boolean' && r.kind === 'boolean' ? T.boolean : mismatch();
      case '+':
      case '-':
        if (l.kind === 'number' && r.kind === 'number') return T.number;
        if (l.kind === 'money' && r.kind === 'money') return T.money;
        return mismatch();
      case '*':
        if (l.kind === 'number' && r.kind === 'number') return T.number;
        if ((l.kind === 'money' && r.kind === 'number') || (l.kind === 'number' && r.kind === 'money'))
          return T.money;
        return mismatch();
      case '/':
        if (l.kind === 'number' && r.kind === 'number') return T.number;
        if (l.kind === 'money' && r.kind === 'number') return T.money;
        if (l.kind === 'money' && r.kind === 'money') return T.number;
        return mismatch();
      case '=':
      case '!=':
        if (sameType(l, r) && l.kind !== 'list' && l.kind !== 'record') return T.boolean;
        if ((l.kind === 'null' && r.kind === 'string') || (r.kind === 'null' && l.kind === 'string'))
          return T.boolean;
        return mismatch();
      case '<':
      case '<=':
      case '>':
      case '>=':
        return ORDERED.has(l.kind) && sameType(l, r) ? T.boolean : mismatch();
      case 'startsWith':
      case 'endsWith':
        return l.kind === 'string' && r.kind === 'string' ? T.boolean : mismatch();
      case 'contains':
        if (l.kind === 'string' && r.kind === 'string') return T.boolean;
        if (l.kind === 'list' && sameType(l.of, r) && r.kind !== 'record') return T.boolean;
        return mismatch();
      case 'in':
        if (r.kind === 'list' && sameType(r.of, l) && l.kind !== 'record') return T.boolean;
        return mismatch();
    }
  };

  const call = (n: Extract<Expr, { kind: 'call' }>, scope: Scope): Type => {
    const list = LIST_FUNCTIONS.get(n.fn);
    if (list !== undefined) {
      const [src, fn] = n.args;
      if (n.args.length !== 2 || src === undefined || fn?.kind !== 'lambda') {
        return err(n.pos, `${n.fn} 的写法为 ${n.fn}(列表, x -> …)`, `write ${n.fn}(list, x -> …)`);
      }
      const lt = check(src, scope);
      if (bad(lt)) return T.error;
      if (lt.kind !== 'list')
        return err(src.pos, `${n.fn} 的第一个参数应为列表`, `the first argument of ${n.fn} must be a list`);
      if (scope.has(fn.param))
        return err(
          fn.pos,
          `参数名 ${fn.param} 与已有名称重复`,
          `parameter ${fn.param} shadows an existing name`,
        );
      const body = check(fn.body, new Map([...scope, [fn.param, lt.of]]));
      if (bad(body)) return T.error;
      const want = list.returns === 'money' ? 'money' : 'boolean';
      if (body.kind !== want)
        return err(
          fn.body.pos,
          `${n.fn} 的 x -> … 应返回 ${want}`,
          `the x -> … of ${n.fn} must return ${want}`,
        );
      if (list.returns === 'list') return lt;
      return list.returns === 'boolean' ? T.boolean : list.returns === 'number' ? T.number : T.money;
    }
    const spec = BUILTINS.get(n.fn) ?? (isAggregateName(n.fn) ? AGGREGATES.get(n.fn) : undefined);
    if (spec === undefined) return err(n.pos, `未知函数 ${n.fn}`, `unknown function ${n.fn}`);
    if (n.args.length !== spec.params.length) {
      return err(
        n.pos,
        `${n.fn} 需要 ${spec.params.length} 个参数，实际 ${n.args.length} 个`,
        `${n.fn} takes ${spec.params.length} argument(s), got ${n.args.length}`,
      );
    }
    const ts = n.args.map((a) => check(a, scope));
    if (bad(...ts)) return T.error;
    for (const [k, t] of ts.entries()) {
      const want = spec.params[k]!;
      const fits =
        sameType(want, t) ||
        (want.kind === 'string' && want.nullable === true && t.kind === 'null') ||
        (n.fn === 'len' && t.kind === 'list');
      if (!fits) {
        return err(
          n.args[k]!.pos,
          `${n.fn} 的第 ${k + 1} 个参数应为 ${typeName(want)}，实际为 ${typeName(t)}`,
          `argument ${k + 1} of ${n.fn} must be ${typeName(want)}, got ${typeName(t)}`,
        );
      }
    }
    return spec.returns;
  };

  const type = check(e, schema.roots);
  return { type, errors };
}
