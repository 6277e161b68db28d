import { canonicalJson } from '../../kernel/canonical-json';
import { formatYuan } from '../../kernel/money';
import { type Signer, SM2_SM3, type TrustedKeys, type Verifier } from '../crypto/signer';
import { sm2Verifier } from '../crypto/sm2';
import { isReceiptField } from './layout';
import type { SignatureScope, Voucher, VoucherFields, VoucherSignature, VoucherStamp } from './model';
import { NAME } from './signature-xml';

/**
 * What an SM2 signature on a voucher covers ("signing bytes", version 1) — see ADR 0005.
 *
 * The UTF-8 bytes of the canonical JSON (keys sorted, no whitespace; kernel/canonical-json) of
 *   { c14n: "fiscus-voucher-sign/1",
 *     signature: { No, KeyId, Algorithm, Scope, [Stamp, SealType] },
 *     header: { element: value, … },
 *     details: [ { element: value, … }, … ] }
 * where
 * - values are the element texts; amounts as yuan with exactly two decimals (1234.50);
 * - empty and absent elements are left out, so `<Hold1/>` and no <Hold1> sign the same;
 * - with Scope "voucher" the receipt X-fields are left out, with "receipt" they are included;
 * - details keep their document order (a reordered list is a different voucher);
 * - Stamp is the stamp message `<MOF><Stamp No="{position}">{stampId}</Stamp></MOF>`, present on
 *   e-seals only, so the seal image and its position are bound to the signature;
 * - the envelope (VoucherFlag, Return_Reason, Attach) and the other signatures are not covered:
 *   each signature stands alone, and seals may be added or revoked without breaking the others.
 * Values, not XML bytes, are signed: re-indenting or re-encoding (UTF-8 ↔ GBK) keeps signatures.
 */
export const SIGNING_VERSION = 'fiscus-voucher-sign/1';

/** The message the stamp server is asked to apply (DOMAIN.md §4.2); names are pre-checked to need no escaping. */
export function stampMessage(position: string, stampId: string): string {
  return `<MOF><Stamp No="${position}">${stampId}</Stamp></MOF>`;
}

function covered(fields: VoucherFields, scope: SignatureScope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === '' || (scope === 'voucher' && isReceiptField(name))) continue;
    out[name] = typeof value === 'bigint' ? formatYuan(value) : value;
  }
  return out;
}

export function signingBytes(voucher: Voucher, signature: Omit<VoucherSignature, 'value'>): Uint8Array {
  const meta: Record<string, string> = {
    No: signature.position,
    KeyId: signature.keyId,
    Algorithm: signature.algorithm,
    Scope: signature.scope,
  };
  if (signature.stamp !== undefined) {
    meta.Stamp = stampMessage(signature.position, signature.stamp.stampId);
    meta.SealType = signature.stamp.sealType;
  }
  return new TextEncoder().encode(
    canonicalJson({
      c14n: SIGNING_VERSION,
      signature: meta,
      header: covered(voucher.header, signature.scope),
      details: voucher.details.map((d) => covered(d, signature.scope)),
    }),
  );
}

function hasReceiptFields(voucher: Voucher): boolean {
  return [voucher.header, ...voucher.details].some((fields) =>
    Object.entries(fields).some(([k, v]) => isReceiptField(k) && v !== '' && v !== undefined),
  );
}

export interface SignOptions {
  /** Makes the signature an e-seal at its position. */
  readonly stamp?: VoucherStamp;
  /** Default: `receipt` when any X-field is filled (the receiver signing its 回单), else `voucher`. */
  readonly scope?: SignatureScope;
}

/** Adds a signature at `position`; refuses a position that is already signed (revoke it first). */
export async function signVoucher<V extends Voucher>(
  voucher: V,
  signer: Signer,
  position: string,
  options: SignOptions = {},
): Promise<V> {
  if (!NAME.test(position)) throw new Error(`invalid signature position ${JSON.stringify(position)}`);
  if (options.stamp !== undefined && !NAME.test(options.stamp.stampId)) {
    throw new Error(`invalid stamp id ${JSON.stringify(options.stamp.stampId)}`);
  }
  if (voucher.signatures.some((s) => s.position === position)) {
    throw new Error(`position ${position} is already signed`);
  }
  const meta: Omit<VoucherSignature, 'value'> = {
    position,
    keyId: signer.keyId,
    algorithm: signer.algorithm,
    scope: options.scope ?? (hasReceiptFields(voucher) ? 'receipt' : 'voucher'),
    ...(options.stamp === undefined ? {} : { stamp: options.stamp }),
  };
  const signature = await signer.sign(signingBytes(voucher, meta));
  // A signer that answers for another key or algorithm would produce a signature nobody can check.
  if (signature.keyId !== signer.keyId || signature.algorithm !== SM2_SM3) {
    throw new Error(
      `signer ${signer.keyId} returned a signature of ${signature.keyId}/${signature.algorithm}`,
    );
  }
  return { ...voucher, signatures: [...voucher.signatures, { ...meta, value: signature.value }] };
}

/** Revokes the signature or seal at `position` (cancelStampWithPosition). */
export function removeSignature<V extends Voucher>(voucher: V, position: string): V {
  return { ...voucher, signatures: voucher.signatures.filter((s) => s.position !== position) };
}

export type VerificationFailure = 'UNTRUSTED_KEY' | 'BAD_SIGNATURE';

export interface VerificationReport {
  /** Positions whose signature verified against a trusted key, in document order. */
  readonly verified: readonly string[];
  readonly failed: readonly {
    readonly position: string;
    readonly keyId: string;
    readonly reason: VerificationFailure;
  }[];
}

export function verifyVoucher(
  voucher: Voucher,
  trusted: TrustedKeys,
  verifier: Verifier = sm2Verifier,
): VerificationReport {
  const verified: string[] = [];
  const failed: { position: string; keyId: string; reason: VerificationFailure }[] = [];
  for (const s of voucher.signatures) {
    const publicKey = trusted.get(s.keyId);
    if (publicKey === undefined) {
      failed.push({ position: s.position, keyId: s.keyId, reason: 'UNTRUSTED_KEY' });
      continue;
    }
    const { value, ...meta } = s;
    const ok = verifier.verify(
      signingBytes(voucher, meta),
      { algorithm: s.algorithm, keyId: s.keyId, value },
      publicKey,
    );
    if (ok) verified.push(s.position);
    else failed.push({ position: s.position, keyId: s.keyId, reason: 'BAD_SIGNATURE' });
  }
  return { verified, failed };
}
