import type { Arg, Expr } from './ast';
import { AGGREGATES, type AggregateName, type MonitorAggregates } from './functions';
import {
  type EvaluationError,
  EXPRESSION_FAILED,
  type LocalizedText,
  type RecordValue,
  type Value,
} from './types';

/** What one evaluation may read: the roots of the schema, and the caller's history answers. */
export interface EvaluationContext {
  env: ReadonlyMap<string, Value>;
  aggregates: MonitorAggregates;
}

class Fault extends Error {
  readonly pos: number;
  readonly text: LocalizedText;
  constructor(pos: number, text: LocalizedText) {
    super(text.en);
    this.pos = pos;
    this.text = text;
  }
}

/** A number as an exact multiple of 10⁻⁶, for multiplying money; ratios finer than that are not meaningful. */
const SCALE = 1_000_000n;

function scaled(n: number, pos: number): bigint {
  if (!Number.isFinite(n)) throw new Fault(pos, { 'zh-CN': '数值不是有限数', en: 'number is not finite' });
  if (Number.isInteger(n)) return BigInt(n) * SCALE;
  return BigInt(Math.round(n * 1e6));
}

/** a / b rounded half away from zero (四舍五入), b ≠ 0. */
export function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  const q = (2n * x + y) / (2n * y);
  return negative ? -q : q;
}

function finite(n: number, pos: number): number {
  if (!Number.isFinite(n)) throw new Fault(pos, { 'zh-CN': '计算结果溢出', en: 'arithmetic overflow' });
  return n;
}

const divisionByZero = (pos: number): Fault =>
  new Fault(pos, { 'zh-CN': '除数为零', en: 'division by zero' });

function compare(a: Value, b: Value): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number.NaN;
}

function isList(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}

/**
 * Evaluates a type-checked condition. Total: no loops other than over the finite lists in the
 * context, no recursion other than over the (bounded) tree. Never throws: a division by zero or a
 * failing aggregate becomes an {@link EvaluationError}.
 */
