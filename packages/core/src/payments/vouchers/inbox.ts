import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../../commands/pipeline';
import type { TrustedKeys } from '../../exchange/crypto/signer';
import { decodeEnvelope } from '../../exchange/voucher/envelope';
import { REFUND_NOTICE_2203, REFUND_NOTICE_2252 } from '../../exchange/voucher/layouts';
import type { EnvelopeEntry } from '../../exchange/voucher/model';
import { verifyVoucher } from '../../exchange/voucher/signing';
import { FiscusError } from '../../kernel/errors';
import { formatYuan } from '../../kernel/money';
import type { DB } from '../../platform/db/schema';
import { sm3Hex } from '../../platform/gm/sm3';
import {
  isReportVtCode,
  REPORT_POSITIONS,
  type Rejection,
  rejectionCommand,
  reportCommand,
} from '../../reconcile/intake';
import { financeSigner } from './keys';

/** The position an agent bank signs its receipts, returns and refund notices at. */
export const BANK_POSITION = 'bank';
/** The position the PBOC (人民银行国库) signs its reports at (3410, 3501, its 3513). */
export const PBOC_POSITION = 'pboc';

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * An inbound voucher-library message from an agent bank (电子凭证库 inbox): every voucher's
 * signature is verified against the trusted counterpart keys before anything else; a receipt
 * (VoucherFlag 1) books the payment as paid, a returned voucher (Return_Reason) releases it.
 * A 2203 (or 2252) refund notice books a bounce after payment (`payment.refund`). A counterpart report
 * (2206 from the bank; 3410 / 3501 from the PBOC, signed at `pboc`; 3513 from either) is stored
 * for reconciliation (`reconcileReport.receive`).
 * Each voucher becomes one command, run as the exchange agent with an id
 * derived from the voucher key and flag — a duplicate message is a repeat, never a second posting.
 */
export async function receiveBankMessage(
  db: Kysely<DB>,
  bytes: Uint8Array,
  trusted: TrustedKeys,
  opts: { actor?: string; on?: string } = {},
): Promise<CommandResult[]> {
  const decoded = decodeEnvelope(bytes);
  if (!decoded.ok)
    throw new FiscusError('VALIDATION_FAILED', {
      detail: decoded.errors
        .slice(0, 5)
        .map((e) => `${e.path}: ${e.message}`)
        .join('; '),
    });
  // Every signature must verify: the sender's (at its position, with a counterpart's key) and,
  // on the answer to a voucher of ours, ours, which proves the voucher is the one we sent. A
  // counterpart report (2206, 3410, 3501, 3513) is signed by the bank at `bank` or the PBOC at
  // `pboc` only. A refused voucher is recorded (reconcile.rejected_message) before the refusal,
  // so the day's reconciliation names a signature difference.
  const regions: string[] = [];
  const keyIds: string[] = [];
  const rejections: Rejection[] = [];
  for (const entry of decoded.value) {
    const adm = text(entry.voucher.header.AdmDivCode) ?? '';
    const region = await db
      .selectFrom('basedata.region')
      .select('region_code')
      .where(adm.length === 9 ? 'region_code' : 'adm_div_code', '=', adm)
      .executeTakeFirst();
    if (!region) throw new FiscusError('REGION_UNKNOWN', { region: adm });
    regions.push(region.region_code);
    const own = await financeSigner(region.region_code);
    const report = verifyVoucher(entry.voucher, new Map([...trusted, [own.keyId, own.publicKey]]));
    const vt = text(entry.voucher.header.VtCode);
    const positions = isReportVtCode(vt) ? REPORT_POSITIONS[vt!]! : [BANK_POSITION];
    const sig = entry.voucher.signatures.find(
      (s) => positions.includes(s.position as 'bank' | 'pboc') && report.verified.includes(s.position),
    );
    const claimed = entry.voucher.signatures.find((s) => positions.includes(s.position as 'bank' | 'pboc'));
    keyIds.push(sig?.keyId ?? '');
    if (report.failed.length > 0 || !sig || !trusted.has(sig.keyId) || sig.keyId === own.keyId)
      rejections.push({
        region: region.region_code,
        voucher: entry.voucher,
        keyId: claimed?.keyId,
        reason:
          report.failed.map((f) => `${f.position}/${f.keyId}: ${f.reason}`).join(', ') ||
          `no verified counterpart signature at position ${positions.join('/')}`,
      });
  }
  const on = opts.on ?? new Date().toISOString().slice(0, 10);
  if (rejections.length > 0) {
    await executeCommands(
      db,
      rejections.map((r) => rejectionCommand(r, on)),
      { defaultActor: opts.actor ?? 'exchange' },
    );
    throw new FiscusError('MESSAGE_SIGNATURE_INVALID', { detail: rejections[0]!.reason });
  }
  const commands = decoded.value.map((entry, i) =>
    isReportVtCode(text(entry.voucher.header.VtCode))
      ? reportCommand(entry, regions[i]!, on, keyIds[i]!)
      : bankCommand(entry, regions[i]!, on),
  );
  return executeCommands(db, commands, { defaultActor: opts.actor ?? 'exchange' });
}

