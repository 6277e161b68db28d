import { isFiscusError } from './errors';

/** For tests of pure rules: the code of the FiscusError a call throws, null when it returns. */
export function errorCodeOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return isFiscusError(e) ? e.code : String(e);
  }
}
