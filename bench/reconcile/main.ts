import { cpus } from 'node:os';
import { type Kysely, sql } from 'kysely';
import { executeCommands } from '../../packages/core/src/commands/pipeline';
import { openPool } from '../../packages/core/src/platform/db/connect';
import type { DB } from '../../packages/core/src/platform/db/schema';
import { withScratchDatabase } from '../ledger/scratch-db';
import { type Figure, interrupted, log, median, round } from '../ledger/shared';

export interface ReconcileBenchOptions {
  databaseUrl?: string | undefined;
  home: string;
  quick: boolean;
  /** Paid vouchers of the day (default 100 000; quick 10 000). */
  vouchers?: number | undefined;
  print: (line: string) => void;
}

const REGION = '530700000';
const YEAR = 2026;
const DATE = '2026-06-15';
const D8 = DATE.replaceAll('-', '');
const AGENCIES = 20;
const FUNCS = ['2050203', '2050202', '2050204', '2050299'];

/**
 * A day of N paid vouchers in bulk (SQL): 20 units' indicators and ledger keys, the applications and
 * their 5201 vouchers paid on DATE (receipts), 1 % refunded the same day, the ledger's bankPaid and
 * refund entries, and the counterparts' reports of the day as the inbox would store them (2206 with
 * every voucher and refund, 3501, 3410 per coding line, the bank's and the PBOC's 3513), with three
 * planted faults: a line lost from the 2206, an altered 2206 amount, a voucher cleared twice (3501).
 */
