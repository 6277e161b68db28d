import { join } from 'node:path';

/** 代理银行模拟器的配置：命令行选项校验后的形状。 */
export interface BankSimConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly keysDir: string;
  readonly bankCode: string;
  readonly bankName: string;
  /** Folders of `<keyId>.pub.pem` files whose keys are trusted (the finance bureau's). */
  readonly trustDirs: readonly string[];
  /** `keyId:04…` pairs trusted in addition. */
  readonly trustKeys: readonly { readonly keyId: string; readonly publicKey: string }[];
  /** Base URL of Fiscus; answers go to `{fiscus}/api/v1/evoucher/messages`. */
  readonly fiscusUrl: string;
  readonly delayMs: number;
  readonly returnRate: number;
  readonly bounceRate: number;
  readonly seed: string;
  /** yyyyMMdd, or null for today. */
  readonly payDate: string | null;
  readonly batch: number;
  readonly faults: Faults;
  /** Exit 86 right after the N-th payment since the store was created; null: never. */
  readonly crashAfter: number | null;
}

export interface Faults {
  readonly drop: number;
  readonly duplicate: number;
  readonly alter: number;
  readonly breakSignature: number;
}

export const DEFAULT_PORT = 7401;
export const DEFAULT_FISCUS_URL = 'http://127.0.0.1:3000';
export const DEFAULT_DATA_DIR = '.fiscus/sim-bank';
export const CRASH_EXIT_CODE = 86;

/** The options as commander hands them over: strings, `trustKey`/`trust` possibly repeated. */
export type RawBankOptions = Readonly<Record<string, unknown>>;

function str(raw: RawBankOptions, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`--${flag(name)}: expected a value`);
  return String(v);
}

function list(raw: RawBankOptions, name: string): string[] {
  const v = raw[name];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function flag(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function int(raw: RawBankOptions, name: string, fallback: number, min: number, max: number): number {
  const s = str(raw, name);
  if (s === undefined) return fallback;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new Error(`--${flag(name)}: expected an integer ${min}..${max}, got ${JSON.stringify(s)}`);
  }
  return Number(s);
}

function rate(raw: RawBankOptions, name: string): number {
  const s = str(raw, name);
  if (s === undefined) return 0;
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(`--${flag(name)}: expected a fraction 0..1, got ${JSON.stringify(s)}`);
  }
  return n;
}

/** `2026-03-15` or `20260315` → `20260315` (the layouts' date form). */
export function normalizeDate(s: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  if (m === null) throw new Error(`--pay-date: expected YYYY-MM-DD, got ${JSON.stringify(s)}`);
  const [, y = '', mo = '', d = ''] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    throw new Error(`--pay-date: not a calendar date: ${s}`);
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

export function parseBankOptions(raw: RawBankOptions): BankSimConfig {
  const dataDir = str(raw, 'data') ?? DEFAULT_DATA_DIR;
  const bankCode = str(raw, 'bankCode') ?? 'ABC001';
  if (!/^[A-Za-z0-9]{1,20}$/.test(bankCode)) throw new Error('--bank-code: letters and digits only (≤ 20)');
  const fiscusUrl = (str(raw, 'fiscus') ?? DEFAULT_FISCUS_URL).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(fiscusUrl)) throw new Error('--fiscus: expected an http(s) URL');
  const payDate = str(raw, 'payDate');
  const crash = str(raw, 'crashAfter');
  return {
    port: int(raw, 'port', DEFAULT_PORT, 0, 65535),
    host: str(raw, 'host') ?? '127.0.0.1',
    dataDir,
    keysDir: str(raw, 'keys') ?? join(dataDir, 'keys'),
    bankCode,
    bankName: str(raw, 'bankName') ?? `模拟代理银行 ${bankCode}`,
    trustDirs: list(raw, 'trust'),
    trustKeys: list(raw, 'trustKey')
      .flatMap((s) => s.split(',').filter((x) => x.trim() !== ''))
      .map(trustKey),
    fiscusUrl,
    delayMs: int(raw, 'delay', 0, 0, 86_400_000),
    returnRate: rate(raw, 'returnRate'),
    bounceRate: rate(raw, 'bounceRate'),
    seed: str(raw, 'seed') ?? '0',
    payDate: payDate === undefined ? null : normalizeDate(payDate),
    batch: int(raw, 'batch', 50, 1, 10_000),
    faults: {
      drop: rate(raw, 'faultDrop'),
      duplicate: rate(raw, 'faultDuplicate'),
      alter: rate(raw, 'faultAlter'),
      breakSignature: rate(raw, 'faultBreakSignature'),
    },
    crashAfter: crash === undefined ? null : int(raw, 'crashAfter', 0, 1, Number.MAX_SAFE_INTEGER),
  };
}
