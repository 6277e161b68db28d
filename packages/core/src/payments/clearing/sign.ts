import { encodeEnvelope } from '../../exchange/voucher/envelope';
import type { Voucher } from '../../exchange/voucher/model';
import { signVoucher } from '../../exchange/voucher/signing';
import { financeSigner } from '../vouchers/keys';
import { FINANCE_POSITION, FINANCE_SEAL } from '../vouchers/sign';

/** Signs a clearing voucher like a payment voucher (position `finance`, 业务专用章) and wraps it. */
export async function signClearingVoucher(
  region: string,
  voucher: Voucher,
): Promise<{ envelope: string; keyId: string; signed: Voucher }> {
  const signer = await financeSigner(region);
  const signed = await signVoucher(voucher, signer, FINANCE_POSITION, {
    scope: 'voucher',
    stamp: { stampId: `${region}-${FINANCE_SEAL}`, sealType: FINANCE_SEAL },
  });
  const envelope = new TextDecoder().decode(
    encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: signed }], { encoding: 'UTF-8' }),
  );
  return { envelope, keyId: signer.keyId, signed };
}
