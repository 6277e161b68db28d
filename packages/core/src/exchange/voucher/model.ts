import type { SignatureAlgorithm } from '../crypto/signer';
import type { FieldValue } from './layout';
import type {
  AllocationVoucherDetail,
  AllocationVoucherHeader,
  PaymentVoucherDetail,
  PaymentVoucherHeader,
} from './layouts';

/** Header or detail values by element name; an absent key and an empty element mean the same. */
export type VoucherFields = Readonly<Record<string, FieldValue>>;

/** E-seal types of ITFE (DOMAIN.md §4.4). */
export const SEAL_TYPES = [
  'zqz',
  'gz',
  'ywzyz',
  'fjz',
  'sz',
  'jzysz',
  'fhysz',
  'qm',
  'jzyqm',
  'fhyqm',
] as const;
export type SealType = (typeof SEAL_TYPES)[number];

/**
 * What a signature covers: `voucher` = every element except the receipt X-fields, so the sender's
 * signature still verifies after the receiver fills them in; `receipt` = every element.
 */
export type SignatureScope = 'voucher' | 'receipt';

/** An e-seal: a signature that also names the seal image applied at its position. */
export interface VoucherStamp {
  readonly stampId: string;
  readonly sealType: SealType;
}

export interface VoucherSignature {
  /** The named place on the voucher (盖章位置); at most one signature per position. */
  readonly position: string;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly scope: SignatureScope;
  readonly stamp?: VoucherStamp;
  /** Raw r ‖ s. */
  readonly value: Uint8Array;
}

/** The inner <Voucher> of an envelope: header elements, <DetailList>, signatures. */
export interface Voucher<H extends VoucherFields = VoucherFields, D extends VoucherFields = VoucherFields> {
  readonly header: H;
  readonly details: readonly D[];
  readonly signatures: readonly VoucherSignature[];
}

/** 支付凭证: 5201 财政直接支付凭证 and 8202 财政授权支付凭证, and their 回单. */
export type PaymentVoucher = Voucher<PaymentVoucherHeader, PaymentVoucherDetail>;
/** 5207 实拨拨款凭证 and its 回单. */
export type AllocationVoucher = Voucher<AllocationVoucherHeader, AllocationVoucherDetail>;

/** <VoucherFlag>: 0 发送单 (outbound), 1 回单 (receipt). */
export type VoucherFlag = 'send' | 'receipt';

/** One <VoucherBody> of an envelope. */
export interface EnvelopeEntry {
  readonly flag: VoucherFlag;
  /** <Return_Reason>, filled when the voucher is returned (退回); empty otherwise. */
  readonly returnReason: string;
  /** <Attach>, carried as opaque text. */
  readonly attach: string;
  readonly voucher: Voucher;
}
