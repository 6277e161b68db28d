import { createHash } from 'node:crypto';

/** SM3 (GB/T 32905-2016) from OpenSSL through node:crypto; hex digest. */
export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}
