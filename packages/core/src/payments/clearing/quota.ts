import { issueQuotas } from '@fiscus/contracts';
import { sql } from 'kysely';
import { type CommandContext, defineHandler } from '../../commands/handler';
import { decodeEnvelope } from '../../exchange/voucher/envelope';
import type { Voucher } from '../../exchange/voucher/model';
import { formatYuan } from '../../kernel/money';
import { type Coding, codingOfVoucher } from './coding';
import { buildQuotaNotice, QUOTA_PAY_TYPE, QUOTA_VT, type QuotaLine, type QuotaVtCode } from './quota-build';
import { signClearingVoucher } from './sign';

type Ctx = CommandContext<{ date: string }>;

export function voucherOfEnvelope(envelope: string): Voucher {
  const d = decodeEnvelope(new TextEncoder().encode(envelope));
  if (!d.ok || !d.value[0]) throw new Error(`stored envelope does not decode: ${JSON.stringify(d)}`);
  return d.value[0].voucher;
}

/** Paid 5201/8202 of the date not yet on a notice, as payment lines. */
async function paymentLines(ctx: Ctx, ymd: string): Promise<QuotaLine[]> {
  const rows = await sql<{ vt_code: string; voucher_no: string; x_pay_amt_fen: string; envelope: string }>`
    select v.vt_code, v.voucher_no, v.x_pay_amt_fen::text, v.envelope
    from payments.voucher v
    where v.region_code = ${ctx.region} and v.fiscal_year = ${ctx.year}
      and v.vt_code in ('5201', '8202') and v.x_pay_date = ${ymd} and v.x_pay_amt_fen is not null
      and v.return_reason is null
      and not exists (select 1 from clearing.quota_line q where q.region_code = v.region_code
        and q.source_year = v.fiscal_year and q.source_vt_code = v.vt_code and q.source_no = v.voucher_no)
    order by v.vt_code, v.voucher_no`.execute(ctx.trx);
  return rows.rows.map((r) => ({
    kind: 'payment',
    sourceYear: ctx.year,
    sourceVtCode: r.vt_code,
    sourceNo: r.voucher_no,
    payVoucherNo: r.voucher_no,
    oriVtCode: r.vt_code,
    amountFen: BigInt(r.x_pay_amt_fen),
    coding: codingOfVoucher(voucherOfEnvelope(r.envelope)),
  }));
}

/**
 * The coding a voucher is cleared under now: that of its latest approved correction, else of its
 * payment line (on an earlier notice or on the one being built).
 */
async function currentCoding(
  ctx: Ctx,
  year: number,
  vtCode: string,
  voucherNo: string,
  building: ReadonlyMap<string, QuotaLine>,
): Promise<Coding | null> {
  const corrected = await ctx.trx
    .selectFrom('clearing.correction')
    .select('to_coding')
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', year)
    .where('ori_vt_code', '=', vtCode)
    .where('ori_voucher_no', '=', voucherNo)
    .where('state', '=', 'approved')
    .orderBy('approved_on', 'desc')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (corrected) return corrected.to_coding as Coding;
  const here = building.get(`${year}|${vtCode}|${voucherNo}`);
  if (here) return here.coding;
  const line = await ctx.trx
    .selectFrom('clearing.quota_line')
    .select('coding')
    .where('region_code', '=', ctx.region)
    .where('source_year', '=', year)
    .where('source_vt_code', '=', vtCode)
    .where('source_no', '=', voucherNo)
    .executeTakeFirst();
  return line ? (line.coding as Coding) : null;
}

/** Refunds (2203) booked in this year up to the date, of vouchers on a notice, not yet on one. */
async function refundLines(ctx: Ctx, ymd: string, building: ReadonlyMap<string, QuotaLine>) {
  const rows = await sql<{
    fiscal_year: number;
    vt_code: string;
    voucher_no: string;
    ori_vt_code: string;
    ori_voucher_no: string;
    amount_fen: string;
  }>`
    select r.fiscal_year, r.vt_code, r.voucher_no, r.ori_vt_code, r.ori_voucher_no, r.amount_fen::text
    from payments.refund_notice r
    where r.region_code = ${ctx.region} and coalesce(r.booked_year, r.fiscal_year) = ${ctx.year}
      and r.pay_date <= ${ymd}
      and not exists (select 1 from clearing.quota_line q where q.region_code = r.region_code
        and q.source_year = r.fiscal_year and q.source_vt_code = r.vt_code and q.source_no = r.voucher_no)
    order by r.pay_date, r.voucher_no`.execute(ctx.trx);
  const out: (QuotaLine & { viaVt: string })[] = [];
  for (const r of rows.rows) {
    if (!QUOTA_VT[r.ori_vt_code]) continue;
    const coding = await currentCoding(ctx, r.fiscal_year, r.ori_vt_code, r.ori_voucher_no, building);
    // Not cleared yet (its payment is on no notice): it waits for the notice that carries the payment.
    if (!coding) continue;
    out.push({
      kind: 'refund',
      sourceYear: r.fiscal_year,
      sourceVtCode: r.vt_code,
      sourceNo: r.voucher_no,
      payVoucherNo: r.ori_voucher_no,
      oriVtCode: r.vt_code,
      amountFen: -BigInt(r.amount_fen),
      coding,
      viaVt: r.ori_vt_code,
    });
  }
  return out;
}

