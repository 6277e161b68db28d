/** Stable codes for everything the codec refuses; callers branch on `code`, people read `message`. */
export type CodecErrorCode =
  | 'MESSAGE_TOO_LARGE'
  | 'ENCODING_UNSUPPORTED'
  | 'ENCODING_INVALID'
  | 'ENCODING_UNREPRESENTABLE'
  | 'XML_MALFORMED'
  | 'XML_DOCTYPE_FORBIDDEN'
  | 'ENVELOPE_INVALID'
  | 'VOUCHER_COUNT_MISMATCH'
  | 'ENVELOPE_MISMATCH'
  | 'BASE64_INVALID'
  | 'VT_CODE_UNKNOWN'
  | 'FIELD_MISSING'
  | 'FIELD_UNKNOWN'
  | 'FIELD_INVALID'
  | 'RECEIPT_FIELD_ON_SEND'
  | 'DETAIL_COUNT'
  | 'AMOUNT_SUM_MISMATCH'
  | 'SIGNATURE_INVALID';

export interface CodecError {
  readonly code: CodecErrorCode;
  /** Where, as an element path: `MOF/VoucherBody[0]/Voucher/DetailList/Detail[1]/PayAmt`. */
  readonly path: string;
  readonly message: string;
}

/** Decoding yields all of a message or none of it, with every problem found. */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly CodecError[] };

/** Thrown by the encoders: refusing to write a voucher is a bug or bad data upstream. */
export class VoucherCodecError extends Error {
  readonly errors: readonly CodecError[];
  constructor(errors: readonly CodecError[]) {
    super(errors.map((e) => `${e.code} ${e.path}: ${e.message}`).join('; '));
    this.name = 'VoucherCodecError';
    this.errors = errors;
  }
}

export function codecError(code: CodecErrorCode, path: string, message: string): CodecError {
  return { code, path, message };
}
