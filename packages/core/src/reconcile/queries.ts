import { type Kysely, sql } from 'kysely';
import { formatYuan } from '../kernel/money';
import type { DB } from '../platform/db/schema';
import { isGreen } from './handlers';

const yuanOf = (v: bigint | string | number | null) => (v === null ? null : formatYuan(BigInt(v)));

/** Runs of a region (optionally of one date), newest first. */
export async function listRuns(db: Kysely<DB>, o: { region: string; date?: string | undefined }) {
  let q = db
    .selectFrom('reconcile.run')
    .selectAll()
    .where('region_code', '=', o.region)
    .orderBy('run_date', 'desc')
    .orderBy('ran_at', 'desc')
    .limit(500);
  if (o.date) q = q.where('run_date', '=', o.date);
  const runs = await q.execute();
  const red = runs.length
    ? await db
        .selectFrom('reconcile.run_pair')
        .select(['run_id', 'count_a', 'count_b', 'matched_count', 'difference_count'])
        .where(
          'run_id',
          'in',
          runs.map((r) => r.run_id),
        )
        .execute()
    : [];
  return {
    rows: runs.map((r) => ({
      runId: r.run_id,
      region: r.region_code,
      date: r.run_date,
      parties: r.parties,
      state: r.state,
      supersedes: r.supersedes,
      supersededBy: r.superseded_by,
      differences: r.difference_count,
      quotaChecked: r.quota_checked,
      green: red
        .filter((p) => p.run_id === r.run_id)
        .every((p) =>
          isGreen({
            differences: p.difference_count,
            matched: p.matched_count,
            countA: p.count_a,
            countB: p.count_b,
          }),
        ),
      runBy: r.run_by,
      ranAt: r.ran_at,
      durationMs: r.duration_ms,
    })),
  };
}

const LAYER_NAMES: Record<string, { zh: string; en: string }> = {
  L1: { zh: '凭证级', en: 'vouchers' },
  L2: { zh: '清算/额度级', en: 'quotas and clearing' },
  L3: { zh: '账户级', en: 'accounts' },
};

/** One run: per layer × pair the counts, matched amount (yuan) and green/red. */
export async function runDetail(db: Kysely<DB>, region: string, runId: string) {
  const r = await db
    .selectFrom('reconcile.run')
    .selectAll()
    .where('region_code', '=', region)
    .where('run_id', '=', runId)
    .executeTakeFirst();
  if (!r) return null;
  const pairs = await db.selectFrom('reconcile.run_pair').selectAll().where('run_id', '=', runId).execute();
  const byKind = await db
    .selectFrom('reconcile.difference')
    .select(['layer', 'kind', 'state', (eb) => eb.fn.countAll<string>().as('n')])
    .where('run_id', '=', runId)
    .groupBy(['layer', 'kind', 'state'])
    .execute();
  return {
    runId: r.run_id,
    region: r.region_code,
    year: r.fiscal_year,
    date: r.run_date,
    parties: r.parties,
    state: r.state,
    supersedes: r.supersedes,
    supersededBy: r.superseded_by,
    quotaChecked: r.quota_checked,
    differences: r.difference_count,
    runBy: r.run_by,
    ranAt: r.ran_at,
    durationMs: r.duration_ms,
    layers: ['L1', 'L2', 'L3'].map((layer) => ({
      layer,
      name: LAYER_NAMES[layer],
      pairs: pairs
        .filter((p) => p.layer === layer)
        .map((p) => ({
          pair: p.pair,
          countA: p.count_a,
          countB: p.count_b,
          matched: p.matched_count,
          matchedAmount: formatYuan(BigInt(p.matched_fen)),
          differences: p.difference_count,
          status: isGreen({
            differences: p.difference_count,
            matched: p.matched_count,
            countA: p.count_a,
            countB: p.count_b,
          })
            ? 'green'
            : 'red',
        })),
      differencesByKind: Object.fromEntries(
        byKind.filter((k) => k.layer === layer).map((k) => [`${k.kind}/${k.state}`, Number(k.n)]),
      ),
    })),
  };
}

type DiffRow = Awaited<ReturnType<typeof diffQuery>>[number];
const diffQuery = (db: Kysely<DB>) => db.selectFrom('reconcile.difference').selectAll().execute();

const differenceOut = (d: DiffRow) => ({
  differenceId: d.difference_id,
  runId: d.run_id,
  date: d.run_date,
  layer: d.layer,
  pair: d.pair,
  pairs: d.pairs,
  kind: d.kind,
  party: d.party,
  itemKey: d.item_key,
  vtCode: d.vt_code,
  voucherNo: d.voucher_no,
  expectedAmount: yuanOf(d.expected_fen),
  actualAmount: yuanOf(d.actual_fen),
  detail: { 'zh-CN': d.detail_zh, en: d.detail_en },
  state: d.state,
  assignee: d.assignee,
  explanation: d.explanation,
  explainedBy: d.explained_by,
  resolution: d.resolution,
  note: d.note,
  resolvedBy: d.resolved_by,
  carriedFrom: d.carried_from,
});

