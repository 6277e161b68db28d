import { z } from 'zod';
import { isValidKeyId, SM2_SM3 } from '../crypto/signer';
import { type CodecError, codecError } from './errors';
import { SEAL_TYPES, type VoucherSignature } from './model';
import { zodErrors } from './schema';
import { ATTR, splitNode, TEXT, type XmlNode } from './xml';

/**
 * Signatures inside the inner voucher, after <DetailList> [R: our element names]:
 *   <Signatures>
 *     <Signature No="position" KeyId="…" Algorithm="SM2-SM3" Scope="voucher" StampId="…" SealType="gz">
 *       BASE64(r ‖ s)
 *     </Signature>
 *   </Signatures>
 * StampId and SealType appear together, on e-seals only.
 */

/** Positions and stamp ids also appear in the stamp message and in attributes: letters, digits, _.- */
export const NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;
// 64 bytes of r ‖ s are always 88 base64 characters ending in "==".
const RS_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

const attributes = z.strictObject({
  No: z.string().regex(NAME, 'not a position name'),
  KeyId: z.string().refine(isValidKeyId, 'not a key id'),
  Algorithm: z.literal(SM2_SM3),
  Scope: z.enum(['voucher', 'receipt']),
  StampId: z.string().regex(NAME, 'not a stamp id').optional(),
  SealType: z.enum(SEAL_TYPES).optional(),
});

export function signatureToNode(s: VoucherSignature): XmlNode {
  const node: XmlNode = {
    [`${ATTR}No`]: s.position,
    [`${ATTR}KeyId`]: s.keyId,
    [`${ATTR}Algorithm`]: s.algorithm,
    [`${ATTR}Scope`]: s.scope,
  };
  if (s.stamp !== undefined) {
    node[`${ATTR}StampId`] = s.stamp.stampId;
    node[`${ATTR}SealType`] = s.stamp.sealType;
  }
  node[TEXT] = Buffer.from(s.value).toString('base64');
  return node;
}

export function signaturesFromNode(
  node: unknown,
  path: string,
): { value: VoucherSignature[]; errors: CodecError[] } {
  const errors: CodecError[] = [];
  const value: VoucherSignature[] = [];
  if (node === undefined || node === '') return { value, errors };
  const { attrs, text, children } = splitNode(node);
  const rows = children.Signature;
  if (
    Object.keys(attrs).length > 0 ||
    text !== '' ||
    !Array.isArray(rows) ||
    Object.keys(children).length !== 1
  ) {
    return { value, errors: [codecError('SIGNATURE_INVALID', path, 'expected <Signature> elements only')] };
  }
  const positions = new Set<string>();
  rows.forEach((row, i) => {
    const at = `${path}/Signature[${i}]`;
    const parts = splitNode(row);
    const parsed = attributes.safeParse(parts.attrs, { reportInput: true });
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error, at).map((e) => ({ ...e, code: 'SIGNATURE_INVALID' as const })));
      return;
    }
    const a = parsed.data;
    if (
      Object.keys(parts.children).length > 0 ||
      typeof parts.text !== 'string' ||
      !RS_BASE64.test(parts.text)
    ) {
      errors.push(codecError('SIGNATURE_INVALID', at, 'value must be 64 bytes of base64'));
      return;
    }
    if ((a.StampId === undefined) !== (a.SealType === undefined)) {
      errors.push(codecError('SIGNATURE_INVALID', at, 'StampId and SealType come together'));
      return;
    }
    if (positions.has(a.No)) {
      errors.push(codecError('SIGNATURE_INVALID', at, `position ${a.No} is signed twice`));
      return;
    }
    positions.add(a.No);
    const signature: VoucherSignature = {
      position: a.No,
      keyId: a.KeyId,
      algorithm: a.Algorithm,
      scope: a.Scope,
      value: new Uint8Array(Buffer.from(parts.text, 'base64')),
    };
    value.push(
      a.StampId !== undefined && a.SealType !== undefined
        ? { ...signature, stamp: { stampId: a.StampId, sealType: a.SealType } }
        : signature,
    );
  });
  return { value, errors };
}