async function buildDay(db: Kysely<DB>, n: number): Promise<{ refunds: number; planted: string[] }> {
  const refunds = Math.max(1, Math.floor(n / 100));
  await sql`
insert into indicators.indicator (region_code, fiscal_year, indicator_id, pool, elements, agency_code, dept_code,
  exp_func_code, dep_eco_code, fund_type_code, origin_kind, created_by_doc)
select ${REGION}, ${YEAR}::int, 'RB-IND-' || a, 'executable', '{}'::jsonb, '2050' || lpad(a::text, 2, '0'), '205',
  (${sql.raw(`array['${FUNCS.join("','")}']`)})[1 + a % ${FUNCS.length}], '30201', '111', 'bench', 'bench'
from generate_series(0, ${AGENCIES - 1}) a`.execute(db);
  await sql`
insert into ledger.element_key (region_code, fiscal_year, key_text, indicator_id, agency_code, dept_code, exp_func_code,
  fund_type_code, flags)
select ${REGION}, ${YEAR}::int, 'bench-reconcile-' || a, 'RB-IND-' || a, '2050' || lpad(a::text, 2, '0'), '205',
  (${sql.raw(`array['${FUNCS.join("','")}']`)})[1 + a % ${FUNCS.length}], '111', '{}'::jsonb
from generate_series(0, ${AGENCIES - 1}) a`.execute(db);
  // The codings the vouchers are cleared under (as signing records them) and the 2206 lines say.
  await sql`
insert into reconcile.coding (region_code, coding)
select ${REGION}, '2050' || lpad(a::text, 2, '0') || '|' || (${sql.raw(`array['${FUNCS.join("','")}']`)})[1 + a % ${FUNCS.length}]
  || '|205|111|11'
from generate_series(0, ${AGENCIES - 1}) a`.execute(db);
  await sql`
create temp table bench_coding as
select a, '2050' || lpad(a::text, 2, '0') as agency, (${sql.raw(`array['${FUNCS.join("','")}']`)})[1 + a % ${FUNCS.length}] as func,
  c.coding_id
from generate_series(0, ${AGENCIES - 1}) a
join reconcile.coding c on c.region_code = ${REGION}
  and c.coding = '2050' || lpad(a::text, 2, '0') || '|' || (${sql.raw(`array['${FUNCS.join("','")}']`)})[1 + a % ${FUNCS.length}] || '|205|111|11'`.execute(
    db,
  );
  await sql`
create temp table bench_v as
select i, 'RBA' || lpad(i::text, 8, '0') as application_id, '2026520199' || lpad(i::text, 8, '0') as voucher_no,
  i % ${AGENCIES} as a, (10000 + (i * 7919) % 900000)::bigint as amount_fen, i % 100 = 3 as refunded,
  1000000000 + i * 2 as paid_entry, 1000000001 + i * 2 as refund_entry
from generate_series(1, ${n}) i`.execute(db);
  await sql`analyze bench_v`.execute(db);

  await sql`
insert into payments.application (region_code, fiscal_year, application_id, pay_type, indicator_id, agency_code,
  amount_fen, purpose, settlement_mode, payee, payee_account_kind, beneficiaries, state, prepared_by, created_at, updated_at)
select ${REGION}, ${YEAR}::int, application_id, 'direct', 'RB-IND-' || a, '2050' || lpad(a::text, 2, '0'), amount_fen,
  '办公用品', '001001', '{}'::jsonb, 'other', '[]'::jsonb, case when refunded then 'refunded' else 'paid' end, 'bench', now(), now()
from bench_v`.execute(db);
  await sql`analyze payments.application`.execute(db);
  await sql`
insert into payments.voucher (region_code, fiscal_year, vt_code, voucher_no, application_id, amount_fen, envelope,
  signed_by, key_id, library_status, created_at, x_pay_date, x_pay_amt_fen, x_agent_business_no, answered_at,
  agency_code, exp_func_code, sup_dep_code, fund_type_code, pay_type_code, coding_id)
select ${REGION}, ${YEAR}::int, '5201', voucher_no, application_id, amount_fen, '', 'bench', 'bench', 5, now(), ${D8},
  amount_fen, 'B' || voucher_no, now(), c.agency, c.func, '205', '111', '11', c.coding_id
from bench_v v join bench_coding c using (a)`.execute(db);
  await sql`
insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, debit_fen, credit_fen)
select ${REGION}, ${YEAR}::int, paid_entry, 'bankPaid', ${DATE}::date, amount_fen, amount_fen from bench_v
union all
select ${REGION}, ${YEAR}::int, refund_entry, 'refund', ${DATE}::date, amount_fen, amount_fen from bench_v where refunded`.execute(
    db,
  );
  await sql`analyze ledger.entry`.execute(db);
  // The lines are balanced by construction; the per-statement balance check (and the foreign keys)
  // would look each of the day's entries up in tables last analyzed empty: off for this bulk load.
  await db.connection().execute(async (c) => {
    await sql`set session_replication_role = replica`.execute(c);
    await sql`
insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
select ${REGION}, ${YEAR}::int, x.entry, x.line_no, x.account, x.side, v.amount_fen, k.id, ${DATE}::date
from bench_v v
join ledger.element_key k on k.region_code = ${REGION} and k.fiscal_year = ${YEAR}::int and k.key_text = 'bench-reconcile-' || v.a
cross join lateral (values (v.paid_entry, 1, '2401', 'debit'), (v.paid_entry, 2, '2501', 'credit'),
  (case when v.refunded then v.refund_entry end, 1, '2501', 'debit'),
  (case when v.refunded then v.refund_entry end, 2, '2101', 'credit')) x(entry, line_no, account, side)
where x.entry is not null`.execute(c);
    await sql`reset session_replication_role`.execute(c);
  });
  await sql`
insert into payments.refund_notice (region_code, fiscal_year, ori_vt_code, ori_voucher_no, vt_code, voucher_no,
  application_id, amount_fen, agent_business_no, pay_date, reason, entry_id, received_at)
select ${REGION}, ${YEAR}::int, '5201', voucher_no, '2203', 'RF' || voucher_no, application_id, amount_fen,
  'RB' || voucher_no, ${D8}, '退票', refund_entry, now()
from bench_v where refunded`.execute(db);
  // The counterparts' reports (as reconcileReport.receive stores them).
  const report = async (sender: string, vt: string, no: string, extra: Record<string, unknown> = {}) => {
    const r = await sql<{ report_id: string }>`
insert into reconcile.report (region_code, fiscal_year, sender, sender_code, key_id, vt_code, voucher_no, report_date,
  amount_fen, acct_no, acct_kind, open_fen, debit_fen, credit_fen, close_fen, line_count, header, content_sha, received_at)
values (${REGION}, ${YEAR}::int, ${sender}, ${sender === 'bank' ? 'ABC001' : '2707000000'}, ${`${sender}-bench`}, ${vt}, ${no},
  ${DATE}::date, 0, ${extra.acct ?? null}, ${extra.kind ?? null}, ${extra.open ?? null}, ${extra.debit ?? null},
  ${extra.credit ?? null}, ${extra.close ?? null}, 0, '{}'::jsonb, repeat('0', 64), now())
returning report_id::text`.execute(db);
    return r.rows[0]!.report_id;
  };
  const r2206 = await report('bank', '2206', `2206${D8}ABC001`);
  // Planted: voucher 5's line lost, voucher 7's amount altered by 1.00.
  await sql`
insert into reconcile.report_line (report_id, line_no, region_code, report_date, vt_code, voucher_no, ori_vt_code,
  sup_dep_code, agency_code, exp_func_code, fund_type_code, pay_type_code, pay_bank_code, amount_fen, coding_id)
select ${r2206}::bigint, row_number() over (), ${REGION}, ${DATE}::date, '2206', v.voucher_no, '5201', '205',
  c.agency, c.func, '111', '11', 'ABC001', x.amount, c.coding_id
from bench_v v
join bench_coding c using (a)
cross join lateral (values (v.amount_fen + case when v.i = 7 then 100 else 0 end),
  (case when v.refunded then -v.amount_fen end)) x(amount)
where x.amount is not null and v.i <> 5`.execute(db);
  const r3501 = await report('pboc', '3501', `3501${D8}PBOC`);
  // Planted: voucher 11 cleared twice.
  await sql`
insert into reconcile.report_line (report_id, line_no, region_code, report_date, vt_code, voucher_no, ori_vt_code,
  amount_fen, pro_state)
select ${r3501}::bigint, row_number() over (), ${REGION}, ${DATE}::date, '3501', v.voucher_no, '5201', v.amount_fen, x.state
from bench_v v
cross join lateral (values (0), (case when v.refunded then 1 end), (case when v.i = 11 then 0 end)) x(state)
where x.state is not null`.execute(db);
  const r3410 = await report('pboc', '3410', `3410${D8}PBOC`);
  await sql`
insert into reconcile.report_line (report_id, line_no, region_code, report_date, vt_code, sup_dep_code, exp_func_code,
  fund_type_code, pay_type_code, pay_bank_code, amount_fen)
select ${r3410}::bigint, row_number() over (), ${REGION}, ${DATE}::date, '3410', '205', i.exp_func_code, '111', '11',
  'ABC001', sum(v.amount_fen - case when v.refunded then v.amount_fen else 0 end)
from bench_v v
join indicators.indicator i on i.region_code = ${REGION} and i.fiscal_year = ${YEAR}::int and i.indicator_id = 'RB-IND-' || v.a
group by i.exp_func_code`.execute(db);
  const tot = await sql<{ paid: string; net: string }>`
select sum(amount_fen)::text as paid, sum(case when refunded then 0 else amount_fen end)::text as net from bench_v`.execute(
    db,
  );
  const { paid, net } = tot.rows[0]!;
  await report('bank', '3513', `3513${D8}ABC001`, {
    acct: '6228000000000001',
    kind: 'financeZeroBalance',
    open: 0,
    debit: paid,
    credit: paid,
    close: 0,
  });
  const open = 10n ** 13n;
  await report('pboc', '3513', `3513${D8}PBOC`, {
    acct: '270751000001',
    kind: 'treasurySingle',
    open: String(open),
    debit: net,
    credit: 0,
    close: String(open - BigInt(net)),
  });
  await sql`drop table bench_v`.execute(db);
  await sql`drop table bench_coding`.execute(db);
  await sql`vacuum analyze`.execute(db);
  return { refunds, planted: ['2206 line lost', '2206 amount altered', '3501 voucher cleared twice'] };
}

