import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../platform/db/schema';
import { codingTexts } from './coding';
import {
  type AmountItem,
  amountsMatch,
  compareAmounts,
  compareVoucher,
  type Difference,
  type Layer,
  type Pair,
  type Party,
  pairOf,
  pairsAmong,
  type Seen,
  type VoucherItem,
} from './domain/compare';
import { sameDayBounces } from './domain/netting';
import { reportLines } from './paid-lines';
import { loadQuotaIssued } from './quota';

/** One layer × pair of a run: what each side had, what matched, how many differences it has. */
export interface PairFigure {
  layer: Layer;
  pair: Pair;
  countA: number;
  countB: number;
  matched: number;
  matchedFen: bigint;
  differences: number;
}

export interface Reconciliation {
  figures: PairFigure[];
  differences: Difference[];
  quotaChecked: boolean;
}

interface GroupRow {
  item: 'pay' | 'refund';
  key: string;
  vt: string | null;
  fn: number;
  fa: string | null;
  fmin: string | null;
  fcod: string | null;
  bn: number;
  ba: string | null;
  bmin: string | null;
  bcod: string | null;
  pn: number;
  pa: string | null;
  pmin: string | null;
}

/** A row of the first pass: the agreeing vouchers per item × coding, or one voucher that differs. */
interface PassRow {
  ok: boolean;
  item: 'pay' | 'refund';
  cid: number | null;
  key: string | null;
  n: number;
  fen: string;
}

/** A row of the second pass: one differing voucher as each side has it (codings as ids). */
type DetailRow = Omit<GroupRow, 'fcod' | 'bcod'> & { fcod: number | null; bcod: number | null };

interface LineRow {
  src: 'F' | 'B' | 'P';
  sd: string | null;
  ef: string | null;
  ft: string | null;
  pt: string | null;
  amt: string;
}

const lineKey = (r: { sd: string | null; ef: string | null; ft: string | null; pt: string | null }) =>
  `${r.sd ?? ''}|${r.ef ?? ''}|${r.ft ?? ''}|${r.pt ?? ''}`;
const lineLabel = (key: string) => {
  const [sd, ef, ft, pt] = key.split('|');
  return {
    zh: `清算行 一级单位 ${sd || '—'} × 功能科目 ${ef || '—'} × 资金性质 ${ft || '—'} × 支付方式 ${pt || '—'}`,
    en: `coding line SupDep ${sd || '—'} × ExpFunc ${ef || '—'} × FundType ${ft || '—'} × PayType ${pt || '—'}`,
  };
};

/** Each party's bit in `src`: a voucher every party lists once has bit_or = the parties' mask. */
const BIT: Record<Party, number> = { finance: 1, bank: 2, pboc: 4 };

/**
 * The finance side (vouchers paid on D and refunds of D, with the coding they are cleared under),
 * the bank's 2206 lines and the PBOC's 3501 lines of D as one tagged row set; `keys` limits it to
 * those voucher numbers (read by index). Codings are reconcile.coding ids, 0 for none.
 */
