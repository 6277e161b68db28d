/** A message in both UI languages; the edge picks one. */
export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

/**
 * Static types of the rule language. Money is its own type (bigint fen at run time) and never mixes
 * with plain numbers except through `*` and `/` by a number, which round to the fen explicitly.
 */
export type Type =
  | { kind: 'number' }
  | { kind: 'money' }
  | { kind: 'string'; nullable?: true }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'list'; of: Type }
  | { kind: 'record'; fields: ReadonlyMap<string, Type> }
  /** Poison: an error was already reported for this subexpression; suppresses follow-on errors. */
  | { kind: 'error' };

export const T = {
  number: { kind: 'number' },
  money: { kind: 'money' },
  string: { kind: 'string' },
  nullableString: { kind: 'string', nullable: true },
  boolean: { kind: 'boolean' },
  null: { kind: 'null' },
  error: { kind: 'error' },
  list: (of: Type): Type => ({ kind: 'list', of }),
  record: (fields: Record<string, Type>): Type => ({
    kind: 'record',
    fields: new Map(Object.entries(fields)),
  }),
} as const satisfies Record<string, Type | ((...a: never[]) => Type)>;

/**
 * Run-time values. Records are Maps, never plain objects, so no field lookup can reach a prototype.
 * Money is a bigint number of fen; plain numbers are JS numbers (counts, days, ratios, statistics).
 */
export type Value = number | bigint | string | boolean | null | readonly Value[] | RecordValue;
export type RecordValue = ReadonlyMap<string, Value>;

/** The error code the contracts catalogue will carry for a refused rule condition. */
export const EXPRESSION_INVALID = 'MONITOR_EXPRESSION_INVALID';
/** A rule condition that type-checked but could not be evaluated for one payment (÷0, aggregate failure). */
export const EXPRESSION_FAILED = 'MONITOR_EXPRESSION_FAILED';

export interface ExpressionError {
  code: typeof EXPRESSION_INVALID;
  /** 0-based character offset into the source. */
  position: number;
  message: LocalizedText;
}

export interface EvaluationError {
  code: typeof EXPRESSION_FAILED;
  position: number;
  message: LocalizedText;
}

export function typeName(t: Type): string {
  switch (t.kind) {
    case 'list':
      return `list<${typeName(t.of)}>`;
    case 'record':
      return `{${[...t.fields.keys()].join(', ')}}`;
    case 'string':
      return t.nullable ? 'string?' : 'string';
    default:
      return t.kind;
  }
}

export function sameType(a: Type, b: Type): boolean {
  if (a.kind === 'list' && b.kind === 'list') return sameType(a.of, b.of);
  if (a.kind === 'record' || b.kind === 'record') return a === b;
  return a.kind === b.kind;
}