/** The plain GROUP BY over every row the reconciliation reads (vouchers, refunds, report lines, ledger). */
async function groupByScan(db: Kysely<DB>, tuned = false): Promise<number> {
  if (tuned)
    return db.transaction().execute(async (trx) => {
      // The settings reconcile.run gives its own pass (serial, in-memory hash).
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
      await sql`set local work_mem = '256MB'`.execute(trx);
      return groupByScan(trx);
    });
  const r = await sql<{ keys: string }>`
select count(*)::text as keys from (
  select key, count(*) as n, sum(amt) as amt from (
    select voucher_no as key, x_pay_amt_fen as amt from payments.voucher
      where region_code = ${REGION} and x_pay_date = ${D8} and x_pay_amt_fen is not null
    union all
    select ori_voucher_no, amount_fen from payments.refund_notice where region_code = ${REGION} and pay_date = ${D8}
    union all
    select coalesce(voucher_no, exp_func_code), amount_fen from reconcile.report_line
      where region_code = ${REGION} and report_date = ${DATE}::date
    union all
    select entry_id::text, amount_fen from ledger.line
      where region_code = ${REGION} and business_date = ${DATE}::date and account = '2501'
  ) u group by key) g`.execute(db);
  return Number(r.rows[0]!.keys);
}

let seq = 0;
async function reconcileOnce(db: Kysely<DB>): Promise<{ runId: string; differences: number }> {
  const [r] = await executeCommands(
    db,
    [
      {
        id: `bench-reconcile-${process.pid}-${++seq}`,
        type: 'reconcile.run',
        region: REGION,
        year: YEAR,
        on: DATE,
        payload: { date: DATE },
      },
    ],
    { defaultActor: 'treasury' },
  );
  if (r!.status !== 'accepted') throw new Error(`reconcile.run: ${r!.error.code} ${r!.error.message.en}`);
  return r!.result as { runId: string; differences: number };
}

