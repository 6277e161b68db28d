import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '@fiscus/core/exchange/crypto/sm2';
import { SAMPLE_5201 } from '@fiscus/core/exchange/voucher/__fixtures__/sample-5201';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { signVoucher, verifyVoucher } from '@fiscus/core/exchange/voucher/signing';
import { type PbocSimConfig, parsePbocOptions } from './options';

/** Test support: finance- and bank-signed vouchers, a fake counterpart inbox. Not used by the simulator. */

export const financeSigner = new Sm2SoftwareSigner('finance-530700000', generateSm2KeyPair());
export const bankSigner = new Sm2SoftwareSigner('bank-ICBC', generateSm2KeyPair());
export const TSA = '270751000001';
export const CLEARING_ACCT = '102751000015-QS';

export function trustArgs(): string[] {
  return [
    '--trust-key',
    `${financeSigner.keyId}:${financeSigner.publicKey}`,
    '--trust-key',
    `${bankSigner.keyId}:${bankSigner.publicKey}`,
  ];
}

/** A config for an in-process PBOC: free port, the given data folder, both test keys trusted. */
export function testConfig(dataDir: string, extra: Record<string, unknown> = {}): PbocSimConfig {
  return parsePbocOptions({
    port: '0',
    data: dataDir,
    trustKey: [
      `${financeSigner.keyId}:${financeSigner.publicKey}`,
      `${bankSigner.keyId}:${bankSigner.publicKey}`,
    ],
    clearDate: '2026-03-15',
    tsaOpening: '1000000.00',
    ...extra,
  });
}

const send = (voucher: Voucher): EnvelopeEntry => ({ flag: 'send', returnReason: '', attach: '', voucher });

/** A finance copy of a 5201 (or 8202) paid by ICBC, signed by finance. */
export async function paymentCopy(
  no: string,
  opts: {
    amount?: bigint;
    vtCode?: '5201' | '8202';
    supDep?: string;
    expFunc?: string;
    signer?: Sm2SoftwareSigner;
  } = {},
): Promise<EnvelopeEntry> {
  const amount = opts.amount ?? 100_00n;
  const vt = opts.vtCode ?? '5201';
  const unsigned: Voucher = {
    header: {
      ...SAMPLE_5201.header,
      Id: `530700-2026-${vt}-${no}`,
      VtCode: vt,
      VoucherNo: no,
      PayTypeCode: vt === '5201' ? '11' : '12',
      PayAmt: amount,
      ...(opts.supDep === undefined ? {} : { SupDepCode: opts.supDep }),
      ...(opts.expFunc === undefined ? {} : { ExpFuncCode: opts.expFunc }),
    },
    details: [{ ...SAMPLE_5201.details[0], Id: `530700-2026-${vt}-${no}-1`, PayAmt: amount }],
    signatures: [],
  };
  return send(await signVoucher(unsigned, opts.signer ?? financeSigner, 'finance'));
}

/** A 5108 (or 5106) for ICBC with the given lines, signed by finance. */
export async function quotaNotice(
  no: string,
  lines: readonly { voucherNo: string; amount: bigint; oriVtCode?: string }[],
  opts: { vtCode?: '5108' | '5106'; bankCode?: string } = {},
): Promise<EnvelopeEntry> {
  const vt = opts.vtCode ?? '5108';
  const details: VoucherFields[] = lines.map((l, i) => ({
    Id: `${no}-${i + 1}`,
    SupDepCode: '205',
    ExpFuncCode: '2050203',
    FundTypeCode: '1',
    PayVoucherNo: l.voucherNo,
    OriVtCode: l.oriVtCode ?? (vt === '5108' ? '5201' : '8202'),
    PlanAmt: l.amount,
  }));
  const unsigned: Voucher = {
    header: {
      Id: `530700-2026-${vt}-${no}`,
      AdmDivCode: '530700',
      StYear: '2026',
      VtCode: vt,
      VouDate: '20260315',
      VoucherNo: no,
      PayAmt: lines.reduce((s, l) => s + l.amount, 0n),
      PayTypeCode: vt === '5108' ? '11' : '12',
      PayBankCode: opts.bankCode ?? 'ICBC',
      ClearBankCode: 'PBOC',
    },
    details,
    signatures: [],
  };
  return send(await signVoucher(unsigned, financeSigner, 'finance'));
}

