import { formatYuan } from '../../kernel/money';

/**
 * Three-way matching of one day (DOMAIN.md §4.8, clearing-protocol.md "Reconciliation layers"),
 * pure. Each item (a voucher, a coding line, an account) is seen by up to three parties; when they
 * disagree, the party that differs from the others is named once — not once per pair — so a fault
 * in one report is one difference, filed under the pair of that party with the reference party
 * (finance, else the bank) and making every compared pair with that party red.
 */
export const PARTIES = ['finance', 'bank', 'pboc'] as const;
export type Party = (typeof PARTIES)[number];
export type Layer = 'L1' | 'L2' | 'L3';
export type Pair = 'finance-bank' | 'finance-pboc' | 'bank-pboc' | 'finance-ledger';
export type DifferenceKind = 'missing' | 'duplicated' | 'amount' | 'element' | 'signature' | 'identity';

export function pairOf(a: Party, b: Party): Pair {
  const [x, y] = PARTIES.indexOf(a) < PARTIES.indexOf(b) ? [a, b] : [b, a];
  return `${x}-${y}` as Pair;
}

/** The compared pairs among the parties included, in the fixed order. */
export function pairsAmong(parties: readonly Party[]): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < PARTIES.length; i++)
    for (let j = i + 1; j < PARTIES.length; j++)
      if (parties.includes(PARTIES[i]!) && parties.includes(PARTIES[j]!))
        out.push(pairOf(PARTIES[i]!, PARTIES[j]!));
  return out;
}

export interface Difference {
  layer: Layer;
  pair: Pair;
  pairs: Pair[];
  kind: DifferenceKind;
  party: Party;
  itemKey: string;
  vtCode: string | null;
  voucherNo: string | null;
  expected: bigint | null;
  actual: bigint | null;
  zh: string;
  en: string;
}

export const fingerprintOf = (d: Difference): string =>
  [d.layer, d.kind, d.party, d.itemKey, d.expected ?? '', d.actual ?? ''].join('|');

const yuan = (f: bigint | null) => (f === null ? '—' : formatYuan(f));

/** What each party's record of a layer is called, for the detail texts. */
export const SOURCE_NAMES: Record<Layer, Record<Party, { zh: string; en: string }>> = {
  L1: {
    finance: { zh: '财政已支付凭证（回单）', en: "finance's paid vouchers (receipts)" },
    bank: { zh: '代理银行直接支付日报（2206）', en: "the bank's daily report (2206)" },
    pboc: { zh: '人行凭证对账单（3501）', en: "the PBOC's voucher check list (3501)" },
  },
  L2: {
    finance: { zh: '财政已支付金额', en: "finance's paid amounts" },
    bank: { zh: '代理银行日报合计（2206）', en: "the bank's daily report totals (2206)" },
    pboc: { zh: '人行支出日报（3410）', en: "the PBOC's expenditure daily (3410)" },
  },
  L3: {
    finance: { zh: '财政', en: 'finance' },
    bank: { zh: '代理银行账户对账单（3513）', en: "the bank's account statement (3513)" },
    pboc: { zh: '人行库款对账单（3513）', en: "the PBOC's treasury statement (3513)" },
  },
};

/** One party's view of an L1 item: how often it lists it, the total and the coding it gives. */
export interface Seen {
  n: number;
  amount: bigint;
  min: bigint;
  max: bigint;
  agency?: string | null;
  expFunc?: string | null;
}

export interface VoucherItem {
  /** `pay`: a paid voucher; `refund`: a refund (退票) of a paid voucher. */
  item: 'pay' | 'refund';
  voucherNo: string;
  vtCode: string | null;
  seen: Partial<Record<Party, Seen>>;
}

const effective = (s: Seen) => (s.n > 1 && s.min === s.max ? s.min : s.amount);

function reference(present: readonly Party[]): Party {
  return present[0]!;
}

/** The odd ones out among present parties' amounts: a majority decides, else the reference is right. */
function oddOnes(
  present: readonly Party[],
  amount: (p: Party) => bigint,
): { odd: Party[]; expected: bigint } | null {
  const values = new Map<bigint, Party[]>();
  for (const p of present) {
    const v = amount(p);
    values.set(v, [...(values.get(v) ?? []), p]);
  }
  if (values.size <= 1) return null;
  const groups = [...values.entries()].sort((a, b) => b[1].length - a[1].length);
  const [top, second] = groups;
  if (top![1].length > (second?.[1].length ?? 0))
    return { odd: present.filter((p) => !top![1].includes(p)), expected: top![0] };
  const ref = reference(present);
  return { odd: present.filter((p) => p !== ref), expected: amount(ref) };
}

function filed(party: Party, included: readonly Party[]) {
  const others = included.filter((p) => p !== party);
  const ref = others[0] ?? party;
  return { pair: pairOf(party, ref), pairs: others.map((o) => pairOf(party, o)) };
}

/**
 * L1: one voucher (or refund) as the parties list it. `rejected` holds `vt/no` of messages the
 * inbox refused for their signature: finance lacking such a voucher is a `signature` difference
 * (the cause), not a `missing` one.
 */
