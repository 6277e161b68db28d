import {
  assignDifference,
  explainDifference,
  receiveReconcileReport,
  recordRejectedMessage,
  resolveDifference,
  runReconcile,
} from '@fiscus/contracts';
import { sql } from 'kysely';
import { type CommandContext, defineHandler } from '../commands/handler';
import { FiscusError } from '../kernel/errors';
import { parseYuan } from '../kernel/money';
import { codingIds, codingText } from './coding';
import { checkClearing } from './domain/clearing-check';
import { type Difference, fingerprintOf, PARTIES, type Party } from './domain/compare';
import { type DifferenceInput, type DifferenceState, differenceStep } from './domain/disposition';
import { financePaidLines, reportLines } from './paid-lines';
import { reconcileDay } from './run';

const fen = (y: string | undefined) => (y === undefined ? null : parseYuan(y));

/** 对方报表入库: one report per sender, type and VoucherNo; a resend changes nothing. */
export const receiveReportHandler = defineHandler({
  def: receiveReconcileReport,
  async handle(ctx) {
    const { trx, region, year, payload: p, now } = ctx;
    const earlier = await trx
      .selectFrom('reconcile.report')
      .select(['report_id', 'content_sha', 'check_result', 'check_reason'])
      .where('region_code', '=', region)
      .where('sender', '=', p.sender)
      .where('vt_code', '=', p.vtCode)
      .where('voucher_no', '=', p.voucherNo)
      .executeTakeFirst();
    if (earlier)
      return {
        reportId: String(earlier.report_id),
        vtCode: p.vtCode,
        voucherNo: p.voucherNo,
        duplicate: true,
        sameContent: earlier.content_sha === p.contentSha,
        ...(earlier.check_result === null
          ? {}
          : { checkResult: earlier.check_result, checkReason: earlier.check_reason ?? '' }),
      };
    const a = p.account;
    const row = await trx
      .insertInto('reconcile.report')
      .values({
        region_code: region,
        fiscal_year: year,
        sender: p.sender,
        sender_code: p.senderCode,
        key_id: p.keyId,
        vt_code: p.vtCode,
        voucher_no: p.voucherNo,
        report_date: p.reportDate,
        amount_fen: fen(p.amount),
        pos_amt_fen: fen(p.posAmount),
        neg_amt_fen: fen(p.negAmount),
        fund_type_code: p.fundTypeCode ?? null,
        pay_type_code: p.payTypeCode ?? null,
        pay_bank_code: p.payBankCode ?? null,
        e_voucher_type: p.eVoucherType ?? null,
        acct_no: a?.acctNo ?? null,
        acct_name: a?.acctName ?? null,
        acct_kind: a?.acctKind ?? null,
        open_fen: fen(a?.open),
        debit_fen: fen(a?.debit),
        credit_fen: fen(a?.credit),
        close_fen: fen(a?.close),
        line_count: p.lines.length,
        header: JSON.stringify(p.header),
        content_sha: p.contentSha,
        received_at: now,
      })
      .returning('report_id')
      .executeTakeFirstOrThrow();
    const linePayType = (l: (typeof p.lines)[number]) =>
      l.payTypeCode ??
      p.payTypeCode ??
      (l.oriVtCode === '5201' ? '11' : l.oriVtCode === '8202' ? '12' : null);
    // A 2206 line's coding as an id (reconcile/coding.ts): finance compares it with the voucher's.
    const lineCoding = (l: (typeof p.lines)[number]) =>
      codingText({
        agency: l.agencyCode ?? null,
        expFunc: l.expFuncCode ?? null,
        supDep: l.supDepCode ?? null,
        fundType: l.fundTypeCode ?? p.fundTypeCode ?? null,
        payType: linePayType(l),
      });
    const codings = p.vtCode === '2206' ? await codingIds(trx, region, p.lines.map(lineCoding)) : null;
    // Lines in one statement per 5 000 (a report may list a day's vouchers).
    for (let i = 0; i < p.lines.length; i += 5000) {
      const chunk = p.lines.slice(i, i + 5000);
      await trx
        .insertInto('reconcile.report_line')
        .values(
          chunk.map((l, k) => ({
            report_id: row.report_id,
            line_no: i + k + 1,
            region_code: region,
            report_date: p.reportDate,
            vt_code: p.vtCode,
            voucher_no: l.voucherNo ?? null,
            ori_vt_code: l.oriVtCode ?? (p.vtCode === '3501' ? (p.eVoucherType ?? null) : null),
            sup_dep_code: l.supDepCode ?? null,
            agency_code: l.agencyCode ?? null,
            exp_func_code: l.expFuncCode ?? null,
            fund_type_code: l.fundTypeCode ?? p.fundTypeCode ?? null,
            pay_type_code: linePayType(l),
            pay_bank_code: l.payBankCode ?? p.payBankCode ?? null,
            amount_fen: parseYuan(l.amount),
            pro_state: l.proState ?? null,
            coding_id: codings?.get(lineCoding(l)) ?? null,
          })),
        )
        .execute();
    }
    // 3504: finance checks the PBOC's clearing per coding line against what it paid that day and
    // answers with the result (XCheckResult / XCheckReason); the day's reconciliation shows it too.
    let check: { checkResult: '0' | '1'; checkReason: string } | null = null;
    if (p.vtCode === '3504') {
      const c = checkClearing(
        await financePaidLines(trx, region, p.reportDate),
        await reportLines(trx, [row.report_id]),
      );
      check = { checkResult: c.result, checkReason: c.reason };
      await trx
        .updateTable('reconcile.report')
        .set({ check_result: c.result, check_reason: c.reason })
        .where('report_id', '=', row.report_id)
        .execute();
    }
    ctx.changes.push({
      entity: 'reconcileReport',
      key: `${p.sender}/${p.vtCode}/${p.voucherNo}`,
      before: null,
      after: { reportDate: p.reportDate, lines: p.lines.length, amount: p.amount ?? null, ...check },
    });
    return {
      reportId: String(row.report_id),
      vtCode: p.vtCode,
      voucherNo: p.voucherNo,
      duplicate: false,
      ...check,
    };
  },
});