export function interpret(
  root: Expr,
  ctx: EvaluationContext,
): { ok: true; value: Value } | { ok: false; error: EvaluationError } {
  const ev = (n: Arg, scope: ReadonlyMap<string, Value>): Value => {
    switch (n.kind) {
      case 'num':
      case 'str':
      case 'bool':
        return n.value;
      case 'money':
        return n.fen;
      case 'null':
        return null;
      case 'lambda':
        throw new Fault(n.pos, { 'zh-CN': '表达式未经检查', en: 'expression was not checked' });
      case 'list':
        return n.items.map((i) => ev(i, scope));
      case 'name': {
        const v = scope.get(n.name);
        if (v === undefined)
          throw new Fault(n.pos, { 'zh-CN': `缺少数据 ${n.name}`, en: `no value for ${n.name}` });
        return v;
      }
      case 'member': {
        const o = ev(n.object, scope);
        const v = o instanceof Map ? (o as RecordValue).get(n.field) : undefined;
        if (v === undefined)
          throw new Fault(n.pos, { 'zh-CN': `缺少字段 ${n.field}`, en: `no value for field ${n.field}` });
        return v;
      }
      case 'neg': {
        const v = ev(n.operand, scope);
        return typeof v === 'bigint' ? -v : -(v as number);
      }
      case 'not':
        return !(ev(n.operand, scope) as boolean);
      case 'between': {
        const v = ev(n.value, scope);
        if (v === null) return false;
        return compare(v, ev(n.low, scope)) >= 0 && compare(v, ev(n.high, scope)) <= 0;
      }
      case 'binary':
        return binary(n, scope);
      case 'call':
        return call(n, scope);
    }
  };

  const binary = (n: Extract<Expr, { kind: 'binary' }>, scope: ReadonlyMap<string, Value>): Value => {
    if (n.op === 'and') return (ev(n.left, scope) as boolean) && (ev(n.right, scope) as boolean);
    if (n.op === 'or') return (ev(n.left, scope) as boolean) || (ev(n.right, scope) as boolean);
    const l = ev(n.left, scope);
    const r = ev(n.right, scope);
    switch (n.op) {
      case '+':
        return typeof l === 'bigint' ? l + (r as bigint) : finite((l as number) + (r as number), n.pos);
      case '-':
        return typeof l === 'bigint' ? l - (r as bigint) : finite((l as number) - (r as number), n.pos);
      case '*':
        if (typeof l === 'bigint') return divRound(l * scaled(r as number, n.pos), SCALE);
        if (typeof r === 'bigint') return divRound(r * scaled(l as number, n.pos), SCALE);
        return finite((l as number) * (r as number), n.pos);
      case '/':
        if (typeof l === 'bigint' && typeof r === 'bigint') {
          if (r === 0n) throw divisionByZero(n.pos);
          return Number(l) / Number(r);
        }
        if (typeof l === 'bigint') {
          const s = scaled(r as number, n.pos);
          if (s === 0n) throw divisionByZero(n.pos);
          return divRound(l * SCALE, s);
        }
        if (r === 0) throw divisionByZero(n.pos);
        return finite((l as number) / (r as number), n.pos);
      case '=':
        return l === r;
      case '!=':
        return l !== r;
      case '<':
        return compare(l, r) < 0;
      case '<=':
        return compare(l, r) <= 0;
      case '>':
        return compare(l, r) > 0;
      case '>=':
        return compare(l, r) >= 0;
      case 'startsWith':
        return typeof l === 'string' && typeof r === 'string' && l.startsWith(r);
      case 'endsWith':
        return typeof l === 'string' && typeof r === 'string' && l.endsWith(r);
      case 'contains':
        if (isList(l)) return l.includes(r);
        return typeof l === 'string' && typeof r === 'string' && l.includes(r);
      case 'in':
        return isList(r) && r.includes(l);
    }
  };

  const call = (n: Extract<Expr, { kind: 'call' }>, scope: ReadonlyMap<string, Value>): Value => {
    const [a0, a1] = n.args;
    if (a1?.kind === 'lambda' && a0 !== undefined) {
      const items = ev(a0, scope) as readonly Value[];
      const body = (item: Value): Value => ev(a1.body, new Map([...scope, [a1.param, item]]));
      switch (n.fn) {
        case 'any':
          return items.some((i) => body(i) === true);
        case 'all':
          return items.every((i) => body(i) === true);
        case 'count':
          return items.filter((i) => body(i) === true).length;
        case 'filter':
          return items.filter((i) => body(i) === true);
        case 'sumOf':
          return items.reduce<bigint>((s, i) => s + (body(i) as bigint), 0n);
        default:
          break;
      }
    }
    const args = n.args.map((a) => ev(a, scope));
    switch (n.fn) {
      case 'isEmpty':
        return args[0] === null || args[0] === '';
      case 'fenAsNumber':
        return Number(args[0] as bigint);
      case 'len': {
        const v = args[0] ?? null;
        return isList(v) ? v.length : typeof v === 'string' ? [...v].length : 0;
      }
      default:
        return aggregate(n.fn as AggregateName, args, n.pos);
    }
  };

  const aggregate = (name: AggregateName, args: Value[], pos: number): Value => {
    const a = ctx.aggregates;
    let v: unknown;
    try {
      switch (name) {
        case 'countSamePayee':
          v = a.countSamePayee(args[0] as number);
          break;
        case 'sumSamePayee':
          v = a.sumSamePayee(args[0] as number);
          break;
        case 'countSamePayeeAmount':
          v = a.countSamePayeeAmount(args[0] as number);
          break;
        case 'unitMonthTotal':
          v = a.unitMonthTotal();
          break;
        case 'unitYearTotal':
          v = a.unitYearTotal();
          break;
        case 'cashTotal': {
          const p = args[0];
          if (p !== 'month' && p !== 'year') {
            throw new Fault(pos, {
              'zh-CN': "cashTotal 的参数应为 'month' 或 'year'",
              en: "cashTotal takes 'month' or 'year'",
            });
          }
          v = a.cashTotal(p);
          break;
        }
        case 'ecoYearTotal':
          v = a.ecoYearTotal(args[0] as string);
          break;
        case 'unitPayrollTotal':
          v = a.unitPayrollTotal();
          break;
        case 'unitEcoHistoryStats': {
          const s = a.unitEcoHistoryStats(args[0] as string);
          v = new Map<string, Value>([
            ['mean', s.mean],
            ['stddev', s.stddev],
            ['count', s.count],
          ]);
          break;
        }
        case 'payeeFirstSeen':
          v = a.payeeFirstSeen();
          break;
        case 'isWorkingDay':
          v = a.isWorkingDay();
          break;
      }
    } catch (e) {
      if (e instanceof Fault) throw e;
      throw new Fault(pos, { 'zh-CN': `统计函数 ${name} 取数失败`, en: `aggregate ${name} failed` });
    }
    const want = AGGREGATES.get(name)?.returns.kind;
    const fits =
      (want === 'money' && typeof v === 'bigint') ||
      (want === 'number' && typeof v === 'number' && Number.isFinite(v)) ||
      (want === 'string' && typeof v === 'string') ||
      (want === 'boolean' && typeof v === 'boolean') ||
      (want === 'record' && v instanceof Map && [...v.values()].every((x) => Number.isFinite(x)));
    if (!fits) {
      throw new Fault(pos, {
        'zh-CN': `统计函数 ${name} 返回值类型不符`,
        en: `aggregate ${name} returned a value of the wrong type`,
      });
    }
    return v as Value;
  };

  try {
    return { ok: true, value: ev(root, ctx.env) };
  } catch (e) {
    if (e instanceof Fault)
      return { ok: false, error: { code: EXPRESSION_FAILED, position: e.pos, message: e.text } };
    // Stack exhaustion or a bug: still a result, never a crash of the payment pipeline.
    return {
      ok: false,
      error: {
        code: EXPRESSION_FAILED,
        position: 0,
        message: {
          'zh-CN': '规则条件计算失败',
          en: `rule condition failed: ${e instanceof Error ? e.message : String(e)}`,
        },
      },
    };
  }
}