/** A 2301 (or 2302) of ICBC, signed by the bank at `bank`. */
export async function clearingRequest(
  no: string,
  lines: readonly { voucherNo: string; amount: bigint; oriVtCode?: string }[],
  opts: {
    vtCode?: '2301' | '2302';
    payTypeCode?: string;
    signer?: Sm2SoftwareSigner;
    clearAcctNo?: string;
  } = {},
): Promise<EnvelopeEntry> {
  const vt = opts.vtCode ?? '2301';
  const unsigned: Voucher = {
    header: {
      Id: `530700-2026-${vt}-${no}`,
      AdmDivCode: '530700',
      StYear: '2026',
      VtCode: vt,
      VouDate: '20260315',
      VoucherNo: no,
      PayTypeCode: opts.payTypeCode ?? '11',
      AgentAcctNo: CLEARING_ACCT,
      AgentAcctName: '中国工商银行丽江分行清算户',
      ClearAcctNo: opts.clearAcctNo ?? TSA,
      PayAmt: lines.reduce((s, l) => s + l.amount, 0n),
      ...(vt === '2302' ? { TKLX: '1' } : {}),
    },
    details: lines.map((l, i) => ({
      Id: `${no}-${i + 1}`,
      VoucherNo: l.voucherNo,
      ...(l.oriVtCode === undefined ? {} : { OriVtCode: l.oriVtCode }),
      SupDepCode: '205',
      ExpFuncCode: '2050203',
      PayAmt: l.amount,
    })),
    signatures: [],
  };
  return send(await signVoucher(unsigned, opts.signer ?? bankSigner, 'bank'));
}

export function envelope(entries: readonly EnvelopeEntry[]): Uint8Array {
  return encodeEnvelope(entries, { encoding: 'UTF-8' });
}

export async function post(url: string, entries: readonly EnvelopeEntry[]) {
  const res = await fetch(`${url}/voucher-library/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: envelope(entries),
  });
  return { status: res.status, body: (await res.json()) as { results: Record<string, unknown>[] } };
}

export interface Arrival {
  readonly entry: EnvelopeEntry;
  readonly verified: boolean;
  readonly duplicate: boolean;
}

/**
 * A stand-in for a counterpart inbox (the bank's library or Fiscus's): refuses a message (400)
 * unless every signature verifies and the PBOC signed at `pboc`; answers a repeated VoucherNo
 * with `duplicate: true`.
 */
export class FakeInbox {
  readonly arrivals: Arrival[] = [];
  readonly accepted = new Map<string, EnvelopeEntry>();
  refusedMessages = 0;
  pbocKey: { keyId: string; publicKey: string } | null = null;
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

  trusted(): Map<string, string> {
    const t = new Map<string, string>([
      [financeSigner.keyId, financeSigner.publicKey],
      [bankSigner.keyId, bankSigner.publicKey],
    ]);
    if (this.pbocKey) t.set(this.pbocKey.keyId, this.pbocKey.publicKey);
    return t;
  }

  private answer(bytes: Uint8Array): [number, unknown] {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return [503, { code: 'UNAVAILABLE' }];
    }
    const d = decodeEnvelope(bytes);
    if (!d.ok) return [400, { code: 'VALIDATION_FAILED', message: d.errors[0]?.message }];
    for (const entry of d.value) {
      const r = verifyVoucher(entry.voucher, this.trusted());
      if (r.failed.length > 0 || !r.verified.includes('pboc')) {
        this.refusedMessages += 1;
        return [400, { code: 'MESSAGE_SIGNATURE_INVALID', message: JSON.stringify(r.failed) }];
      }
    }
    const results = d.value.map((entry) => {
      const h = entry.voucher.header;
      const key = `${String(h.VtCode)}|${String(h.VoucherNo)}|${entry.flag}`;
      const duplicate = this.accepted.has(key);
      if (!duplicate) this.accepted.set(key, entry);
      this.arrivals.push({ entry, verified: true, duplicate });
      return duplicate ? { ok: true, duplicate: true } : { ok: true };
    });
    return [200, { results }];
  }

  of(vtCode: string): EnvelopeEntry[] {
    return [...this.accepted.entries()].filter(([k]) => k.startsWith(`${vtCode}|`)).map(([, e]) => e);
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