/** 验签失败登记. */
export const recordRejectedHandler = defineHandler({
  def: recordRejectedMessage,
  async handle(ctx) {
    const p = ctx.payload;
    await ctx.trx
      .insertInto('reconcile.rejected_message')
      .values({
        region_code: ctx.region,
        fiscal_year: ctx.year,
        sender: p.sender,
        key_id: p.keyId ?? null,
        vt_code: p.vtCode,
        voucher_no: p.voucherNo,
        message_date: p.messageDate,
        reason: p.reason,
        received_at: ctx.now,
      })
      .execute();
    ctx.changes.push({
      entity: 'rejectedMessage',
      key: `${p.sender}/${p.vtCode}/${p.voucherNo}`,
      before: null,
      after: { reason: p.reason, date: p.messageDate },
    });
    return { recorded: true };
  },
});

const pad = (n: bigint | number | string, w: number) => String(n).padStart(w, '0');

/**
 * 对账 of a date: compare (reconcile/run.ts), then store the run, its layer × pair figures and every
 * difference. The earlier current run of the date is superseded; a difference with the same
 * fingerprint as one of it keeps its disposition (state, assignee, explanation, resolution).
 */
export const runReconcileHandler = defineHandler({
  def: runReconcile,
  async handle(ctx) {
    const { trx, region, year, payload: p, now } = ctx;
    if (p.date > ctx.on) throw new FiscusError('RECONCILE_DATE_IN_FUTURE', { date: p.date, on: ctx.on });
    const t0 = performance.now();
    const parties = PARTIES.filter((x) => (p.parties ?? PARTIES).includes(x));
    const r = await reconcileDay(trx, region, p.date, parties);
    const prev = await trx
      .selectFrom('reconcile.run')
      .select('run_id')
      .where('region_code', '=', region)
      .where('run_date', '=', p.date)
      .where('state', '=', 'current')
      .forUpdate()
      .executeTakeFirst();
    const seq = await sql<{ n: string }>`select nextval('reconcile.run_seq')::text as n`.execute(trx);
    const runId = `RC${p.date.replaceAll('-', '')}${pad(seq.rows[0]!.n, 6)}`;
    if (prev)
      await trx
        .updateTable('reconcile.run')
        .set({ state: 'superseded', superseded_by: null })
        .where('run_id', '=', prev.run_id)
        .execute();
    await trx
      .insertInto('reconcile.run')
      .values({
        run_id: runId,
        region_code: region,
        fiscal_year: year,
        run_date: p.date,
        parties,
        state: 'current',
        supersedes: prev?.run_id ?? null,
        superseded_by: null,
        difference_count: r.differences.length,
        quota_checked: r.quotaChecked,
        run_by: ctx.actor.username,
        command_id: ctx.id,
        ran_at: now,
        duration_ms: 0,
      })
      .execute();
    if (prev)
      await trx
        .updateTable('reconcile.run')
        .set({ superseded_by: runId })
        .where('run_id', '=', prev.run_id)
        .execute();
    if (r.figures.length > 0)
      await trx
        .insertInto('reconcile.run_pair')
        .values(
          r.figures.map((f) => ({
            run_id: runId,
            layer: f.layer,
            pair: f.pair,
            count_a: f.countA,
            count_b: f.countB,
            matched_count: f.matched,
            matched_fen: f.matchedFen,
            difference_count: f.differences,
          })),
        )
        .execute();
    const carried = await storeDifferences(ctx, runId, p.date, prev?.run_id ?? null, r.differences);
    const ms = Math.round(performance.now() - t0);
    await trx.updateTable('reconcile.run').set({ duration_ms: ms }).where('run_id', '=', runId).execute();
    ctx.changes.push({
      entity: 'reconcileRun',
      key: runId,
      before: prev ? { supersedes: prev.run_id } : null,
      after: { date: p.date, parties, differences: r.differences.length, carried },
    });
    const layers = ['L1', 'L2', 'L3'].map((layer) => ({
      layer,
      pairs: r.figures
        .filter((f) => f.layer === layer)
        .map((f) => ({ pair: f.pair, matched: f.matched, differences: f.differences, green: isGreen(f) })),
    }));
    return {
      runId,
      date: p.date,
      parties,
      supersedes: prev?.run_id ?? null,
      differences: r.differences.length,
      carried,
      quotaChecked: r.quotaChecked,
      layers,
    };
  },
});

