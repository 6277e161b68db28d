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
  opts: { amount?: bigint; payeeName?: string; signer?: Signer } = {},
): Promise<EnvelopeEntry> {
  const amount = opts.amount ?? 123_45n;
  const unsigned: Voucher = {
    header: {
      ...SAMPLE_5201.header,
      Id: `530700-2026-5201-${no}`,
      VoucherNo: no,
      PayAmt: amount,
      ...(opts.payeeName === undefined ? {} : { PayeeAcctName: opts.payeeName }),
    },
    details: [{ ...SAMPLE_5201.details[0], Id: `530700-2026-5201-${no}-1`, PayAmt: amount }],
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
