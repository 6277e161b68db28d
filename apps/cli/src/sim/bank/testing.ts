import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Signer } from '@fiscus/core/exchange/crypto/signer';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '@fiscus/core/exchange/crypto/sm2';
import { SAMPLE_5201 } from '@fiscus/core/exchange/voucher/__fixtures__/sample-5201';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher } from '@fiscus/core/exchange/voucher/model';
import { signVoucher, verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { voucherKey } from './state';

/** Test support: finance-signed vouchers and a fake Fiscus inbox. Not used by the simulator. */

export const financeSigner = new Sm2SoftwareSigner('finance-530700000', generateSm2KeyPair());

/** The sample 5201 with its own number, amount and payee name, signed by finance at `finance`. */
export async function financeVoucher(
  no: string,
  opts: { amount?: bigint; payeeName?: string; signer?: Signer; authorized?: boolean } = {},
): Promise<EnvelopeEntry> {
  const amount = opts.amount ?? 123_45n;
  const vt = opts.authorized ? '8202' : '5201';
  const unsigned: Voucher = {
    header: {
      ...SAMPLE_5201.header,
      Id: `530700-2026-${vt}-${no}`,
      VoucherNo: no,
      PayAmt: amount,
      ...(opts.payeeName === undefined ? {} : { PayeeAcctName: opts.payeeName }),
      // 8202: the unit pays from its own zero-balance account.
      ...(opts.authorized
        ? { VtCode: '8202', PayTypeCode: '12', PayTypeName: '财政授权支付', ...UNIT_ZBA }
        : {}),
    },
    details: [{ ...SAMPLE_5201.details[0], Id: `530700-2026-${vt}-${no}-1`, PayAmt: amount }],
    signatures: [],
  };
  const voucher = await signVoucher(unsigned, opts.signer ?? financeSigner, 'finance');
  return { flag: 'send', returnReason: '', attach: '', voucher };
}

/** The payer of authorized (8202) test vouchers. */
export const UNIT_ZBA = {
  PayAcctNo: '2510800109200020002',
  PayAcctName: '丽江市第一中学零余额账户',
} as const;
/** The payer of direct (5201) test vouchers (SAMPLE_5201). */
export const FINANCE_ZBA = '2510800109200010001';

/** A 5108 (or 5106) quota notice, one detail per paid voucher, signed by finance. */
export async function financeQuota(
  no: string,
  lines: readonly { readonly voucherNo: string; readonly amount: bigint }[],
  opts: { vtCode?: '5106' | '5108'; signer?: Signer } = {},
): Promise<EnvelopeEntry> {
  const vt = opts.vtCode ?? '5108';
  const unsigned: Voucher = {
    header: {
      Id: `530700-2026-${vt}-${no}`,
      AdmDivCode: '530700',
      StYear: '2026',
      VtCode: vt,
      VouDate: '20260315',
      VoucherNo: no,
      PayAmt: lines.reduce((s, l) => s + l.amount, 0n),
      PayBankCode: 'ABC001',
    },
    details: lines.map((l, i) => ({
      Id: `530700-2026-${vt}-${no}-${i + 1}`,
      SupDepCode: '205',
      ExpFuncCode: '2050203',
      PayVoucherNo: l.voucherNo,
      OriVtCode: vt === '5108' ? '5201' : '8202',
      PlanAmt: l.amount,
    })),
    signatures: [],
  };
  const voucher = await signVoucher(unsigned, opts.signer ?? financeSigner, 'finance');
  return { flag: 'send', returnReason: '', attach: '', voucher };
}

export function envelope(entries: readonly EnvelopeEntry[]): Uint8Array {
  return encodeEnvelope(entries, { encoding: 'UTF-8' });
}

export interface Arrival {
  readonly key: string;
  readonly entry: EnvelopeEntry;
  readonly ok: boolean;
  readonly duplicate: boolean;
}

/**
 * A small stand-in for Fiscus's inbox: refuses a message (400 MESSAGE_SIGNATURE_INVALID) unless
 * every signature verifies and the bank signed at `bank`; refuses a receipt whose XPayAmt differs
 * from PayAmt (ok false); answers a repeat with `duplicate: true`.
 */
export class FakeFiscus {
  readonly arrivals: Arrival[] = [];
  readonly refusedMessages: string[] = [];
  readonly accepted = new Map<string, EnvelopeEntry>();
  bankKey: { keyId: string; publicKey: string } | null = null;
  /** Answer 503 to the next n messages. */
  failNext = 0;
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const [status, body] = this.answer(new Uint8Array(Buffer.concat(chunks)));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(bytes: Uint8Array): [number, unknown] {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return [503, { code: 'UNAVAILABLE', message: 'try later' }];
    }
    const d = decodeEnvelope(bytes);
    if (!d.ok) return [400, { code: 'VALIDATION_FAILED', message: d.errors[0]?.message }];
    const trusted = new Map([[financeSigner.keyId, financeSigner.publicKey]]);
    if (this.bankKey) trusted.set(this.bankKey.keyId, this.bankKey.publicKey);
    for (const entry of d.value) {
      const r = verifyVoucher(entry.voucher, trusted);
      if (r.failed.length > 0 || !r.verified.includes('bank')) {
        this.refusedMessages.push(JSON.stringify(r.failed));
        return [400, { code: 'MESSAGE_SIGNATURE_INVALID', message: JSON.stringify(r.failed) }];
      }
    }
    const results = d.value.map((entry) => {
      const h = entry.voucher.header;
      const key = `${voucherKey(h)}|${entry.returnReason === '' ? entry.flag : 'returned'}`;
      if (this.accepted.has(key)) {
        this.arrivals.push({ key, entry, ok: true, duplicate: true });
        return { ok: true, duplicate: true };
      }
      if (entry.flag === 'receipt' && entry.returnReason === '' && h.XPayAmt !== h.PayAmt) {
        this.arrivals.push({ key, entry, ok: false, duplicate: false });
        return { ok: false, error: { code: 'RECEIPT_AMOUNT_MISMATCH' } };
      }
      this.accepted.set(key, entry);
      this.arrivals.push({ key, entry, ok: true, duplicate: false });
      return { ok: true };
    });
    return [200, { results }];
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (s === null) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}

export async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const pbocSigner = new Sm2SoftwareSigner('pboc-530700', generateSm2KeyPair());

export interface PbocArrival {
  readonly entry: EnvelopeEntry;
  /** The 回单 the fake sent back: XPayAmt (0 = rejected) and XAddWord. */
  receipt?: { readonly payAmt: bigint; readonly addWord: string; readonly answer: unknown };
}

/**
 * A stand-in for the PBOC treasury's voucher library: takes 2301/2302 signed by the bank, answers
 * `ok`, then sends the 回单 signed at `pboc`: XPayAmt = PayAmt when every detail may be cleared
 * (2301: not cleared before; 2302: cleared, not refunded before), otherwise 0 with XAddWord.
 */
export class FakePboc {
  readonly arrivals: PbocArrival[] = [];
  readonly cleared = new Set<string>();
  readonly refunded = new Set<string>();
  bankKey: { keyId: string; publicKey: string } | null = null;
  bankUrl = '';
  /** While true, receipts wait in `held` until release(). */
  hold = false;
  /** Answer 503 to the next n messages. */
  failNext = 0;
  private held: (() => Promise<void>)[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const [status, body] = this.answer(new Uint8Array(Buffer.concat(chunks)));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Distinct clearing requests received, in order. */
  requests(vtCode?: string): EnvelopeEntry[] {
    const seen = new Set<string>();
    return this.arrivals
      .map((a) => a.entry)
      .filter((e) => {
        const k = voucherKey(e.voucher.header);
        if (seen.has(k) || (vtCode !== undefined && e.voucher.header.VtCode !== vtCode)) return false;
        seen.add(k);
        return true;
      });
  }

  private answer(bytes: Uint8Array): [number, unknown] {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return [503, { error: 'try later' }];
    }
    const d = decodeEnvelope(bytes);
    if (!d.ok) return [400, { error: d.errors[0]?.message }];
    const trusted = new Map(this.bankKey ? [[this.bankKey.keyId, this.bankKey.publicKey]] : []);
    const results = d.value.map((entry) => {
      const h = entry.voucher.header;
      const r = verifyVoucher(entry.voucher, trusted);
      if (r.failed.length > 0 || !r.verified.includes('bank')) {
        return { vtCode: h.VtCode, voucherNo: h.VoucherNo, ok: false, reason: 'bad signature' };
      }
      const arrival: PbocArrival = { entry };
      const repeat = this.arrivals.some((a) => voucherKey(a.entry.voucher.header) === voucherKey(h));
      this.arrivals.push(arrival);
      if (!repeat) {
        const send = () => this.sendReceipt(arrival);
        if (this.hold) this.held.push(send);
        else setImmediate(() => send().catch(() => {}));
      }
      return { vtCode: h.VtCode, voucherNo: h.VoucherNo, ok: true };
    });
    return [200, { results }];
  }

  private async sendReceipt(arrival: PbocArrival): Promise<void> {
    const v = arrival.entry.voucher;
    const refund = v.header.VtCode === '2302';
    const nos = v.details.map((d) => String(d.VoucherNo));
    const bad = nos.find((n) =>
      refund ? !this.cleared.has(n) || this.refunded.has(n) : this.cleared.has(n),
    );
    if (bad === undefined) for (const n of nos) (refund ? this.refunded : this.cleared).add(n);
    const payAmt = bad === undefined ? (v.header.PayAmt as bigint) : 0n;
    const addWord = bad === undefined ? '' : `明细 ${bad} ${refund ? '未清算或已退款' : '已清算'}`;
    const header = {
      ...v.header,
      XClearDate: String(v.header.VouDate),
      XPayAmt: payAmt,
      ...(addWord === '' ? {} : { XAddWord: addWord }),
    };
    const signed = await signVoucher({ ...v, header }, pbocSigner, 'pboc');
    const res = await fetch(`${this.bankUrl}/voucher-library/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: encodeEnvelope([{ flag: 'receipt', returnReason: '', attach: '', voucher: signed }], {
        encoding: 'UTF-8',
      }),
    });
    arrival.receipt = { payAmt, addWord, answer: await res.json() };
  }

  /** Sends the held receipts. */
  async release(): Promise<void> {
    this.hold = false;
    for (const send of this.held.splice(0)) await send();
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (s === null) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}
