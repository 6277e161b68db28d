// The older `sm-crypto` ships no types; tests use it as an independent SM2 implementation.
declare module 'sm-crypto' {
  interface Sm2Options {
    hash?: boolean;
    der?: boolean;
    userId?: string;
    publicKey?: string;
  }
  export const sm2: {
    doSignature(msg: string | ArrayLike<number>, privateKey: string, options?: Sm2Options): string;
    doVerifySignature(
      msg: string | ArrayLike<number>,
      signHex: string,
      publicKey: string,
      options?: Sm2Options,
    ): boolean;
  };
}