const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const v = await f();
  return [(performance.now() - t0) / 1000, v];
};

/**
 * `fiscus bench reconcile`: R1 the full reconciliation of a day (all three layers, stored run and
 * differences, through the command pipeline) vs R0 a plain GROUP BY scan of the same rows, in
 * alternating rounds after a warm-up; the medians are compared, goal R1 ÷ R0 ≤ 1.5.
 */
export async function runReconcileBench(
  o: ReconcileBenchOptions,
): Promise<{ figures: Figure[]; failed: number }> {
  const n = o.vouchers ?? (o.quick ? 10_000 : 100_000);
  const rounds = o.quick ? 3 : 5;
  const figures: Figure[] = [];
  let failed = 0;
  const emit = (f: Figure) => {
    if (interrupted()) return;
    figures.push(f);
    if (f.error) failed++;
    o.print(JSON.stringify(f));
  };
  await withScratchDatabase({ databaseUrl: o.databaseUrl, home: o.home }, async (s) => {
    const { db } = openPool(s.url, 4);
    try {
      const [setupS, built] = await time(() => buildDay(db, n));
      log(
        `built a day of ${n} paid vouchers (${built.refunds} refunded) and its reports in ${setupS.toFixed(1)} s`,
      );
      const v = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
      // RECONCILE_EXPLAIN=1: the plan of the main statement on stderr (where the time goes).
      if (process.env.RECONCILE_EXPLAIN) {
        const { mainStatement } = await import('../../packages/core/src/reconcile/run');
        const st = mainStatement(REGION, DATE, ['finance', 'bank', 'pboc']);
        const ex = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${st}`.execute(db);
        for (const r of ex.rows) log(r['QUERY PLAN']);
      }
      // RECONCILE_PROFILE=1: each statement of one reconcile.run with its time on stderr.
      if (process.env.RECONCILE_PROFILE) {
        const { Kysely, PostgresDialect } = await import('kysely');
        const pg = (await import('pg')).default;
        const pool = new pg.Pool({ connectionString: s.url, max: 2 });
        const traced = new Kysely<DB>({
          dialect: new PostgresDialect({ pool }),
          log: (e) =>
            log(`${e.queryDurationMillis.toFixed(1)} ms  ${e.query.sql.replace(/\s+/g, ' ').slice(0, 140)}`),
        });
        await reconcileOnce(traced);
        await reconcileOnce(traced);
        await traced.destroy();
      }
      // Warm-up both.
      await groupByScan(db);
      const first = await reconcileOnce(db);
      const diffs = await db
        .selectFrom('reconcile.difference')
        .select(['layer', 'kind', 'party', (eb) => eb.fn.countAll<string>().as('n')])
        .where('run_id', '=', first.runId)
        .groupBy(['layer', 'kind', 'party'])
        .execute();
      log(`warm-up run ${first.runId}: ${first.differences} differences`);
      await groupByScan(db, true);
      const base: number[] = [];
      const tuned: number[] = [];
      const full: number[] = [];
      let keys = 0;
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ['base', 'tuned', 'full'] : ['full', 'tuned', 'base'];
        for (const which of order) {
          if (which === 'base') {
            const [t, k] = await time(() => groupByScan(db));
            keys = k;
            base.push(t);
          } else if (which === 'tuned') {
            const [t] = await time(() => groupByScan(db, true));
            tuned.push(t);
          } else {
            const [t] = await time(() => reconcileOnce(db));
            full.push(t);
          }
        }
        log(
          `round ${r + 1}/${rounds}: GROUP BY ${base.at(-1)!.toFixed(3)} s, serial GROUP BY ${tuned.at(-1)!.toFixed(3)} s, reconcile ${full.at(-1)!.toFixed(3)} s`,
        );
      }
      const m0 = median(base);
      const m0s = median(tuned);
      const m1 = median(full);
      const ratio = m1 / m0;
      const sizes = {
        vouchers: n,
        refunds: built.refunds,
        reportLines: n * 2 + built.refunds * 2,
        groupedKeys: keys,
        rounds,
        planted: built.planted,
        differences: first.differences,
        differencesBy: Object.fromEntries(diffs.map((d) => [`${d.layer}/${d.kind}/${d.party}`, Number(d.n)])),
        postgres: v.rows[0]?.v,
        server: s.mode,
        cpus: cpus().length,
      };
      const baselineFigure = (figure: string, name: string, runs: number[]) =>
        emit({
          figure,
          name,
          value: round(median(runs), 3),
          unit: 's',
          baseline: null,
          baselineValue: null,
          ratio: null,
          goal: 'baseline',
          met: null,
          sizes: { ...sizes, perRound: runs.map((x) => round(x, 3)) },
        });
      baselineFigure(
        'R0',
        'plain GROUP BY scan of the day’s rows (vouchers, refunds, report lines, ledger 2501)',
        base,
      );
      baselineFigure(
        'R0s',
        'the same GROUP BY with the settings reconcile.run uses (serial, work_mem 256MB)',
        tuned,
      );
      const r1: Figure = {
        figure: 'R1',
        name: 'full reconciliation of the day, all three layers (reconcile.run, stored)',
        value: round(m1, 3),
        unit: 's',
        baseline: 'R0 GROUP BY scan',
        baselineValue: round(m0, 3),
        ratio: round(ratio, 3),
        goal: '<= 1.5x',
        met: ratio <= 1.5,
        sizes: { ...sizes, perRound: full.map((x) => round(x, 3)) },
      };
      const l1 = diffs.filter((d) => d.layer === 'L1').reduce((t, d) => t + Number(d.n), 0);
      if (l1 !== 3) r1.error = `expected the 3 planted L1 differences, found ${l1}`;
      emit(r1);
      // Against the faster baseline too, so the figure does not lean on the server's defaults.
      emit({
        figure: 'R1s',
        name: 'full reconciliation of the day vs the serial GROUP BY (for comparison; the goal is R1)',
        value: round(m1, 3),
        unit: 's',
        baseline: 'R0s serial GROUP BY scan',
        baselineValue: round(m0s, 3),
        ratio: round(m1 / m0s, 3),
        goal: 'informational',
        met: null,
        sizes: { ...sizes, perRound: full.map((x) => round(x, 3)) },
      });
    } finally {
      await db.destroy();
    }
  });
  return { figures, failed };
}
