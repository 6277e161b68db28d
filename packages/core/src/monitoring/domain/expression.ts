import { type Expr, measure } from './ast';
import { type ExpressionSchema, typeCheck } from './checker';
import { type EvaluationContext, interpret } from './interpreter';
import { SyntaxFault } from './lexer';
import { parse } from './parser';
import {
  type EvaluationError,
  EXPRESSION_INVALID,
  type ExpressionError,
  type Type,
  typeName,
  type Value,
} from './types';

export const MAX_SOURCE_LENGTH = 2000;
export const MAX_DEPTH = 32;
export const MAX_NODES = 400;

declare const checked: unique symbol;
/** A condition that parsed, stayed within the limits and type-checked; only these can be evaluated. */
export interface CheckedExpression {
  readonly [checked]: true;
  readonly source: string;
  readonly ast: Expr;
  readonly type: Type;
}

export type CheckResult =
  | { ok: true; expression: CheckedExpression }
  | { ok: false; errors: ExpressionError[] };

function invalid(position: number, zh: string, en: string): CheckResult {
  return { ok: false, errors: [{ code: EXPRESSION_INVALID, position, message: { 'zh-CN': zh, en } }] };
}

/**
 * Static check for the rule editor (on save) and for the evaluator (before it runs anything):
 * length, syntax, nesting, size, unknown names/fields/functions and types. Never throws.
 * `want` is the type the whole expression must have — `boolean` for a rule condition.
 */
export function checkExpression(
  src: string,
  schema: ExpressionSchema,
  want: Type['kind'] = 'boolean',
): CheckResult {
  if (src.length > MAX_SOURCE_LENGTH) {
    return invalid(
      MAX_SOURCE_LENGTH,
      `条件超过 ${MAX_SOURCE_LENGTH} 个字符`,
      `condition is longer than ${MAX_SOURCE_LENGTH} characters`,
    );
  }
  if (src.trim() === '') return invalid(0, '条件不能为空', 'condition is empty');
  let ast: Expr;
  try {
    ast = parse(src);
  } catch (e) {
    if (e instanceof SyntaxFault)
      return { ok: false, errors: [{ code: EXPRESSION_INVALID, position: e.pos, message: e.text }] };
    return invalid(0, '条件无法解析', 'condition cannot be parsed');
  }
  const { depth, nodes } = measure(ast);
  if (depth > MAX_DEPTH)
    return invalid(0, `条件层次超过 ${MAX_DEPTH} 层`, `condition is deeper than ${MAX_DEPTH} levels`);
  if (nodes > MAX_NODES)
    return invalid(0, `条件超过 ${MAX_NODES} 个节点`, `condition has more than ${MAX_NODES} nodes`);
  const { type, errors } = typeCheck(ast, schema);
  if (errors.length > 0) return { ok: false, errors };
  if (type.kind !== want) {
    return invalid(
      0,
      `条件的结果应为 ${want}，实际为 ${typeName(type)}`,
      `condition must yield ${want}, got ${typeName(type)}`,
    );
  }
  return { ok: true, expression: { source: src, ast, type } as unknown as CheckedExpression };
}

export type EvaluationResult = { ok: true; value: Value } | { ok: false; error: EvaluationError };

/** Runs a checked expression. Never throws. */
export function evaluateExpression(e: CheckedExpression, ctx: EvaluationContext): EvaluationResult {
  return interpret(e.ast, ctx);
}

export type { ExpressionSchema } from './checker';
export type { EvaluationContext } from './interpreter';
