import type { CommandResult } from '@fiscus/contracts';

/** One printed line: a measured figure against its goal. */
export interface Figure {
  figure: string;
  name: string;
  value: number | null;
  unit: string;
  baseline: string | null;
  baselineValue: number | null;
  ratio: number | null;
  goal: string;
  met: boolean | null;
  sizes: Record<string, unknown>;
  errors?: number;
  error?: string;
  note?: string;
}

export const REGION = '530700000';
export const PROVINCE = '530000000';
export const YEAR = 2026;
export const ON = '2026-03-01';
export const ACTOR = { defaultActor: 'budget' } as const;

/** 丽江市第一中学 (205002), 差旅费: the demo's executable indicator shape. */
const ELEMENTS = {
  agencyCode: '205002',
  deptCode: '205',
  expFuncCode: '2050203',
  depEcoCode: '30211',
  govEcoCode: '50201',
  fundTypeCode: '111',
  sourceTypeCode: '1',
  payTypeCode: '11',
};

export const indicatorId = (n: number) => `BENCH-${String(n).padStart(5, '0')}`;
export const HOT_INDICATOR = 'BENCH-HOT';
const indicator = (id: string) => ({ indicatorId: id, ...ELEMENTS });

let seq = 0;
/** Command ids unique within the run (the scratch database is new, so within the database). */
export const nextId = (tag: string) => `bench-${tag}-${(++seq).toString(36)}`;

const envelope = (id: string, payload: unknown) => ({
  id,
  type: 'ledger.post',
  region: REGION,
  year: YEAR,
  on: ON,
  payload,
});

/** 年初批复 into the executable pool. */
export const approve = (id: string, amount: string) =>
  envelope(nextId('a'), { scenario: 'approve', amount, to: indicator(id), pool: 'executable' });

/**
 * 支付申请审核通过 of 1.00 yuan with the payment facts, so the payment rules (elements match,
 * large payment, procurement, payroll, direct reach) evaluate rather than stay silent.
 */
export const payment = (id: string, tag: string) =>
  envelope(nextId(tag), {
    scenario: 'applicationApproved',
    amount: '1.00',
    indicator: indicator(id),
    payment: {
      elements: indicator(id),
      contractNo: null,
      payeeAccountKind: 'other',
      beneficiaryCount: 0,
      extraApproval: false,
    },
  });

export function countResults(rs: readonly CommandResult[]): { ok: number; errors: number; first?: string } {
  let ok = 0;
  let errors = 0;
  let first: string | undefined;
  for (const r of rs) {
    if (r.status === 'accepted' && !r.replayed) ok++;
    else {
      errors++;
      first ??= r.status === 'rejected' ? `${r.error.code} ${JSON.stringify(r.error.params)}` : 'replayed';
    }
  }
  return first === undefined ? { ok, errors } : { ok, errors, first };
}

const started = Date.now();
let muted = false;
/** Progress on stderr, with the time since the start (silent once interrupted, unless `always`). */
export const log = (s: string, always = false) => {
  if (!muted || always)
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${s}\n`);
};
/** Interrupted: what fails from now on is the interruption's doing. */
export const mute = () => {
  muted = true;
};
export const interrupted = () => muted;

export const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export interface TimedRun {
  ok: number;
  errors: number;
  seconds: number;
  firstError?: string;
}

/**
 * `clients` loops calling `step` until the deadline (and at least `minRounds` times each); counts
 * what completed, over the time until the last loop returned (a step started before the deadline
 * is waited for and counted).
 */
export async function timedLoops(
  clients: number,
  durationS: number,
  label: string,
  step: (client: number, i: number) => Promise<{ ok: number; errors: number; first?: string }>,
  minRounds = 0,
): Promise<TimedRun> {
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + durationS * 1000;
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const ticker = setInterval(() => log(`  ${label}: ${seconds(t0).toFixed(0)} s, ${ok} done`), 5000);
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < minRounds || Date.now() < deadline; i++) {
          const r = await step(c, i);
          ok += r.ok;
          errors += r.errors;
          if (r.first) firstError ??= r.first;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const run: TimedRun = { ok, errors, seconds: seconds(t0) };
  if (firstError) run.firstError = firstError;
  return run;
}