export function compareVoucher(
  v: VoucherItem,
  included: readonly Party[],
  rejected: ReadonlySet<string> = new Set(),
): Difference[] {
  const out: Difference[] = [];
  const present = included.filter((p) => v.seen[p]);
  const absent = included.filter((p) => !v.seen[p]);
  const what =
    v.item === 'pay'
      ? {
          zh: `凭证 ${v.vtCode ?? ''} ${v.voucherNo}`.replace('  ', ' '),
          en: `voucher ${v.vtCode ?? ''} ${v.voucherNo}`,
        }
      : { zh: `凭证 ${v.voucherNo} 的退款`, en: `the refund of voucher ${v.voucherNo}` };
  const base = {
    layer: 'L1' as const,
    itemKey: `${v.item}:${v.voucherNo}`,
    vtCode: v.vtCode,
    voucherNo: v.voucherNo,
  };
  const names = SOURCE_NAMES.L1;
  for (const p of present) {
    const s = v.seen[p]!;
    if (s.n > 1)
      out.push({
        ...base,
        ...filed(p, included),
        kind: 'duplicated',
        party: p,
        expected: s.min === s.max ? s.min : null,
        actual: s.amount,
        zh: `${what.zh}在${names[p].zh}中出现 ${s.n} 次（合计 ${yuan(s.amount)} 元）`,
        en: `${what.en} is listed ${s.n} times in ${names[p].en} (total ${yuan(s.amount)})`,
      });
  }
  if (present.length === 0) return out;
  const ref = reference(present);
  for (const p of absent) {
    const expected = effective(v.seen[ref]!);
    const refused = p === 'finance' && rejected.has(`${v.vtCode}/${v.voucherNo}`);
    out.push({
      ...base,
      ...filed(p, included),
      kind: refused ? 'signature' : 'missing',
      party: p,
      expected,
      actual: null,
      zh: refused
        ? `${what.zh}（${yuan(expected)} 元）的银行报文验签失败被拒收，财政未登记`
        : `${what.zh}（${yuan(expected)} 元）：${names[p].zh}中没有`,
      en: refused
        ? `${what.en} (${yuan(expected)}): the bank's message failed signature verification and was refused; finance has not booked it`
        : `${what.en} (${yuan(expected)}): missing from ${names[p].en}`,
    });
  }
  const odd = oddOnes(present, (p) => effective(v.seen[p]!));
  for (const p of odd?.odd ?? []) {
    const actual = effective(v.seen[p]!);
    out.push({
      ...base,
      ...filed(p, included),
      kind: 'amount',
      party: p,
      expected: odd!.expected,
      actual,
      zh: `${what.zh}：${names[p].zh}金额 ${yuan(actual)} 元，应为 ${yuan(odd!.expected)} 元`,
      en: `${what.en}: ${names[p].en} says ${yuan(actual)}, expected ${yuan(odd!.expected)}`,
    });
  }
  const f = v.seen.finance;
  const b = v.seen.bank;
  if (!odd && f && b && f.n === 1 && b.n === 1) {
    const wrong: string[] = [];
    if (b.agency && f.agency && b.agency !== f.agency) wrong.push(`AgencyCode ${b.agency} ≠ ${f.agency}`);
    if (b.expFunc && f.expFunc && b.expFunc !== f.expFunc)
      wrong.push(`ExpFuncCode ${b.expFunc} ≠ ${f.expFunc}`);
    if (wrong.length > 0)
      out.push({
        ...base,
        ...filed('bank', included),
        kind: 'element',
        party: 'bank',
        expected: f.amount,
        actual: b.amount,
        zh: `${what.zh}：${names.bank.zh}的要素与财政不符（${wrong.join('；')}）`,
        en: `${what.en}: ${names.bank.en} codes it differently (${wrong.join('; ')})`,
      });
  }
  return out;
}

/** L1 items that every included party lists once, with one amount and (finance–bank) one coding. */
export function voucherMatches(v: VoucherItem, a: Party, b: Party): boolean {
  const x = v.seen[a];
  const y = v.seen[b];
  if (!x || !y || x.n !== 1 || y.n !== 1 || x.amount !== y.amount) return false;
  if (pairOf(a, b) === 'finance-bank') {
    const [f, k] = a === 'finance' ? [x, y] : [y, x];
    if (k.agency && f.agency && k.agency !== f.agency) return false;
    if (k.expFunc && f.expFunc && k.expFunc !== f.expFunc) return false;
  }
  return true;
}

/** An L2 coding line (or any amount per key): absent means nothing was reported, i.e. 0. */
export interface AmountItem {
  key: string;
  label: { zh: string; en: string };
  amounts: Partial<Record<Party, bigint>>;
}

export function compareAmounts(
  layer: Layer,
  item: AmountItem,
  included: readonly Party[],
  names: Record<Party, { zh: string; en: string }> = SOURCE_NAMES[layer],
): Difference[] {
  const value = (p: Party) => item.amounts[p] ?? 0n;
  const odd = oddOnes(included, value);
  if (!odd) return [];
  return odd.odd.map((p) => {
    const actual = item.amounts[p];
    const missing = actual === undefined;
    return {
      layer,
      ...filed(p, included),
      kind: missing ? ('missing' as const) : ('amount' as const),
      party: p,
      itemKey: item.key,
      vtCode: null,
      voucherNo: null,
      expected: odd.expected,
      actual: actual ?? null,
      zh: missing
        ? `${item.label.zh}：${names[p].zh}中没有（应为 ${yuan(odd.expected)} 元）`
        : `${item.label.zh}：${names[p].zh} ${yuan(actual)} 元，应为 ${yuan(odd.expected)} 元`,
      en: missing
        ? `${item.label.en}: missing from ${names[p].en} (expected ${yuan(odd.expected)})`
        : `${item.label.en}: ${names[p].en} says ${yuan(actual)}, expected ${yuan(odd.expected)}`,
    };
  });
}

export function amountsMatch(item: AmountItem, a: Party, b: Party): boolean {
  return (item.amounts[a] ?? 0n) === (item.amounts[b] ?? 0n);
}