/** Approved corrections up to the date, of vouchers on a notice, not yet on one: zero lines. */
async function correctionLines(ctx: Ctx, on: string, building: ReadonlyMap<string, QuotaLine>) {
  const rows = await ctx.trx
    .selectFrom('clearing.correction')
    .select(['vt_code', 'voucher_no', 'ori_vt_code', 'ori_voucher_no', 'to_coding'])
    .where('region_code', '=', ctx.region)
    .where('fiscal_year', '=', ctx.year)
    .where('state', '=', 'approved')
    .where('approved_on', '<=', on)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('clearing.quota_line as q')
            .select('q.line_no')
            .whereRef('q.region_code', '=', 'clearing.correction.region_code')
            .whereRef('q.source_year', '=', 'clearing.correction.fiscal_year')
            .whereRef('q.source_vt_code', '=', 'clearing.correction.vt_code')
            .whereRef('q.source_no', '=', 'clearing.correction.voucher_no'),
        ),
      ),
    )
    .orderBy('approved_on')
    .orderBy('voucher_no')
    .execute();
  const out: (QuotaLine & { viaVt: string })[] = [];
  for (const r of rows) {
    if (!r.vt_code || !r.voucher_no) continue;
    const paid = await currentCodingOfPayment(ctx, r.ori_vt_code, r.ori_voucher_no, building);
    if (!paid) continue;
    out.push({
      kind: 'correction',
      sourceYear: ctx.year,
      sourceVtCode: r.vt_code,
      sourceNo: r.voucher_no,
      payVoucherNo: r.voucher_no,
      oriVtCode: r.vt_code,
      amountFen: 0n,
      coding: r.to_coding as Coding,
      viaVt: r.vt_code,
    });
  }
  return out;
}

/** The payment line of a voucher (on a notice or being built): a correction waits for it. */
async function currentCodingOfPayment(
  ctx: Ctx,
  vtCode: string,
  voucherNo: string,
  building: ReadonlyMap<string, QuotaLine>,
): Promise<Coding | null> {
  const here = building.get(`${ctx.year}|${vtCode}|${voucherNo}`);
  if (here) return here.coding;
  const line = await ctx.trx
    .selectFrom('clearing.quota_line')
    .select('coding')
    .where('region_code', '=', ctx.region)
    .where('source_year', '=', ctx.year)
    .where('source_vt_code', '=', vtCode)
    .where('source_no', '=', voucherNo)
    .executeTakeFirst();
  return line ? (line.coding as Coding) : null;
}

export interface IssuedNotice {
  vtCode: QuotaVtCode;
  voucherNo: string;
  bankCode: string;
  lines: number;
  amount: string;
}

/**
 * 清算额度通知单 of one pay date (protocol step 3): everything paid, refunded after clearing or
 * corrected up to that date and on no notice yet, one notice per agent bank and pay type, signed
 * and queued for the PBOC and the bank. Nothing new: nothing issued.
 */