function sources(
  region: string,
  date: string,
  parties: readonly Party[],
  keys: readonly string[] | null,
): RawBuilder<unknown> {
  const d8 = date.replaceAll('-', '');
  // The voucher type only for the differing vouchers (the first pass carries less).
  const vt = (col: RawBuilder<unknown>) => (keys ? sql`${col}::text as vt, ` : sql``);
  const only = (col: RawBuilder<unknown>) => (keys ? sql` and ${col} = any(${[...keys]}::text[])` : sql``);
  const parts: RawBuilder<unknown>[] = [];
  if (parties.includes('finance'))
    parts.push(sql`
select 1 as src, 'pay'::text as item, v.voucher_no as key, ${vt(sql`v.vt_code`)}v.x_pay_amt_fen as amt,
       coalesce(v.coding_id, 0) as cid
from payments.voucher v
where v.region_code = ${region} and v.x_pay_date = ${d8} and v.x_pay_amt_fen is not null
  and v.vt_code in ('5201', '8202')${only(sql`v.voucher_no`)}
union all
select 1, 'refund', r.ori_voucher_no, ${vt(sql`r.ori_vt_code`)}r.amount_fen, coalesce(v.coding_id, 0)
from payments.refund_notice r
left join payments.voucher v on v.region_code = r.region_code and v.fiscal_year = r.fiscal_year
  and v.vt_code = r.ori_vt_code and v.voucher_no = r.ori_voucher_no
where r.region_code = ${region} and r.pay_date = ${d8}${only(sql`r.ori_voucher_no`)}`);
  if (parties.includes('bank'))
    parts.push(sql`
select 2, case when l.amount_fen < 0 then 'refund' else 'pay' end, l.voucher_no, ${vt(sql`l.ori_vt_code`)}abs(l.amount_fen),
       coalesce(l.coding_id, 0)
from reconcile.report_line l
where l.region_code = ${region} and l.report_date = ${date} and l.vt_code = '2206'${only(sql`l.voucher_no`)}`);
  if (parties.includes('pboc'))
    parts.push(sql`
select 4, case when l.pro_state = 1 then 'refund' else 'pay' end, l.voucher_no, ${vt(sql`l.ori_vt_code`)}abs(l.amount_fen),
       null::int
from reconcile.report_line l
where l.region_code = ${region} and l.report_date = ${date} and l.vt_code = '3501'${only(sql`l.voucher_no`)}`);
  return sql.join(parts, sql` union all `);
}

/**
 * The first pass, exported for EXPLAIN in the benchmark: one hash aggregate over the day's rows by
 * item × voucher that only asks whether every party lists the voucher once, at one amount, under
 * one coding (cheap aggregates, integers); the agreeing vouchers come back summed per item ×
 * coding, each differing one by its number.
 */
export function mainStatement(region: string, date: string, parties: readonly Party[]): RawBuilder<PassRow> {
  const mask = parties.reduce((m, p) => m | BIT[p], 0);
  return sql<PassRow>`
with u(src, item, key, amt, cid) as (${sources(region, date, parties, null)})
select ok, item, case when ok then cid end as cid, case when ok then null else key end as key,
       count(*)::int as n, sum(amt)::text as fen
from (
  select item, key, min(cid) as cid, min(amt) as amt,
         count(*) = ${parties.length} and bit_or(src) = ${mask} and min(amt) = max(amt)
           and min(cid) is not distinct from max(cid) as ok
  from u group by item, key
) g
group by 1, 2, 3, 4`;
}

/** The second pass: the differing vouchers as each party has them (count, sum, least, coding). */
function detailStatement(
  region: string,
  date: string,
  parties: readonly Party[],
  keys: readonly string[],
): RawBuilder<DetailRow> {
  const side = (s: number, p: string, withCoding = true) =>
    sql.raw(`
    count(*) filter (where src = ${s})::int as ${p}n,
    sum(amt) filter (where src = ${s})::text as ${p}a,
    min(amt) filter (where src = ${s})::text as ${p}min${
      withCoding
        ? `,
    min(cid) filter (where src = ${s}) as ${p}cod`
        : ''
    }`);
  return sql<DetailRow>`
with u(src, item, key, vt, amt, cid) as (${sources(region, date, parties, keys)})
select item, key, max(vt collate "C") as vt, ${side(1, 'f')}, ${side(2, 'b')}, ${side(4, 'p', false)}
from u group by item, key`;
}

const FB = (r: GroupRow) => r.fn === 1 && r.bn === 1 && r.fa === r.ba && r.fcod === r.bcod;
const FP = (r: GroupRow) => r.fn === 1 && r.pn === 1 && r.fa === r.pa;
const BP = (r: GroupRow) => r.bn === 1 && r.pn === 1 && r.ba === r.pa;