export async function listDifferences(
  db: Kysely<DB>,
  o: {
    region: string;
    runId?: string | undefined;
    layer?: string | undefined;
    pair?: string | undefined;
    state?: string | undefined;
    kind?: string | undefined;
    page?: number;
    pageSize?: number;
  },
) {
  const page = o.page ?? 1;
  const pageSize = o.pageSize ?? 50;
  let q = db.selectFrom('reconcile.difference').where('region_code', '=', o.region);
  if (o.runId) q = q.where('run_id', '=', o.runId);
  else
    q = q.where('run_id', 'in', (eb) =>
      eb
        .selectFrom('reconcile.run')
        .select('run_id')
        .where('region_code', '=', o.region)
        .where('state', '=', 'current'),
    );
  if (o.layer) q = q.where('layer', '=', o.layer as 'L1');
  if (o.pair) q = q.where(sql<boolean>`${o.pair} = any(pairs)`);
  if (o.state) q = q.where('state', '=', o.state as 'open');
  if (o.kind) q = q.where('kind', '=', o.kind as 'missing');
  const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('difference_id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { items: rows.map(differenceOut), total: Number(total.n), page, pageSize };
}

/** One difference with its trail (also of the differences it was carried from) and what each side says. */
export async function differenceDetail(db: Kysely<DB>, region: string, id: string) {
  const d = await db
    .selectFrom('reconcile.difference')
    .selectAll()
    .where('region_code', '=', region)
    .where('difference_id', '=', id)
    .executeTakeFirst();
  if (!d) return null;
  const events = await sql<{
    difference_id: string;
    seq: number;
    action: string;
    actor: string;
    from_state: string;
    to_state: string;
    text: string | null;
    on_date: string;
    at: Date;
  }>`
with recursive chain(id) as (
  select ${id}::text
  union all
  select d.carried_from from reconcile.difference d join chain c on d.difference_id = c.id where d.carried_from is not null
)
select e.* from reconcile.difference_event e where e.difference_id in (select id from chain)
order by e.at, e.difference_id, e.seq`.execute(db);
  const sides: Record<string, unknown[]> = { finance: [], bank: [], pboc: [] };
  if (d.voucher_no) {
    const d8 = d.run_date.replaceAll('-', '');
    sides.finance = (
      await sql<Record<string, unknown>>`
select v.vt_code as "vtCode", v.voucher_no as "voucherNo", v.application_id as "applicationId",
       a.agency_code as "agencyCode", v.amount_fen::text as "amountFen", v.x_pay_amt_fen::text as "paidFen",
       v.x_pay_date as "paidOn", v.library_status as "libraryStatus", a.state,
       r.voucher_no as "refundNo", r.amount_fen::text as "refundFen", r.pay_date as "refundOn"
from payments.voucher v
join payments.application a on a.region_code = v.region_code and a.fiscal_year = v.fiscal_year
  and a.application_id = v.application_id
left join payments.refund_notice r on r.region_code = v.region_code and r.fiscal_year = v.fiscal_year
  and r.ori_vt_code = v.vt_code and r.ori_voucher_no = v.voucher_no
where v.region_code = ${region} and v.voucher_no = ${d.voucher_no}`.execute(db)
    ).rows.map((r) => ({ ...r, paidFen: r.paidFen ?? null, forDate: d8 }));
    const lines = await db
      .selectFrom('reconcile.report_line as l')
      .innerJoin('reconcile.report as r', 'r.report_id', 'l.report_id')
      .select([
        'r.sender',
        'r.sender_code',
        'r.vt_code',
        'r.voucher_no as report_no',
        'r.report_date',
        'l.line_no',
        'l.voucher_no',
        'l.ori_vt_code',
        'l.agency_code',
        'l.exp_func_code',
        'l.amount_fen',
        'l.pro_state',
      ])
      .where('l.region_code', '=', region)
      .where('l.report_date', '=', d.run_date)
      .where('l.voucher_no', '=', d.voucher_no)
      .execute();
    for (const l of lines)
      sides[l.sender]!.push({
        report: `${l.vt_code}/${l.report_no}`,
        senderCode: l.sender_code,
        lineNo: l.line_no,
        voucherNo: l.voucher_no,
        oriVtCode: l.ori_vt_code,
        agencyCode: l.agency_code,
        expFuncCode: l.exp_func_code,
        amount: formatYuan(BigInt(l.amount_fen)),
        proState: l.pro_state,
      });
  }
  const rejected = await db
    .selectFrom('reconcile.rejected_message')
    .select(['sender', 'vt_code', 'voucher_no', 'reason', 'key_id', 'received_at'])
    .where('region_code', '=', region)
    .where('message_date', '=', d.run_date)
    .where('voucher_no', '=', d.voucher_no ?? '')
    .execute();
  return {
    ...differenceOut(d),
    events: events.rows.map((e) => ({
      differenceId: e.difference_id,
      seq: e.seq,
      action: e.action,
      actor: e.actor,
      from: e.from_state,
      to: e.to_state,
      text: e.text,
      on: e.on_date,
      at: e.at,
    })),
    sides,
    rejectedMessages: rejected.map((r) => ({
      sender: r.sender,
      vtCode: r.vt_code,
      voucherNo: r.voucher_no,
      reason: r.reason,
      keyId: r.key_id,
      receivedAt: r.received_at,
    })),
  };
}