export const issueQuotasHandler = defineHandler({
  def: issueQuotas,
  async handle(ctx) {
    const { trx, region, year, now, actor } = ctx;
    const date = ctx.payload.date;
    const ymd = date.replaceAll('-', '');
    const payments = await paymentLines(ctx, ymd);
    const building = new Map(payments.map((l) => [`${l.sourceYear}|${l.sourceVtCode}|${l.sourceNo}`, l]));
    const refunds = await refundLines(ctx, ymd, building);
    const corrections = await correctionLines(ctx, date, building);
    const groups = new Map<string, { vtCode: QuotaVtCode; bankCode: string; lines: QuotaLine[] }>();
    const add = (vt: string, l: QuotaLine) => {
      const vtCode = QUOTA_VT[vt];
      if (!vtCode) return;
      const key = `${vtCode}|${l.coding.payBankCode}`;
      const g = groups.get(key) ?? { vtCode, bankCode: l.coding.payBankCode, lines: [] };
      g.lines.push(l);
      groups.set(key, g);
    };
    for (const l of payments) add(l.sourceVtCode, l);
    for (const l of refunds) add(l.viaVt, stripVia(l));
    for (const l of corrections) add(l.viaVt, stripVia(l));
    if (groups.size === 0) return { date, notices: [] as IssuedNotice[] };

    const reg = await trx
      .selectFrom('basedata.region')
      .select('adm_div_code')
      .where('region_code', '=', region)
      .executeTakeFirstOrThrow();
    const issued: IssuedNotice[] = [];
    for (const g of [...groups.values()].sort(
      (a, b) => a.vtCode.localeCompare(b.vtCode) || a.bankCode.localeCompare(b.bankCode),
    )) {
      const bank = await trx
        .selectFrom('basedata.agent_bank')
        .select(['name', 'bank_no'])
        .where('region_code', '=', region)
        .where('code', '=', g.bankCode)
        .executeTakeFirst();
      const last = await trx
        .selectFrom('clearing.quota_notice')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('region_code', '=', region)
        .where('fiscal_year', '=', year)
        .where('vt_code', '=', g.vtCode)
        .where('pay_date', '=', date)
        .where('bank_code', '=', g.bankCode)
        .executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const first = g.lines[0]!.coding;
      const unsigned = buildQuotaNotice({
        vtCode: g.vtCode,
        admDivCode: reg.adm_div_code,
        year,
        payDate: date,
        on: ctx.on,
        bank: {
          code: g.bankCode,
          name: bank?.name ?? first.payBankName,
          bankNo: bank?.bank_no ?? null,
        },
        clearBank: first.clearBankCode ? { code: first.clearBankCode, name: first.clearBankName } : null,
        seq,
        lines: g.lines,
      });
      const { envelope, keyId } = await signClearingVoucher(region, unsigned);
      const voucherNo = String(unsigned.header.VoucherNo);
      const amount = g.lines.reduce((s, l) => s + l.amountFen, 0n);
      await trx
        .insertInto('clearing.quota_notice')
        .values({
          region_code: region,
          fiscal_year: year,
          vt_code: g.vtCode,
          voucher_no: voucherNo,
          pay_date: date,
          bank_code: g.bankCode,
          pay_type_code: QUOTA_PAY_TYPE[g.vtCode].code,
          seq,
          amount_fen: amount,
          line_count: g.lines.length,
          envelope,
          issued_by: actor.username,
          command_id: ctx.id,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('clearing.quota_line')
        .values(
          g.lines.map((l, i) => ({
            region_code: region,
            fiscal_year: year,
            vt_code: g.vtCode,
            voucher_no: voucherNo,
            line_no: i + 1,
            kind: l.kind,
            source_year: l.sourceYear,
            source_vt_code: l.sourceVtCode,
            source_no: l.sourceNo,
            pay_voucher_no: l.payVoucherNo,
            ori_vt_code: l.oriVtCode,
            amount_fen: l.amountFen,
            coding: JSON.stringify(l.coding),
          })),
        )
        .execute();
      await queueDeliveries(ctx, g.vtCode, voucherNo);
      const n: IssuedNotice = {
        vtCode: g.vtCode,
        voucherNo,
        bankCode: g.bankCode,
        lines: g.lines.length,
        amount: formatYuan(amount),
      };
      issued.push(n);
      ctx.changes.push({
        entity: 'quotaNotice',
        key: `${g.vtCode}:${voucherNo}`,
        before: null,
        after: {
          ...n,
          payDate: date,
          keyId,
          details: g.lines.map((l) => `${l.oriVtCode}/${l.payVoucherNo} ${formatYuan(l.amountFen)}`),
        },
      });
    }
    return { date, notices: issued };
  },
});

function stripVia(l: QuotaLine & { viaVt: string }): QuotaLine {
  const { viaVt: _via, ...line } = l;
  return line;
}

/** Queue a clearing voucher for both parties (the sender delivers it when their URL is set). */
export async function queueDeliveries(ctx: CommandContext<unknown>, vtCode: string, voucherNo: string) {
  await ctx.trx
    .insertInto('clearing.delivery')
    .values(
      (['pboc', 'bank'] as const).map((destination) => ({
        region_code: ctx.region,
        fiscal_year: ctx.year,
        vt_code: vtCode,
        voucher_no: voucherNo,
        destination,
        created_at: ctx.now,
      })),
    )
    .execute();
}
