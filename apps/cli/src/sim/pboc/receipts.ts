import type { Signer } from '@fiscus/core/exchange/crypto/signer';
import { decodeEnvelope, encodeEnvelope } from '@fiscus/core/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher, VoucherFields } from '@fiscus/core/exchange/voucher/model';
import { signVoucher } from '@fiscus/core/exchange/voucher/signing';
import type { RequestRecord } from './state';

/** The position the PBOC signs at (clearing-protocol.md, Endpoints). */
export const PBOC_POSITION = 'pboc';

export interface PbocIdentity {
  readonly code: string;
  readonly name: string;
  readonly signer: Signer;
}

/** The voucher as received, from the one-voucher envelope kept in the store. */
export function storedEntry(xml: string): EnvelopeEntry {
  const d = decodeEnvelope(new TextEncoder().encode(xml));
  const entry = d.ok ? d.value[0] : undefined;
  if (entry === undefined) throw new Error('stored voucher does not decode');
  return entry;
}

export function oneEnvelope(entry: EnvelopeEntry): string {
  return new TextDecoder().decode(encodeEnvelope([entry], { encoding: 'UTF-8' }));
}

/** The PBOC signature with its last byte flipped (the `break-signature` fault). */
export function corrupt(entry: EnvelopeEntry): EnvelopeEntry {
  const voucher: Voucher = {
    ...entry.voucher,
    signatures: entry.voucher.signatures.map((s) => {
      if (s.position !== PBOC_POSITION) return s;
      const value = new Uint8Array(s.value);
      value[value.length - 1] = (value[value.length - 1] ?? 0) ^ 0xff;
      return { ...s, value };
    }),
  };
  return { ...entry, voucher };
}

/**
 * 2301 / 2302 回单: the bank's request with XClearDate (the PBOC's business date) and XPayAmt (the
 * amount moved) filled, or XPayAmt 0 and XAddWord = the reason when refused; signed by the PBOC at
 * `pboc` (scope receipt). The bank's own signature (scope voucher) still verifies.
 */
export async function buildReceipt(
  request: RequestRecord,
  pboc: PbocIdentity,
  faults: { readonly breakSignature?: boolean } = {},
): Promise<EnvelopeEntry> {
  if (request.state === 'received' || request.date === undefined) {
    throw new Error(`request ${request.key} is not decided yet`);
  }
  const original = storedEntry(request.xml);
  const refused = request.state === 'refused';
  const header: VoucherFields = {
    ...original.voucher.header,
    XClearDate: request.date,
    XPayAmt: refused ? 0n : request.amount,
    ...(refused ? { XAddWord: request.reason ?? '' } : {}),
  };
  const voucher = await signVoucher({ ...original.voucher, header }, pboc.signer, PBOC_POSITION, {
    scope: 'receipt',
  });
  const entry: EnvelopeEntry = { flag: 'receipt', returnReason: '', attach: '', voucher };
  return faults.breakSignature ? corrupt(entry) : entry;
}
