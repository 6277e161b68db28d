import { join } from 'node:path';
import { parseYuan } from '@fiscus/core/kernel/money';

/** 人行国库模拟器的配置：命令行选项校验后的形状。 */
export interface PbocSimConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly keysDir: string;
  /** The treasury's code: key id `pboc-<code>`, ClearBankCode/TreCode/BankCode on reports. */
  readonly pbocCode: string;
  readonly pbocName: string;
  /** Folders of `<keyId>.pub.pem` files whose keys are trusted (finance's, the banks'). */
  readonly trustDirs: readonly string[];
  /** `keyId:04…` pairs trusted in addition. */
  readonly trustKeys: readonly { readonly keyId: string; readonly publicKey: string }[];
  /** Where 2301/2302 receipts go: `{url}/voucher-library/messages`, by bank code, else `*`. */
  readonly bankUrls: ReadonlyMap<string, string>;
  /** Base URL of Fiscus; day-end reports go to `{fiscus}/api/v1/evoucher/messages`. */
  readonly fiscusUrl: string;
  /** AdmDivCode of the day-end reports. */
  readonly admDivCode: string;
  /** 国库单一账户. */
  readonly tsaAcctNo: string;
  readonly tsaAcctName: string;
  /** The TSA's balance when the store is created (fen). */
  readonly tsaOpening: bigint;
  /** yyyyMMdd, or null for today: the business date before any day is closed. */
  readonly clearDate: string | null;
  readonly seed: string;
  readonly batch: number;
  readonly faults: PbocFaults;
  /** Exit 86 right after the n-th clearing decision is recorded, before it is answered (once per store). */
  readonly crashAfter: number | null;
}

export interface PbocFaults {
  /** A receipt (2301/2302 回单) is never sent. */
  readonly loseReceipt: number;
  /** An acknowledged message is sent once more. */
  readonly duplicate: number;
  /** A day-end report line (3410 / 3501) carries its amount + 1 fen (kept: resends are the same). */
  readonly alter: number;
  /** The first delivery carries a corrupted PBOC signature. */
  readonly breakSignature: number;
  /** An inbound message is read, then the connection destroyed: no answer, nothing stored (first attempt). */
  readonly drop: number;
}

/** Exit code of the `--crash-after` fault, as the bank simulator's. */
export { CRASH_EXIT_CODE } from '../bank/options';
export const DEFAULT_PORT = 7402;
export const DEFAULT_BANK_URL = 'http://127.0.0.1:7401';
export const DEFAULT_FISCUS_URL = 'http://127.0.0.1:3000';
export const DEFAULT_DATA_DIR = '.fiscus/sim-pboc';
export const DEFAULT_TSA_ACCT = '270751000001';
export const DEFAULT_TSA_OPENING = '1000000000.00';

/** The options as commander hands them over: strings, repeatable ones as arrays. */
export type RawPbocOptions = Readonly<Record<string, unknown>>;

function flag(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function str(raw: RawPbocOptions, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`--${flag(name)}: expected a value`);
  return String(v);
}

function list(raw: RawPbocOptions, name: string): string[] {
  const v = raw[name];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function int(raw: RawPbocOptions, name: string, fallback: number, min: number, max: number): number {
  const s = str(raw, name);
  if (s === undefined) return fallback;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new Error(`--${flag(name)}: expected an integer ${min}..${max}, got ${JSON.stringify(s)}`);
  }
  return Number(s);
}

function rate(raw: RawPbocOptions, name: string): number {
  const s = str(raw, name);
  if (s === undefined) return 0;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(`--${flag(name)}: expected a fraction 0..1, got ${JSON.stringify(s)}`);
  }
  return n;
}

function url(s: string, option: string): string {
  const u = s.replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(u))
    throw new Error(`${option}: expected an http(s) URL, got ${JSON.stringify(s)}`);
  return u;
}

/** `2026-03-15` or `20260315` → `20260315` (the layouts' date form); null when not a date. */
export function toYmd(s: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  if (m === null) return null;
  const [, y = '', mo = '', d = ''] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  return `${y}${mo}${d}`;
}

