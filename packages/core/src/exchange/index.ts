// The treasury-payment exchange (电子凭证库 client side): signing seam, voucher codec, library status.
export { privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './crypto/keyfile';
export {
  createKeyStore,
  generateDemoKeys,
  type KeyStore,
  keyStoreFromEnv,
  loadKeyStoreFromFolder,
  type OwnKey,
  type TrustedKey,
} from './crypto/keystore';
export * from './crypto/signer';
export {
  createSm2Verifier,
  DEFAULT_SM2_USER_ID,
  generateSm2KeyPair,
  isValidPublicKey,
  type Sm2KeyPair,
  Sm2SoftwareSigner,
  sm2KeyPairFromPrivateKey,
  sm2Verifier,
} from './crypto/sm2';
export * from './library/status';
export type { XmlEncoding } from './voucher/charset';
export { type CodecOptions, decodeVoucher, encodeVoucher } from './voucher/codec';
export { decodeEnvelope, type EnvelopeOptions, encodeEnvelope } from './voucher/envelope';
export * from './voucher/errors';
export {
  amount,
  date,
  defineLayout,
  extendLayout,
  type FieldKind,
  type FieldSpec,
  type FieldValue,
  type FieldValues,
  isReceiptField,
  type LayoutRegistry,
  layoutRegistry,
  required,
  text,
  type VoucherLayout,
} from './voucher/layout';
export * from './voucher/layouts';
export * from './voucher/model';
export * from './voucher/signing';
