/**
 * Money is an integer number of fen (分) held in a bigint. A float never holds money: binary floats
 * cannot represent 0.1 yuan exactly, and sums of them drift.
 */
export type Fen = bigint;

/** Thrown by {@link parseYuan}; `input` lets callers point at the offending cell or field. */
export class MoneyFormatError extends Error {
  readonly input: string;
  constructor(input: string) {
    super(`not a yuan amount: ${JSON.stringify(input)}`);
    this.name = 'MoneyFormatError';
    this.input = input;
  }
}

// Same shape as `yuanSchema` in @fiscus/contracts, so anything that passes edge validation parses.
// 15 integer digits keeps every amount far inside PostgreSQL numeric(20,2) and int8 fen.
const YUAN_PATTERN = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/;

export function parseYuan(s: string): Fen {
  const m = YUAN_PATTERN.exec(s);
  if (m === null) throw new MoneyFormatError(s);
  const [, sign = '', int = '', frac = ''] = m;
  const fen = BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
  return sign === '-' ? -fen : fen;
}

function splitFen(f: Fen): { negative: boolean; yuan: bigint; cents: string } {
  const negative = f < 0n;
  const abs = negative ? -f : f;
  return { negative, yuan: abs / 100n, cents: (abs % 100n).toString().padStart(2, '0') };
}

export function formatYuan(f: Fen): string {
  const { negative, yuan, cents } = splitFen(f);
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

export function formatYuanGrouped(f: Fen): string {
  const { negative, yuan, cents } = splitFen(f);
  return `${negative ? '-' : ''}${groupThousands(yuan.toString())}.${cents}`;
}

const FEN_PER_WAN_YUAN = 1_000_000n;

/**
 * 万元 with `decimals` places, rounded half away from zero (四舍五入 as used in budget reports), so
 * that a table of negatives is the mirror image of the positives.
 */
export function formatWanYuan(f: Fen, decimals = 2): string {
  if (!Number.isSafeInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a non-negative integer, got ${decimals}`);
  }
  const negative = f < 0n;
  const abs = negative ? -f : f;
  const scale = 10n ** BigInt(decimals);
  const scaled = (abs * scale * 2n + FEN_PER_WAN_YUAN) / (FEN_PER_WAN_YUAN * 2n);
  const int = scaled / scale;
  const frac = decimals === 0 ? '' : `.${(scaled % scale).toString().padStart(decimals, '0')}`;
  // An amount that rounds to zero is shown as zero, not "-0.00".
  return `${negative && scaled !== 0n ? '-' : ''}${int}${frac}`;
}

const CN_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const CN_IN_SECTION = ['', '拾', '佰', '仟'] as const;
const CN_SECTIONS = ['', '万', '亿', '万'] as const;
const MAX_CAPITAL_YUAN = 10n ** 16n - 1n;

function cnDigit(d: bigint): string {
  return CN_DIGITS[Number(d)]!;
}

/**
 * 中文大写金额 following the filling rules attached to 中国人民银行《支付结算办法》. Where the rules
 * allow a choice this picks one and sticks to it:
 * - every run of zeros inside the yuan part becomes one 零, including a zero 万位 or 亿位 before a
 *   non-zero digit (105000 → 壹拾万零伍仟元整);
 * - no 零 between 元 and a non-zero 角 even when 元位 is zero (1680.32 → 壹仟陆佰捌拾元叁角贰分);
 * - 零 after 元 when 角 is zero and 分 is not (325.04 → 叁佰贰拾伍元零肆分);
 * - 整 after 元 or 角 when there is no 分;
 * - 1x is written 壹拾, as vouchers require, never 拾.
 */
export function toChineseCapital(f: Fen): string {
  const negative = f < 0n;
  const abs = negative ? -f : f;
  const yuan = abs / 100n;
  const jiao = (abs / 10n) % 10n;
  const fen = abs % 10n;
  if (yuan > MAX_CAPITAL_YUAN) throw new RangeError(`amount too large for 大写: ${formatYuan(f)}`);

  let out = '';
  if (yuan > 0n) out += `${capitalInteger(yuan)}元`;
  if (jiao > 0n) {
    out += `${cnDigit(jiao)}角`;
  } else if (fen > 0n && yuan > 0n) {
    out += '零';
  }
  if (fen > 0n) {
    out += `${cnDigit(fen)}分`;
  } else {
    out = out === '' ? '零元整' : `${out}整`;
  }
  return (negative ? '负' : '') + out;
}

function capitalInteger(n: bigint): string {
  const sections: bigint[] = [];
  for (let rest = n; rest > 0n; rest /= 10000n) sections.push(rest % 10000n);
  let out = '';
  // Set by a zero digit once something has been written; emitted as a single 零 only when a
  // non-zero digit follows, so runs collapse and trailing zeros vanish.
  let zeroPending = false;
  for (let s = sections.length - 1; s >= 0; s--) {
    const section = sections[s]!;
    if (section === 0n) {
      if (out !== '') zeroPending = true;
      continue;
    }
    for (let p = 3; p >= 0; p--) {
      const digit = (section / 10n ** BigInt(p)) % 10n;
      if (digit === 0n) {
        if (out !== '') zeroPending = true;
        continue;
      }
      if (zeroPending) out += '零';
      zeroPending = false;
      out += cnDigit(digit) + CN_IN_SECTION[p]!;
    }
    out += CN_SECTIONS[s]!;
    // 万亿 takes both units only when the 亿 section is empty: 壹万亿 but 壹万贰仟亿.
    if (s === 3 && sections[2] === 0n) out += '亿';
  }
  return out;
}

/**
 * Splits `total` in proportion to `weights` by largest remainder: the parts sum to `total` exactly,
 * each differs from its exact share by less than one fen, and leftover fen go to the largest
 * remainders, the lower index first on ties so the result is deterministic.
 */
export function allocate(total: Fen, weights: readonly bigint[]): Fen[] {
  if (weights.length === 0) throw new RangeError('allocate: weights must not be empty');
  let weightSum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError(`allocate: negative weight ${w}`);
    weightSum += w;
  }
  if (weightSum === 0n) throw new RangeError('allocate: weights must not all be zero');

  // Allocating the magnitude and restoring the sign makes -x split as the mirror image of x.
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts = weights.map((w) => (abs * w) / weightSum);
  const remainders = weights.map((w, index) => ({ index, remainder: (abs * w) % weightSum }));
  let leftover = abs - sumFen(parts);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index]! += 1n;
    leftover -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

export function sumFen(xs: Iterable<Fen>): Fen {
  let sum = 0n;
  for (const x of xs) sum += x;
  return sum;
}

export function absFen(f: Fen): Fen {
  return f < 0n ? -f : f;
}

export function minFen(first: Fen, ...rest: Fen[]): Fen {
  let min = first;
  for (const x of rest) if (x < min) min = x;
  return min;
}

export function maxFen(first: Fen, ...rest: Fen[]): Fen {
  let max = first;
  for (const x of rest) if (x > max) max = x;
  return max;
}