/**
 * One verified voucher as the command it asks for: a 2203 退款通知书 is a refund (退票 after
 * payment); anything else is the answer to one of our vouchers, a receipt or a return. The id comes
 * from the voucher's key and meaning, so the same message twice is a repeat, not a second posting.
 */
function bankCommand(entry: EnvelopeEntry, region: string, on: string): unknown {
  const c = commandOf(entry, region);
  // The id covers everything the voucher says: the same message again replays, while a corrected
  // one after a refused one (an altered amount, say) is a new command rather than a reused id.
  return { id: `bank-${sm3Hex(JSON.stringify(c)).slice(0, 40)}`, ...c, on: businessDateOf(entry) ?? on };
}

/**
 * The day the money moved, as the bank says (XPayDate of a receipt, PayDate of a 2203): the ledger
 * books the payment or the refund on that day, so a receipt that arrives after midnight still
 * lands in the day the bank paid and the day's reconciliation agrees with the ledger.
 */
function businessDateOf(entry: EnvelopeEntry): string | null {
  const h = entry.voucher.header;
  const raw = REFUND_VT_CODES.has(text(h.VtCode) ?? '') ? text(h.PayDate) : text(h.XPayDate);
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw ?? '');
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ? null : iso;
}

/** 2203 财政直接支付退款通知书 and 2252 收款银行退款通知: both say a paid voucher's money came back. */
const REFUND_VT_CODES: ReadonlySet<string> = new Set([REFUND_NOTICE_2203.vtCode, REFUND_NOTICE_2252.vtCode]);

function commandOf(entry: EnvelopeEntry, region: string) {
  const h = entry.voucher.header;
  const year = Number(text(h.StYear));
  const amount = (v: unknown) => (typeof v === 'bigint' ? { amount: formatYuan(v) } : {});
  if (REFUND_VT_CODES.has(text(h.VtCode) ?? '')) {
    const reason = text(h.Remark)?.trim();
    return {
      type: 'payment.refund',
      region,
      year,
      payload: {
        vtCode: text(h.VtCode),
        voucherNo: text(h.VoucherNo),
        oriVtCode: text(h.OriVtCode),
        oriVoucherNo: text(h.OriBillNo),
        ...amount(h.PayAmt),
        agentBusinessNo: text(h.AgentBusinessNo),
        payDate: text(h.PayDate),
        ...(reason ? { reason } : {}),
      },
    };
  }
  const returned = entry.returnReason.trim() !== '';
  const paid = entry.flag === 'receipt' && !returned;
  const payAmt = h.XPayAmt;
  return {
    type: 'payment.receipt',
    region,
    year,
    payload: {
      vtCode: text(h.VtCode),
      voucherNo: text(h.VoucherNo),
      outcome: paid ? 'paid' : 'returned',
      ...(paid
        ? {
            xPayDate: text(h.XPayDate),
            ...(typeof payAmt === 'bigint' ? { xPayAmt: formatYuan(payAmt) } : {}),
            xAgentBusinessNo: text(h.XAgentBusinessNo),
          }
        : { returnReason: entry.returnReason.trim() }),
    },
  };
}