function trustKey(item: string): { keyId: string; publicKey: string } {
  const [keyId = '', publicKey = '', ...rest] = item.trim().split(':');
  if (keyId === '' || rest.length > 0 || !/^04[0-9a-fA-F]{128}$/.test(publicKey)) {
    throw new Error(`--trust-key: expected keyId:04<128 hex digits>, got ${JSON.stringify(item)}`);
  }
  return { keyId, publicKey: publicKey.toLowerCase() };
}

/** `--bank-url URL` (every bank) or `--bank-url CODE=URL` (one bank), repeatable. */
function bankUrls(items: readonly string[]): Map<string, string> {
  const out = new Map<string, string>([['*', DEFAULT_BANK_URL]]);
  for (const item of items.flatMap((s) => s.split(',')).filter((s) => s.trim() !== '')) {
    const m = /^([A-Za-z0-9]{1,20})=(.+)$/.exec(item.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[1], url(m[2], '--bank-url'));
    else out.set('*', url(item.trim(), '--bank-url'));
  }
  return out;
}

export function parsePbocOptions(raw: RawPbocOptions): PbocSimConfig {
  const dataDir = str(raw, 'data') ?? DEFAULT_DATA_DIR;
  const pbocCode = str(raw, 'pbocCode') ?? 'PBOC';
  if (!/^[A-Za-z0-9]{1,20}$/.test(pbocCode)) throw new Error('--pboc-code: letters and digits only (≤ 20)');
  const admDivCode = str(raw, 'admDiv') ?? '530700';
  if (!/^\d{6}(\d{3})?$/.test(admDivCode)) throw new Error('--adm-div: 6 or 9 digits');
  const tsaAcctNo = str(raw, 'tsaAcct') ?? DEFAULT_TSA_ACCT;
  if (!/^[0-9A-Za-z-]{1,40}$/.test(tsaAcctNo)) throw new Error('--tsa-acct: an account number');
  const opening = str(raw, 'tsaOpening') ?? DEFAULT_TSA_OPENING;
  let tsaOpening: bigint;
  try {
    tsaOpening = parseYuan(opening);
  } catch {
    throw new Error(`--tsa-opening: expected yuan like 1000000.00, got ${JSON.stringify(opening)}`);
  }
  const clear = str(raw, 'clearDate');
  const clearDate = clear === undefined ? null : toYmd(clear);
  if (clear !== undefined && clearDate === null) {
    throw new Error(`--clear-date: expected YYYY-MM-DD, got ${JSON.stringify(clear)}`);
  }
  return {
    port: int(raw, 'port', DEFAULT_PORT, 0, 65535),
    host: str(raw, 'host') ?? '127.0.0.1',
    dataDir,
    keysDir: str(raw, 'keys') ?? join(dataDir, 'keys'),
    pbocCode,
    pbocName: str(raw, 'pbocName') ?? '模拟人民银行国库',
    trustDirs: list(raw, 'trust'),
    trustKeys: list(raw, 'trustKey')
      .flatMap((s) => s.split(',').filter((x) => x.trim() !== ''))
      .map(trustKey),
    bankUrls: bankUrls(list(raw, 'bankUrl')),
    fiscusUrl: url(str(raw, 'fiscusUrl') ?? DEFAULT_FISCUS_URL, '--fiscus-url'),
    admDivCode,
    tsaAcctNo,
    tsaAcctName: str(raw, 'tsaName') ?? '国家金库（国库单一账户）',
    tsaOpening,
    clearDate,
    seed: str(raw, 'seed') ?? '0',
    batch: int(raw, 'batch', 50, 1, 10_000),
    faults: {
      loseReceipt: rate(raw, 'loseReceipt'),
      duplicate: rate(raw, 'duplicate'),
      alter: rate(raw, 'alter'),
      breakSignature: rate(raw, 'breakSignature'),
      drop: rate(raw, 'drop'),
    },
    crashAfter:
      str(raw, 'crashAfter') === undefined ? null : int(raw, 'crashAfter', 0, 1, Number.MAX_SAFE_INTEGER),
  };
}