export const isGreen = (f: { differences: number; matched: number; countA: number; countB: number }) =>
  f.differences === 0 && f.matched === f.countA && f.matched === f.countB;

async function storeDifferences(
  ctx: CommandContext<unknown>,
  runId: string,
  date: string,
  prevRunId: string | null,
  ds: readonly Difference[],
): Promise<number> {
  if (ds.length === 0) return 0;
  const unique = new Map<string, Difference>();
  for (const d of ds) unique.set(fingerprintOf(d), d);
  const rows = [...unique.entries()].map(([fp, d]) => ({
    fp,
    layer: d.layer,
    pair: d.pair,
    pairs: d.pairs,
    kind: d.kind,
    party: d.party,
    item_key: d.itemKey,
    vt_code: d.vtCode,
    voucher_no: d.voucherNo,
    expected: d.expected === null ? null : String(d.expected),
    actual: d.actual === null ? null : String(d.actual),
    zh: d.zh,
    en: d.en,
  }));
  let carried = 0;
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    const r = await sql<{ carried: string }>`
with input as (
  select * from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(
    fp text, layer text, pair text, pairs text[], kind text, party text, item_key text, vt_code text,
    voucher_no text, expected bigint, actual bigint, zh text, en text)
),
ins as (
  insert into reconcile.difference (difference_id, run_id, region_code, fiscal_year, run_date, layer, pair, pairs,
    kind, party, item_key, vt_code, voucher_no, expected_fen, actual_fen, detail_zh, detail_en, fingerprint, state,
    assignee, assigned_by, explanation, explained_by, resolution, note, resolved_by, carried_from, updated_at)
  select 'RD' || lpad(nextval('reconcile.difference_seq')::text, 10, '0'), ${runId}, ${ctx.region}, ${ctx.year},
    ${date}::date, i.layer, i.pair, i.pairs, i.kind, i.party, i.item_key, i.vt_code, i.voucher_no, i.expected,
    i.actual, i.zh, i.en, i.fp, coalesce(o.state, 'open'), o.assignee, o.assigned_by, o.explanation,
    o.explained_by, o.resolution, o.note, o.resolved_by, o.difference_id, ${ctx.now}
  from input i
  left join reconcile.difference o on o.run_id = ${prevRunId} and o.fingerprint = i.fp
  returning carried_from
)
select count(carried_from)::text as carried from ins`.execute(ctx.trx);
    carried += Number(r.rows[0]!.carried);
  }
  return carried;
}