/** L1 of the day in two passes, and the per-coding lines of finance and the bank for L2 / L3. */
async function compareVouchers(trx: Kysely<DB>, region: string, date: string, parties: readonly Party[]) {
  const F = parties.includes('finance');
  const B = parties.includes('bank');
  const P = parties.includes('pboc');
  // One pass over the day's rows, hashed in memory (a day of 100 000 vouchers needs ~40 MB):
  // parallel workers would each aggregate and then merge everything again, and a sort-based
  // aggregate spilling to disk costs more than the comparison itself.
  await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
  await sql`set local work_mem = '256MB'`.execute(trx);
  const pass = (await mainStatement(region, date, parties).execute(trx)).rows;
  await sql`reset max_parallel_workers_per_gather`.execute(trx);
  await sql`reset work_mem`.execute(trx);
  const differing = new Set(pass.filter((r) => !r.ok).map((r) => `${r.item}|${r.key}`));
  const keys = [...new Set(pass.filter((r) => !r.ok).map((r) => r.key!))];
  const details =
    keys.length === 0
      ? []
      : (await detailStatement(region, date, parties, keys).execute(trx)).rows.filter((r) =>
          differing.has(`${r.item}|${r.key}`),
        );
  const texts = await codingTexts(trx, region, [
    ...pass.map((r) => r.cid ?? 0),
    ...details.flatMap((r) => [r.fcod ?? 0, r.bcod ?? 0]),
  ]);
  const text = (id: number | null) => (id === null ? null : (texts.get(id) ?? ''));
  const rows: GroupRow[] = details.map((r) => ({ ...r, fcod: text(r.fcod), bcod: text(r.bcod) }));
  const netted = P ? sameDayBounces(rows, F, B) : new Set<string>();
  const agreeing = pass.filter((r) => r.ok);
  const okN = agreeing.reduce((t, r) => t + r.n, 0);
  const okFen = agreeing.reduce((t, r) => t + BigInt(r.fen), 0n);
  const count = (f: (r: GroupRow) => boolean) => rows.filter(f).length;
  const fen = (f: (r: GroupRow) => boolean, a: (r: GroupRow) => string | null) =>
    rows.filter(f).reduce((t, r) => t + BigInt(a(r) ?? '0'), 0n);
  const summary = {
    f: (F ? okN : 0) + count((r) => r.fn > 0),
    b: (B ? okN : 0) + count((r) => r.bn > 0),
    p: (P ? okN : 0) + count((r) => r.pn > 0),
    fb: (F && B ? okN : 0) + count(FB),
    fbFen: (F && B ? okFen : 0n) + fen(FB, (r) => r.fa),
    fp: (F && P ? okN : 0) + count(FP),
    fpFen: (F && P ? okFen : 0n) + fen(FP, (r) => r.fa),
    bp: (B && P ? okN : 0) + count(BP),
    bpFen: (B && P ? okFen : 0n) + fen(BP, (r) => r.ba),
  };
  // Net per coding (refunds negative) of finance and the bank.
  const signed = (item: 'pay' | 'refund', v: string | bigint) => (item === 'pay' ? BigInt(v) : -BigInt(v));
  const lines: { src: 'F' | 'B'; cod: string; amt: bigint }[] = [];
  for (const r of agreeing) {
    if (F) lines.push({ src: 'F', cod: text(r.cid) ?? '', amt: signed(r.item, r.fen) });
    if (B) lines.push({ src: 'B', cod: text(r.cid) ?? '', amt: signed(r.item, r.fen) });
  }
  for (const r of rows) {
    if (r.fn > 0) lines.push({ src: 'F', cod: r.fcod ?? '', amt: signed(r.item, r.fa ?? '0') });
    if (r.bn > 0) lines.push({ src: 'B', cod: r.bcod ?? '', amt: signed(r.item, r.ba ?? '0') });
  }
  // For the pairs with the PBOC, a same-day bounce is neither side's: out of finance's and the bank's count.
  const nettedN = (side: 'fn' | 'bn') =>
    rows.filter((r) => netted.has(`${r.item}|${r.key}`) && r[side] > 0).length;
  return { summary, rows, lines, netted, nettedF: nettedN('fn'), nettedB: nettedN('bn') };
}

/**
 * Reconciles `date` in `region` over the three layers (clearing-protocol.md): reads, compares and
 * returns the figures and differences; writes nothing (the handler stores them).
 */
