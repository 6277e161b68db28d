export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'in';

/** Parsed rule condition. `pos` is the 0-based source offset, for error messages. */
export type Expr =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'money'; fen: bigint; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'bool'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'list'; items: Expr[]; pos: number }
  /** A root of the schema (`payment`, `payee` …) or a lambda parameter. */
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'member'; object: Expr; field: string; pos: number }
  | { kind: 'call'; fn: string; args: Arg[]; pos: number }
  | { kind: 'neg'; operand: Expr; pos: number }
  | { kind: 'not'; operand: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'between'; value: Expr; low: Expr; high: Expr; pos: number };

/** `x -> body`: only allowed as an argument of the list functions (any, all, count, filter, sumOf). */
export interface Lambda {
  kind: 'lambda';
  param: string;
  body: Expr;
  pos: number;
}

export type Arg = Expr | Lambda;

function children(n: Arg): Arg[] {
  switch (n.kind) {
    case 'list':
      return n.items;
    case 'member':
      return [n.object];
    case 'call':
      return n.args;
    case 'neg':
    case 'not':
      return [n.operand];
    case 'binary':
      return [n.left, n.right];
    case 'between':
      return [n.value, n.low, n.high];
    case 'lambda':
      return [n.body];
    default:
      return [];
  }
}

/** Depth (a leaf is 1) and node count, computed without recursion so any tree is safe to measure. */
export function measure(root: Arg): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: [Arg, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    nodes++;
    if (d > depth) depth = d;
    for (const c of children(n)) stack.push([c, d + 1]);
  }
  return { depth, nodes };
}
