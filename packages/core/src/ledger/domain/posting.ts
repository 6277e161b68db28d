import { FiscusError } from '../../kernel/errors';
import type { Side } from './chart';
import type { Elements } from './elements';

/** 分录行: one side of an entry. Amounts are positive fen; the side says which way. */
export interface Line {
  account: string;
  side: Side;
  amount: bigint;
  elements: Elements;
}

/** 记账凭证: a balanced set of lines in one region and year. */
export interface Posting {
  scenario: string;
  year: number;
  lines: Line[];
}

export function debit(account: string, amount: bigint, elements: Elements): Line {
  return { account, side: 'debit', amount, elements };
}

export function credit(account: string, amount: bigint, elements: Elements): Line {
  return { account, side: 'credit', amount, elements };
}

export function totals(lines: readonly Line[]): { debit: bigint; credit: bigint } {
  let d = 0n;
  let c = 0n;
  for (const l of lines) {
    if (l.side === 'debit') d += l.amount;
    else c += l.amount;
  }
  return { debit: d, credit: c };
}

/** Invariant 1: every entry balances and every line is a positive amount. */
export function assertBalanced(p: Posting): void {
  if (p.lines.length < 2) throw new FiscusError('LEDGER_UNBALANCED', { debit: '0', credit: '0' });
  for (const l of p.lines) {
    if (l.amount <= 0n)
      throw new FiscusError('VALIDATION_FAILED', { detail: `line amount must be positive (${l.account})` });
  }
  const t = totals(p.lines);
  if (t.debit !== t.credit)
    throw new FiscusError('LEDGER_UNBALANCED', { debit: t.debit.toString(), credit: t.credit.toString() });
}

/** 红字冲销: the same lines on opposite sides; the original entry stays untouched. */
export function reversal(p: Posting): Posting {
  return {
    scenario: 'reversal',
    year: p.year,
    lines: p.lines.map((l) => ({ ...l, side: l.side === 'debit' ? 'credit' : 'debit' })),
  };
}