export async function reconcileDay(
  trx: Kysely<DB>,
  region: string,
  date: string,
  parties: readonly Party[],
): Promise<Reconciliation> {
  const F = parties.includes('finance');
  const B = parties.includes('bank');
  const P = parties.includes('pboc');
  const raw = await compareVouchers(trx, region, date, parties);
  // The coding text back into its parts; a line per coding × party for L2, per agency for L3.
  const part = (cod: string | null, i: number) => {
    const v = cod?.split('|')[i];
    return v === undefined || v === '' ? null : v;
  };
  const unitsBy = new Map<string, bigint>();
  const codingLines = new Map<string, LineRow>();
  for (const l of raw.lines) {
    const r: LineRow = {
      src: l.src,
      sd: part(l.cod, 2),
      ef: part(l.cod, 1),
      ft: part(l.cod, 3),
      pt: part(l.cod, 4),
      amt: String(l.amt),
    };
    const k = `${r.src}|${lineKey(r)}`;
    const had = codingLines.get(k);
    codingLines.set(k, had ? { ...had, amt: String(BigInt(had.amt) + l.amt) } : r);
    if (l.src === 'F') unitsBy.set(part(l.cod, 0) ?? '', (unitsBy.get(part(l.cod, 0) ?? '') ?? 0n) + l.amt);
  }
  if (F) {
    // An approved 更正 of D moves the paid amount from one unit to another in the ledger (scenario
    // 16) without a voucher paid on D: the units' side moves with it.
    const moved = await trx
      .selectFrom('clearing.correction')
      .select(['amount_fen', 'from_coding', 'to_coding'])
      .where('region_code', '=', region)
      .where('state', '=', 'approved')
      .where('approved_on', '=', date)
      .execute();
    const agencyOf = (c: unknown) => (c as { agencyCode?: string | null }).agencyCode ?? '';
    const move = (from: string, to: string, fen: bigint) => {
      unitsBy.set(from, (unitsBy.get(from) ?? 0n) - fen);
      unitsBy.set(to, (unitsBy.get(to) ?? 0n) + fen);
    };
    for (const c of moved) move(agencyOf(c.from_coding), agencyOf(c.to_coding), BigInt(c.amount_fen));
    // A refund of D of a payment a correction moved to another unit restores that unit's indicator
    // in the ledger, while the voucher (and the bank's 2206) still name the unit it was paid by.
    const recodedRefunds = await sql<{ paid: string | null; now: string; fen: string }>`
select v.agency_code as paid, a.agency_code as now, r.amount_fen::text as fen
from payments.refund_notice r
join payments.voucher v on v.region_code = r.region_code and v.fiscal_year = r.fiscal_year
  and v.vt_code = r.ori_vt_code and v.voucher_no = r.ori_voucher_no
join payments.application a on a.region_code = r.region_code and a.fiscal_year = r.fiscal_year
  and a.application_id = r.application_id
where r.region_code = ${region} and r.pay_date = ${date.replaceAll('-', '')}
  and v.agency_code is distinct from a.agency_code`.execute(trx);
    for (const r of recodedRefunds.rows) move(r.paid ?? '', r.now, -BigInt(r.fen));
  }
  const m = {
    summary: raw.summary,
    rows: raw.rows,
    lines: [...codingLines.values()],
    units: [...unitsBy.entries()].map(([agency, amt]) => ({ agency, amt: String(amt) })),
  };
  const differences: Difference[] = [];
  const figures: PairFigure[] = [];

  // Messages refused for their signature on D: a refused receipt explains finance lacking it.
  const rejectedRows = F
    ? await trx
        .selectFrom('reconcile.rejected_message')
        .select(['sender', 'vt_code', 'voucher_no', 'reason', 'key_id'])
        .distinct()
        .where('region_code', '=', region)
        .where('message_date', '=', date)
        .execute()
    : [];
  const rejectedReceipts = new Set(
    rejectedRows
      .filter((r) => r.sender === 'bank' && parties.includes('bank') && ['5201', '8202'].includes(r.vt_code))
      .map((r) => `${r.vt_code}/${r.voucher_no}`),
  );

  // L1 vouchers.
  // Listed n times: all at one amount when the sum is n × the smallest.
  const seen = (
    n: number,
    a: string | null,
    min: string | null,
    ag?: string | null,
    ef?: string | null,
  ): Seen => ({
    n,
    amount: BigInt(a ?? '0'),
    min: BigInt(min ?? '0'),
    max: BigInt(a ?? '0') === BigInt(n) * BigInt(min ?? '0') ? BigInt(min ?? '0') : BigInt(a ?? '0'),
    agency: ag ?? null,
    expFunc: ef ?? null,
  });
  const folded = new Set<string>();
  for (const r of m.rows) {
    const item: VoucherItem = {
      item: r.item,
      voucherNo: r.key,
      vtCode: r.vt,
      seen: {
        ...(F && r.fn > 0 ? { finance: seen(r.fn, r.fa, r.fmin, part(r.fcod, 0), part(r.fcod, 1)) } : {}),
        ...(B && r.bn > 0 ? { bank: seen(r.bn, r.ba, r.bmin, part(r.bcod, 0), part(r.bcod, 1)) } : {}),
        ...(P && r.pn > 0 ? { pboc: seen(r.pn, r.pa, r.pmin) } : {}),
      },
    };
    const ds = compareVoucher(
      item,
      raw.netted.has(`${r.item}|${r.key}`) ? parties.filter((x) => x !== 'pboc') : parties,
      rejectedReceipts,
    );
    for (const d of ds) if (d.kind === 'signature') folded.add(`${d.vtCode}/${d.voucherNo}`);
    differences.push(...ds);
  }
  const s = m.summary;
  const l1Counts: Record<Pair, [number, number]> = {
    'finance-bank': [s.f, s.b],
    'finance-pboc': [s.f - raw.nettedF, s.p],
    'bank-pboc': [s.b - raw.nettedB, s.p],
    'finance-ledger': [0, 0],
  };
  const l1Matched: Partial<Record<Pair, [number, bigint]>> = {
    'finance-bank': [s.fb, s.fbFen],
    'finance-pboc': [s.fp, s.fpFen],
    'bank-pboc': [s.bp, s.bpFen],
  };

  // Refused messages not explained above are differences of their own (one per message).
  for (const r of rejectedRows) {
    const k = `${r.vt_code}/${r.voucher_no}`;
    if (folded.has(k) || !parties.includes(r.sender)) continue;
    folded.add(k);
    const layer: Layer = r.vt_code === '3410' ? 'L2' : r.vt_code === '3513' ? 'L3' : 'L1';
    const party = r.sender as Party;
    differences.push({
      layer,
      pair: pairOf(party, 'finance'),
      pairs: [pairOf(party, 'finance')],
      kind: 'signature',
      party,
      itemKey: `msg:${k}`,
      vtCode: r.vt_code,
      voucherNo: r.voucher_no,
      expected: null,
      actual: null,
      zh: `${party === 'bank' ? '代理银行' : '人民银行'}报文 ${k} 验签失败被拒收：${r.reason}`,
      en: `${party === 'bank' ? "The bank's" : "The PBOC's"} message ${k} failed signature verification and was refused: ${r.reason}`,
    });
  }

  // L2 clearing per coding line: finance paid, bank 2206 totals, PBOC 3410.
  const pbocLines = P
    ? (
        await sql<LineRow>`
select 'P' as src, sup_dep_code as sd, exp_func_code as ef, fund_type_code as ft, pay_type_code as pt,
       sum(amount_fen)::text as amt
from reconcile.report_line
where region_code = ${region} and report_date = ${date} and vt_code = '3410'
group by 2, 3, 4, 5`.execute(trx)
      ).rows
    : [];
  const quota = F && P ? await loadQuotaIssued(trx, region, date) : null;
  const lines = new Map<string, AmountItem>();
  const party: Record<LineRow['src'], Party> = { F: 'finance', B: 'bank', P: 'pboc' };
  for (const l of [...m.lines, ...pbocLines]) {
    const key = lineKey(l);
    const it = lines.get(key) ?? { key: `line:${key}`, label: lineLabel(key), amounts: {} };
    const p = party[l.src];
    it.amounts[p] = (it.amounts[p] ?? 0n) + BigInt(l.amt);
    lines.set(key, it);
  }
  const quotaByLine = new Map<string, bigint>();
  for (const q of quota?.lines ?? []) {
    const key = lineKey({ sd: q.supDep, ef: q.expFunc, ft: q.fundType, pt: q.payType });
    quotaByLine.set(key, (quotaByLine.get(key) ?? 0n) + q.amount);
  }
  for (const it of lines.values()) differences.push(...compareAmounts('L2', it, parties));
  // The PBOC's 3504 清算信息对账 of D (cleared per coding line) must say what finance paid.
  if (F && P) {
    const reports3504 = await trx
      .selectFrom('reconcile.report')
      .select('report_id')
      .where('region_code', '=', region)
      .where('report_date', '=', date)
      .where('vt_code', '=', '3504')
      .execute();
    if (reports3504.length > 0) {
      const lines3504 = await reportLines(
        trx,
        reports3504.map((r) => r.report_id),
      );
      const by = new Map(lines3504.map((l) => [l.key, l.fen]));
      const keys = new Set([
        ...by.keys(),
        ...[...lines.entries()].filter(([, i]) => i.amounts.finance !== undefined).map(([k]) => k),
      ]);
      for (const key of [...keys].sort()) {
        const it: AmountItem = {
          key: `clearing:${key}`,
          label: lineLabel(key),
          amounts: {
            ...(lines.get(key)?.amounts.finance !== undefined
              ? { finance: lines.get(key)!.amounts.finance! }
              : {}),
            ...(by.has(key) ? { pboc: by.get(key)! } : {}),
          },
        };
        differences.push(
          ...compareAmounts('L2', it, ['finance', 'pboc'], {
            finance: { zh: '财政已支付金额', en: "finance's paid amounts" },
            pboc: { zh: '人民银行清算信息对账（3504）', en: "the PBOC's clearing check (3504)" },
            bank: { zh: '', en: '' },
          }),
        );
      }
    }
  }
  for (const pr of pairsAmong(parties)) {
    const [a, b] = pr.split('-') as [Party, Party];
    const all = [...lines.values()];
    const matched = all.filter(
      (it) => (it.amounts[a] !== undefined || it.amounts[b] !== undefined) && amountsMatch(it, a, b),
    );
    figures.push({
      layer: 'L1',
      pair: pr,
      countA: l1Counts[pr][0],
      countB: l1Counts[pr][1],
      matched: l1Matched[pr]![0],
      matchedFen: l1Matched[pr]![1],
      differences: 0,
    });
    figures.push({
      layer: 'L2',
      pair: pr,
      countA: all.filter((it) => it.amounts[a] !== undefined).length,
      countB: all.filter((it) => it.amounts[b] !== undefined).length,
      matched: matched.length,
      matchedFen: matched.reduce((t, it) => t + (it.amounts[a] ?? 0n), 0n),
      differences: 0,
    });
  }
  // L2 quota part: the quota notices cover what finance paid, and each bank × pay type's quota is
  // used up by the PBOC's clearing: opening + issued − cleared = closing, closing 0 by day-end.
  if (quota) {
    const keys = new Set([
      ...quotaByLine.keys(),
      ...[...lines.values()].filter((i) => i.amounts.finance !== undefined).map((i) => i.key.slice(5)),
    ]);
    for (const key of keys) {
      const it: AmountItem = {
        key: `quota:${key}`,
        label: lineLabel(key),
        amounts: {
          ...(lines.get(key)?.amounts.finance !== undefined
            ? { pboc: lines.get(key)!.amounts.finance! }
            : {}),
          ...(quotaByLine.has(key) ? { finance: quotaByLine.get(key)! } : {}),
        },
      };
      // Here "pboc" stands for finance's own payments: the notice (finance) must equal them.
      for (const d of compareAmounts('L2', it, ['pboc', 'finance'], {
        finance: { zh: '清算额度通知单（5108/5106）', en: 'the quota notices (5108/5106)' },
        pboc: { zh: '财政已支付金额', en: "finance's paid amounts" },
        bank: { zh: '', en: '' },
      }))
        differences.push({ ...d, party: 'finance', pair: 'finance-pboc', pairs: ['finance-pboc'] });
    }
    const cleared = await sql<{ bank: string; pt: string; before: string; on_date: string }>`
select pay_bank_code as bank, pay_type_code as pt,
       coalesce(sum(amount_fen) filter (where report_date < ${date}), 0)::text as before,
       coalesce(sum(amount_fen) filter (where report_date = ${date}), 0)::text as on_date
from reconcile.report_line
where region_code = ${region} and report_date <= ${date} and vt_code = '3410'
group by 1, 2`.execute(trx);
    const clearedBy = new Map(cleared.rows.map((r) => [`${r.bank}|${r.pt}`, r]));
    for (const b of quota.balances) {
      const c = clearedBy.get(`${b.bank}|${b.payType}`);
      const opening = b.issuedBefore - BigInt(c?.before ?? '0');
      const closing = opening + b.issuedOn - BigInt(c?.on_date ?? '0');
      if (closing === 0n) continue;
      const p: Party = closing > 0n ? 'bank' : 'pboc';
      differences.push({
        layer: 'L2',
        pair: 'finance-pboc',
        pairs: ['finance-pboc'],
        kind: 'identity',
        party: p,
        itemKey: `quotaBalance:${b.bank}|${b.payType}`,
        vtCode: null,
        voucherNo: null,
        expected: 0n,
        actual: closing,
        zh: `代理银行 ${b.bank} 支付方式 ${b.payType} 清算额度：期初 ${opening} + 本日下达 ${b.issuedOn} − 本日清算 ${BigInt(c?.on_date ?? '0')} = 期末 ${closing}（分），日终应为 0`,
        en: `bank ${b.bank} pay type ${b.payType} quota: opening ${opening} + issued ${b.issuedOn} − cleared ${BigInt(c?.on_date ?? '0')} = closing ${closing} (fen); should be 0 at day-end`,
      });
    }
  }

  // L3 accounts.
  const statements = await trx
    .selectFrom('reconcile.report')
    .select([
      'sender',
      'sender_code',
      'acct_no',
      'acct_name',
      'open_fen',
      'debit_fen',
      'credit_fen',
      'close_fen',
    ])
    .where('region_code', '=', region)
    .where('report_date', '=', date)
    .where('vt_code', '=', '3513')
    .orderBy('acct_no')
    .execute();
  const financeNet = m.lines.filter((l) => l.src === 'F').reduce((t, l) => t + BigInt(l.amt), 0n);
  const l3 = (pair: Pair, countA: number, countB: number, matched: number, matchedFen: bigint) =>
    figures.push({ layer: 'L3', pair, countA, countB, matched, matchedFen, differences: 0 });
  if (F && B) {
    const own = statements.filter((x) => x.sender === 'bank');
    let ok = 0;
    let okFen = 0n;
    for (const st of own) {
      const [open, debit, credit, close] = [st.open_fen, st.debit_fen, st.credit_fen, st.close_fen].map((v) =>
        BigInt(v ?? 0),
      );
      const identity = open! + credit! - debit! === close!;
      if (identity && close === 0n) {
        ok++;
        okFen += debit!;
        continue;
      }
      differences.push({
        layer: 'L3',
        pair: 'finance-bank',
        pairs: ['finance-bank'],
        kind: 'identity',
        party: 'bank',
        itemKey: `acct:${st.acct_no}`,
        vtCode: '3513',
        voucherNo: null,
        expected: identity ? 0n : open! + credit! - debit!,
        actual: close!,
        zh: identity
          ? `零余额账户 ${st.acct_no} ${st.acct_name ?? ''} 日终余额 ${close} 分，未清零`
          : `账户 ${st.acct_no}：期初 ${open} + 贷方 ${credit} − 借方 ${debit} ≠ 期末 ${close}（分）`,
        en: identity
          ? `zero-balance account ${st.acct_no} closes at ${close} fen, not 0`
          : `account ${st.acct_no}: opening ${open} + credit ${credit} − debit ${debit} ≠ closing ${close} (fen)`,
      });
    }
    if (own.length === 0 && m.summary.f > 0)
      differences.push({
        layer: 'L3',
        pair: 'finance-bank',
        pairs: ['finance-bank'],
        kind: 'missing',
        party: 'bank',
        itemKey: 'acct:*',
        vtCode: '3513',
        voucherNo: null,
        expected: null,
        actual: null,
        zh: '代理银行未报送零余额账户对账单（3513）',
        en: 'the bank sent no zero-balance account statement (3513)',
      });
    l3('finance-bank', own.length, own.length, ok, okFen);
  }
  if (F && P) {
    const tsa = statements.filter((x) => x.sender === 'pboc');
    let ok = 0;
    let okFen = 0n;
    for (const st of tsa) {
      const [open, debit, credit, close] = [st.open_fen, st.debit_fen, st.credit_fen, st.close_fen].map((v) =>
        BigInt(v ?? 0),
      );
      const identity = open! + credit! - debit! === close!;
      const movement = debit! - credit!;
      if (identity && movement === financeNet) {
        ok++;
        okFen += movement;
        continue;
      }
      differences.push({
        layer: 'L3',
        pair: 'finance-pboc',
        pairs: ['finance-pboc'],
        kind: identity ? 'amount' : 'identity',
        party: 'pboc',
        itemKey: `acct:${st.acct_no}`,
        vtCode: '3513',
        voucherNo: null,
        expected: identity ? financeNet : open! + credit! - debit!,
        actual: identity ? movement : close!,
        zh: identity
          ? `国库单一账户 ${st.acct_no} 本日净清算 ${movement} 分，财政当日净支付 ${financeNet} 分`
          : `国库单一账户 ${st.acct_no}：期初 ${open} + 贷方 ${credit} − 借方 ${debit} ≠ 期末 ${close}（分）`,
        en: identity
          ? `treasury single account ${st.acct_no} net clearing ${movement} fen, finance's net payments ${financeNet} fen`
          : `treasury single account ${st.acct_no}: opening ${open} + credit ${credit} − debit ${debit} ≠ closing ${close} (fen)`,
      });
    }
    if (tsa.length === 0 && financeNet !== 0n)
      differences.push({
        layer: 'L3',
        pair: 'finance-pboc',
        pairs: ['finance-pboc'],
        kind: 'missing',
        party: 'pboc',
        itemKey: 'acct:tsa',
        vtCode: '3513',
        voucherNo: null,
        expected: financeNet,
        actual: null,
        zh: '人民银行未报送国库单一账户对账单（3513）',
        en: 'the PBOC sent no treasury single account statement (3513)',
      });
    l3('finance-pboc', tsa.length, tsa.length, ok, okFen);
  }
  if (F) {
    // Each unit's paid vouchers (net of refunds) against the indicator ledger's paid movement
    // (account 2501, 借 refunds / 贷 payments) booked on D.
    const ledger = await sql<{ agency: string | null; amt: string }>`
select k.agency_code as agency,
       sum(case l.side when 'credit' then l.amount_fen else -l.amount_fen end)::text as amt
from ledger.line l
join ledger.element_key k on k.region_code = l.region_code and k.fiscal_year = l.fiscal_year and k.id = l.element_key_id
where l.region_code = ${region} and l.business_date = ${date} and l.account = '2501'
group by 1`.execute(trx);
    const byUnit = new Map<string, { v?: bigint; l?: bigint }>();
    for (const u of m.units) byUnit.set(u.agency ?? '', { v: BigInt(u.amt) });
    for (const u of ledger.rows)
      byUnit.set(u.agency ?? '', { ...byUnit.get(u.agency ?? ''), l: BigInt(u.amt) });
    let ok = 0;
    let okFen = 0n;
    for (const [agency, x] of [...byUnit.entries()].sort()) {
      if ((x.v ?? 0n) === (x.l ?? 0n)) {
        ok++;
        okFen += x.v ?? 0n;
        continue;
      }
      differences.push({
        layer: 'L3',
        pair: 'finance-ledger',
        pairs: ['finance-ledger'],
        kind: x.l === undefined || x.v === undefined ? 'missing' : 'amount',
        party: 'finance',
        itemKey: `unit:${agency}`,
        vtCode: null,
        voucherNo: null,
        expected: x.v ?? 0n,
        actual: x.l ?? null,
        zh: `预算单位 ${agency} 当日已支付凭证净额 ${x.v ?? 0n} 分，指标账已支付变动 ${x.l ?? '无'} 分`,
        en: `agency ${agency}: paid vouchers net ${x.v ?? 0n} fen, indicator ledger paid movement ${x.l ?? 'none'} fen`,
      });
    }
    const withVouchers = [...byUnit.values()].filter((x) => x.v !== undefined).length;
    const withLedger = [...byUnit.values()].filter((x) => x.l !== undefined).length;
    l3('finance-ledger', withVouchers, withLedger, ok, okFen);
  }
  for (const f of figures)
    f.differences = differences.filter((d) => d.layer === f.layer && d.pairs.includes(f.pair)).length;
  return { figures, differences, quotaChecked: quota !== null };
}