async function dispose(ctx: CommandContext<{ differenceId: string }>, input: DifferenceInput) {
  const { trx } = ctx;
  const d = await trx
    .selectFrom('reconcile.difference as d')
    .innerJoin('reconcile.run as r', 'r.run_id', 'd.run_id')
    .select([
      'd.difference_id',
      'd.state',
      'd.assignee',
      'd.explained_by',
      'd.run_id',
      'r.state as run_state',
      'r.superseded_by',
    ])
    .where('d.region_code', '=', ctx.region)
    .where('d.difference_id', '=', ctx.payload.differenceId)
    .forUpdate()
    .executeTakeFirst();
  if (!d)
    throw new FiscusError('NOT_FOUND', { entity: '对账差异 difference', key: ctx.payload.differenceId });
  if (d.run_state !== 'current')
    throw new FiscusError('RECONCILE_RUN_SUPERSEDED', {
      key: d.difference_id,
      runId: d.run_id,
      supersededBy: d.superseded_by ?? '—',
    });
  if (input.action === 'assign') {
    const user = await trx
      .selectFrom('auth.app_user')
      .select('username')
      .where('username', '=', input.assignee)
      .executeTakeFirst();
    if (!user) throw new FiscusError('NOT_FOUND', { entity: '用户 user', key: input.assignee });
  }
  const step = differenceStep(
    {
      differenceId: d.difference_id,
      state: d.state as DifferenceState,
      assignee: d.assignee,
      explainedBy: d.explained_by,
    },
    input,
  );
  const s = step.sets;
  await trx
    .updateTable('reconcile.difference')
    .set({
      state: step.to,
      updated_at: ctx.now,
      ...(s.assignee === undefined ? {} : { assignee: s.assignee, assigned_by: s.assignedBy ?? null }),
      ...(s.explanation === undefined
        ? {}
        : { explanation: s.explanation, explained_by: s.explainedBy ?? null }),
      ...(s.resolution === undefined
        ? {}
        : { resolution: s.resolution, note: s.note ?? null, resolved_by: s.resolvedBy ?? null }),
    })
    .where('difference_id', '=', d.difference_id)
    .execute();
  const last = await trx
    .selectFrom('reconcile.difference_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('difference_id', '=', d.difference_id)
    .executeTakeFirst();
  await trx
    .insertInto('reconcile.difference_event')
    .values({
      difference_id: d.difference_id,
      seq: Number(last?.seq ?? 0) + 1,
      action: input.action,
      actor: ctx.actor.username,
      from_state: step.from,
      to_state: step.to,
      text: step.text,
      on_date: ctx.on,
      at: ctx.now,
    })
    .execute();
  ctx.changes.push({
    entity: 'reconcileDifference',
    key: d.difference_id,
    before: { state: step.from },
    after: { state: step.to, ...s },
  });
  return { differenceId: d.difference_id, state: step.to };
}

export const assignDifferenceHandler = defineHandler({
  def: assignDifference,
  handle: (ctx) =>
    dispose(ctx, { action: 'assign', actor: ctx.actor.username, assignee: ctx.payload.assignee }),
});
export const explainDifferenceHandler = defineHandler({
  def: explainDifference,
  handle: (ctx) =>
    dispose(ctx, { action: 'explain', actor: ctx.actor.username, explanation: ctx.payload.explanation }),
});
export const resolveDifferenceHandler = defineHandler({
  def: resolveDifference,
  handle: (ctx) =>
    dispose(ctx, {
      action: 'resolve',
      actor: ctx.actor.username,
      resolution: ctx.payload.resolution,
      note: ctx.payload.note,
    }),
});

export const reconcileHandlers = [
  receiveReportHandler,
  recordRejectedHandler,
  runReconcileHandler,
  assignDifferenceHandler,
  explainDifferenceHandler,
  resolveDifferenceHandler,
];

export type { Party };
