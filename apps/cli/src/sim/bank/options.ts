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
  /** Base URL of the PBOC treasury's voucher library; clearing goes to `{pboc}/voucher-library/messages`. */
  readonly pbocUrl: string;
  /** 国库单一账户 of the region: ClearAcctNo of the 2301/2302. */
  readonly tsaAcct: string;
  /** The bank's clearing account (AgentAcctNo); by default derived from the bank code. */
  readonly agentAcct: string;
  /** When a voucher chosen to bounce bounces: once its receipt was acknowledged, or once it was cleared. */
  readonly bounceAfter: 'receipt' | 'clearing';
}

export interface Faults {
  readonly drop: number;
  readonly duplicate: number;
  readonly alter: number;
  readonly breakSignature: number;
  /** A 2301 is sent a second time under a new VoucherNo (the PBOC must refuse it). */
  readonly duplicateClearing?: number;
  /** A payment receipt (回单) to Fiscus is never sent. */
  readonly loseReceipt?: number;
  /** A 2302 is sent a second time under a new VoucherNo for the same details. */
  readonly doubleRefund?: number;
}

export const DEFAULT_PORT = 7401;
export const DEFAULT_FISCUS_URL = 'http://127.0.0.1:3000';
export const DEFAULT_DATA_DIR = '.fiscus/sim-bank';
export const DEFAULT_PBOC_URL = 'http://127.0.0.1:7402';
/** 国库单一账户 of the demo region (丽江, 530700). */
export const DEFAULT_TSA_ACCT = '270751000001';

/**
 * The bank's clearing account (代理银行清算账户, AgentAcctNo of its 2301/2302): `8888` followed by the
 * bank code's characters as two-digit numbers (A=10 … Z=35, digits as themselves, zero-padded),
 * cut or padded with 0 to 16 digits — stable per bank code. ABC001 → 8888101112000001.
 */
export function clearingAccountNo(bankCode: string): string {
  const digits = [...bankCode.toUpperCase()]
    .map((c) => String(Number.parseInt(c, 36)).padStart(2, '0'))
    .join('');
  return `8888${digits}`.padEnd(16, '0').slice(0, 16);
}
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
export function normalizeDate(s: string, what = '--pay-date'): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  if (m === null) throw new Error(`${what}: expected YYYY-MM-DD, got ${JSON.stringify(s)}`);
  const [, y = '', mo = '', d = ''] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    throw new Error(`${what}: not a calendar date: ${s}`);
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
  const pbocUrl = (str(raw, 'pbocUrl') ?? DEFAULT_PBOC_URL).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(pbocUrl)) throw new Error('--pboc-url: expected an http(s) URL');
  const tsaAcct = str(raw, 'tsaAcct') ?? DEFAULT_TSA_ACCT;
  if (!/^[A-Za-z0-9-]{1,32}$/.test(tsaAcct)) throw new Error('--tsa-acct: letters, digits and - only (≤ 32)');
  const agentAcct = str(raw, 'agentAcct') ?? clearingAccountNo(bankCode);
  if (!/^[A-Za-z0-9-]{1,32}$/.test(agentAcct)) {
    throw new Error('--agent-acct: letters, digits and - only (≤ 32)');
  }
  const bounceAfter = str(raw, 'bounceAfter') ?? 'receipt';
  if (bounceAfter !== 'receipt' && bounceAfter !== 'clearing') {
    throw new Error(`--bounce-after: expected receipt or clearing, got ${JSON.stringify(bounceAfter)}`);
  }
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
      duplicateClearing: rate(raw, 'duplicateClearing'),
      loseReceipt: rate(raw, 'loseReceipt'),
      doubleRefund: rate(raw, 'doubleRefund'),
    },
    crashAfter: crash === undefined ? null : int(raw, 'crashAfter', 0, 1, Number.MAX_SAFE_INTEGER),
    pbocUrl,
    tsaAcct,
    agentAcct,
    bounceAfter,
  };
}
