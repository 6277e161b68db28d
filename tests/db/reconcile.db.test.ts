import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../../packages/core/src/exchange/crypto/sm2';
import { encodeEnvelope } from '../../packages/core/src/exchange/voucher/envelope';
import type { EnvelopeEntry, Voucher, VoucherFields } from '../../packages/core/src/exchange/voucher/model';
import { signVoucher } from '../../packages/core/src/exchange/voucher/signing';
import {
  BANK_POSITION,
  PBOC_POSITION,
  receiveBankMessage,
} from '../../packages/core/src/payments/vouchers/inbox';
import {
  setTrustedKeysForTests,
  trustedCounterpartKeys,
} from '../../packages/core/src/payments/vouchers/keys';
import { as, cmd, errorCode, ok, run1 } from './helpers';
import { paymentFixture, SCHOOL } from './payment-fixture';

type Fx = Awaited<ReturnType<typeof paymentFixture>>;
let fx: Fx;
const pboc = new Sm2SoftwareSigner('pboc-test', generateSm2KeyPair());
const REGION = '530700000';
const D0 = '2026-11-02';
const D1 = '2026-11-03';
const d8 = (d: string) => d.replaceAll('-', '');
const fen = (y: string) => BigInt(Math.round(Number(y) * 100));

interface Paid {
  vtCode: string;
  voucherNo: string;
  amount: bigint;
  entry: EnvelopeEntry;
}

let adm = '';
let seq = 0;

/** The bank's receipt of a voucher, paid on `date`, signed at `bank` (or with a broken signature). */
async function receipt(p: Paid, date: string, broken = false): Promise<Buffer> {
  const header = {
    ...p.entry.voucher.header,
    XPayDate: d8(date),
    XPayAmt: p.amount,
    XAgentBusinessNo: `B${p.voucherNo}`,
  };
  let voucher = await signVoucher({ ...p.entry.voucher, header }, fx.bank, BANK_POSITION);
  if (broken)
    voucher = {
      ...voucher,
      signatures: voucher.signatures.map((s) =>
        s.position === BANK_POSITION ? { ...s, value: new Uint8Array(s.value.length).fill(7) } : s,
      ),
    };
  return Buffer.from(encodeEnvelope([{ flag: 'receipt', returnReason: '', attach: '', voucher }]));
}

async function refund(p: Paid, date: string): Promise<Buffer> {
  const h = p.entry.voucher.header;
  const no = `RF${d8(date)}${++seq}`;
  const notice: Voucher = {
    header: {
      Id: `R${no}`,
      AdmDivCode: h.AdmDivCode!,
      StYear: h.StYear!,
      VtCode: '2203',
      VouDate: d8(date),
      VoucherNo: no,
      AgentBusinessNo: `RB${no}`,
      OriBillNo: p.voucherNo,
      OriVtCode: p.vtCode,
      PayAmt: p.amount,
      PayDate: d8(date),
      Remark: '收款账户户名不符',
    },
    details: [],
    signatures: [],
  };
  const voucher = await signVoucher(notice, fx.bank, BANK_POSITION, { scope: 'voucher' });
  return Buffer.from(encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher }]));
}

/** Receipts and refund notices booked on their business date (the ledger's date of the payment). */
async function book(bytes: Buffer, on: string) {
  const rs = await receiveBankMessage(fx.t.db, bytes, await trustedCounterpartKeys(), { on });
  for (const r of rs) ok(r);
}

async function pay(amount: string): Promise<Paid> {
  const s = await fx.signed('direct', amount);
  const entry = await fx.storedEntry(s.vtCode, s.voucherNo);
  adm = String(entry.voucher.header.AdmDivCode);
  return { vtCode: s.vtCode, voucherNo: s.voucherNo, amount: fen(amount), entry };
}

const common = (vt: string, date: string, no: string) => ({
  Id: `ID${no}`,
  AdmDivCode: adm,
  StYear: '2026',
  VtCode: vt,
  VouDate: d8(date),
  VoucherNo: no,
});

async function send(voucher: Voucher, signer: Sm2SoftwareSigner, position: string) {
  const signed = await signVoucher(voucher, signer, position, { scope: 'voucher' });
  const res = await fx.post(
    Buffer.from(encodeEnvelope([{ flag: 'send', returnReason: '', attach: '', voucher: signed }])),
  );
  return res;
}

interface DayReports {
  /** The bank's 2206 lines: voucher and signed amount (negative: a refund). */
  bank: { no: string; amount: bigint }[];
  /** The PBOC's 3501 lines: voucher, amount, 0 paid / 1 refunded. */
  pboc: { no: string; amount: bigint; state: 0 | 1 }[];
}

/** 2206 + 3513 from the bank, 3410 + 3501 + 3513 from the PBOC, each signed and posted to the inbox. */
async function postReports(date: string, r: DayReports) {
  const tag = `${d8(date)}${++seq}`;
  const bankLines: VoucherFields[] = r.bank.map((l, i) => ({
    Id: `L${i}`,
    VoucherNo: l.no,
    OriVtCode: '5201',
    SupDepCode: '205',
    AgencyCode: '205002',
    ExpFuncCode: '2050203',
    PayDate: d8(date),
    PayAmt: l.amount,
  }));
  const pos = r.bank.filter((l) => l.amount > 0n).reduce((t, l) => t + l.amount, 0n);
  const neg = r.bank.filter((l) => l.amount < 0n).reduce((t, l) => t - l.amount, 0n);
  const responses = [];
  responses.push(
    await send(
      {
        header: {
          ...common('2206', date, `2206${tag}`),
          ReportDate: d8(date),
          PayAmt: pos - neg,
          PosAmt: pos,
          NegAmt: neg,
          FundTypeCode: '111',
          PayTypeCode: '11',
          PayBankCode: 'ABC001',
        },
        details: bankLines,
        signatures: [],
      },
      fx.bank,
      BANK_POSITION,
    ),
  );
  const cleared = r.pboc.reduce((t, l) => t + (l.state === 0 ? l.amount : -l.amount), 0n);
  responses.push(
    await send(
      {
        header: {
          ...common('3501', date, `3501${tag}`),
          TreCode: '2707000000',
          CheckDate: d8(date),
          EVoucherType: '5201',
          AllNum: String(r.pboc.length),
          AllAmt: r.pboc.reduce((t, l) => t + l.amount, 0n),
        },
        details: r.pboc.map((l, i) => ({
          Id: `P${i}`,
          VoucherNo: l.no,
          Amt: l.amount,
          ProState: String(l.state),
        })),
        signatures: [],
      },
      pboc,
      PBOC_POSITION,
    ),
  );
  responses.push(
    await send(
      {
        header: {
          ...common('3410', date, `3410${tag}`),
          TreCode: '2707000000',
          ReportDate: d8(date),
          PayAmt: cleared,
        },
        details: [
          {
            Id: 'E1',
            SupDepCode: '205',
            ExpFuncCode: '2050203',
            FundTypeCode: '111',
            PayTypeCode: '11',
            PayBankCode: 'ABC001',
            PayAmt: cleared,
          },
        ],
        signatures: [],
      },
      pboc,
      PBOC_POSITION,
    ),
  );
  const paidOut = r.bank.filter((l) => l.amount > 0n).reduce((t, l) => t + l.amount, 0n);
  responses.push(
    await send(
      {
        header: {
          ...common('3513', date, `3513B${tag}`),
          AcctNo: '6228000000000001',
          AcctName: '财政零余额账户',
          AcctKind: 'financeZeroBalance',
          BankCode: 'ABC001',
          BeginDate: d8(date),
          EndDate: d8(date),
          OpenAmt: 0n,
          DebitAmt: paidOut,
          CreditAmt: paidOut,
          CloseAmt: 0n,
        },
        details: [],
        signatures: [],
      },
      fx.bank,
      BANK_POSITION,
    ),
  );
  const open = 100_000_000_00n;
  responses.push(
    await send(
      {
        header: {
          ...common('3513', date, `3513P${tag}`),
          AcctNo: '270751000001',
          AcctName: '国库单一账户',
          AcctKind: 'treasurySingle',
          BeginDate: d8(date),
          EndDate: d8(date),
          OpenAmt: open,
          DebitAmt: cleared,
          CreditAmt: 0n,
          CloseAmt: open - cleared,
        },
        details: [],
        signatures: [],
      },
      pboc,
      PBOC_POSITION,
    ),
  );
  for (const res of responses) {
    expect(res.statusCode, res.body).toBe(200);
    for (const x of res.json().results) expect(x.status, JSON.stringify(x)).toBe('accepted');
  }
  return responses;
}

/** The PBOC's 3504 of `date`, one coding line per amount (the fixture's coding); finance's answer. */
async function clearingCheck(date: string, amounts: bigint[]) {
  const no = `3504${d8(date)}${++seq}`;
  const res = await send(
    {
      header: {
        ...common('3504', date, no),
        TreCode: '2707000000',
        ClearAccNo: '270751000001',
        BeginDate: d8(date),
        EndDate: d8(date),
        AllAmt: amounts.reduce((t, a) => t + a, 0n),
      },
      details: amounts.map((a, i) => ({
        Id: `K${i}`,
        SupDepCode: '205',
        FundTypeCode: '111',
        PayBankCode: 'ABC001',
        ExpFuncCode: '2050203',
        PayTypeCode: '11',
        ClearAmt: a,
      })),
      signatures: [],
    },
    pboc,
    PBOC_POSITION,
  );
  expect(res.statusCode, res.body).toBe(200);
  const [r] = res.json().results;
  expect(r.status, JSON.stringify(r)).toBe('accepted');
  return r.result as { checkResult: string; checkReason: string };
}

/** An approved executable indicator of 1 000.00 (a correction's target). */
async function approvedIndicator(docNo: string, indicatorId: string, elements: Record<string, string>) {
  const d = ok(
    await run1(
      fx.t.db,
      cmd('indicatorDoc.draft', {
        docNo,
        title: '更正对账测试',
        body: {
          docType: 'approve',
          lines: [{ indicatorId, amount: '1000.00', pool: 'executable', elements }],
        },
      }),
      as('budget'),
    ),
  );
  ok(await run1(fx.t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(fx.t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
}

/** 更正 of a paid voucher onto `indicatorId` on `on`: prepared by treasury, approved by reviewer. */
async function correctPaid(p: Paid, indicatorId: string, reason: string, on: string) {
  const app = await fx.t.db
    .selectFrom('payments.voucher')
    .select('application_id')
    .where('voucher_no', '=', p.voucherNo)
    .executeTakeFirstOrThrow();
  const payload = { applicationId: app.application_id, agencyCode: '205002', to: { indicatorId }, reason };
  const prep = ok(await run1(fx.t.db, cmd('payment.correct', payload, { on }), as('treasury')));
  const approve = { correctionId: prep.correctionId, agencyCode: '205002' };
  ok(await run1(fx.t.db, cmd('payment.approveCorrection', approve, { on }), as('reviewer')));
}

const reconcile = (date: string, over: Record<string, unknown> = {}, user = 'treasury') =>
  run1(fx.t.db, cmd('reconcile.run', { date }, { on: '2026-12-01', ...over }), as(user));

async function differencesOf(runId: string) {
  return fx.t.db
    .selectFrom('reconcile.difference')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('difference_id')
    .execute();
}

beforeAll(async () => {
  fx = await paymentFixture('RC');
  setTrustedKeysForTests(
    new Map([
      [fx.bank.keyId, fx.bank.publicKey],
      [pboc.keyId, pboc.publicKey],
    ]),
  );
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

describe('reconciliation (对账)', () => {
  let clean: { runId: string };
  let faults: { runId: string };
  const v: Record<string, Paid> = {};

  it('a day without faults reconciles to zero differences in every layer', async () => {
    for (const [k, a] of [
      ['C1', '210.00'],
      ['C2', '220.50'],
      ['C3', '230.00'],
    ] as const) {
      v[k] = await pay(a);
      await book(await receipt(v[k]!, D0), D0);
    }
    await book(await refund(v.C3!, D0), D0);
    await postReports(D0, {
      bank: [
        { no: v.C1!.voucherNo, amount: v.C1!.amount },
        { no: v.C2!.voucherNo, amount: v.C2!.amount },
        { no: v.C3!.voucherNo, amount: v.C3!.amount },
        { no: v.C3!.voucherNo, amount: -v.C3!.amount },
      ],
      pboc: [
        { no: v.C1!.voucherNo, amount: v.C1!.amount, state: 0 },
        { no: v.C2!.voucherNo, amount: v.C2!.amount, state: 0 },
        { no: v.C3!.voucherNo, amount: v.C3!.amount, state: 0 },
        { no: v.C3!.voucherNo, amount: v.C3!.amount, state: 1 },
      ],
    });
    const r = ok(await reconcile(D0)) as { runId: string; differences: number };
    clean = r;
    const ds = await differencesOf(r.runId);
    expect(ds.map((d) => d.detail_en)).toEqual([]);
    expect(r.differences).toBe(0);
    const pairs = await fx.t.db
      .selectFrom('reconcile.run_pair')
      .selectAll()
      .where('run_id', '=', r.runId)
      .execute();
    expect(pairs.map((p) => `${p.layer} ${p.pair}`).sort()).toEqual([
      'L1 bank-pboc',
      'L1 finance-bank',
      'L1 finance-pboc',
      'L2 bank-pboc',
      'L2 finance-bank',
      'L2 finance-pboc',
      'L3 finance-bank',
      'L3 finance-ledger',
      'L3 finance-pboc',
    ]);
    const l1 = pairs.find((p) => p.layer === 'L1' && p.pair === 'finance-bank')!;
    expect(l1).toMatchObject({ count_a: 4, count_b: 4, matched_count: 4, difference_count: 0 });
    expect(BigInt(l1.matched_fen)).toBe(v.C1!.amount + v.C2!.amount + 2n * v.C3!.amount);
    for (const p of pairs) expect(p.difference_count, `${p.layer} ${p.pair}`).toBe(0);
  });

  it('a resent report is a duplicate, not counted twice', async () => {
    const before = await fx.t.db
      .selectFrom('reconcile.report_line')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const rpt = await fx.t.db
      .selectFrom('reconcile.report')
      .selectAll()
      .where('vt_code', '=', '2206')
      .where('report_date', '=', D0)
      .executeTakeFirstOrThrow();
    const lines = await fx.t.db
      .selectFrom('reconcile.report_line')
      .selectAll()
      .where('report_id', '=', rpt.report_id)
      .orderBy('line_no')
      .execute();
    const res = await send(
      {
        header: {
          ...common('2206', D0, rpt.voucher_no),
          ReportDate: d8(D0),
          PayAmt: lines.reduce((t, l) => t + BigInt(l.amount_fen), 0n),
          FundTypeCode: '111',
          PayTypeCode: '11',
          PayBankCode: 'ABC001',
        },
        details: lines.map((l, i) => ({
          Id: `X${i}`,
          VoucherNo: l.voucher_no!,
          PayAmt: BigInt(l.amount_fen),
        })),
        signatures: [],
      },
      fx.bank,
      BANK_POSITION,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0].result).toMatchObject({ duplicate: true });
    const after = await fx.t.db
      .selectFrom('reconcile.report_line')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const r = ok(await reconcile(D0)) as { differences: number; supersedes: string };
    expect(r.differences).toBe(0);
    expect(r.supersedes).toBe(clean.runId);
  });

  it('a PBOC report signed with an unknown key or at the bank position is refused and recorded', async () => {
    const stranger = new Sm2SoftwareSigner('pboc-stranger', generateSm2KeyPair());
    const body = (no: string) => ({
      header: { ...common('3410', D0, no), TreCode: '2707000000', ReportDate: d8(D0), PayAmt: 0n },
      details: [],
      signatures: [],
    });
    const a = await send(body('3410BAD1'), stranger, PBOC_POSITION);
    expect(a.json().error.code).toBe('MESSAGE_SIGNATURE_INVALID');
    // The bank's (trusted) key does not make a PBOC report: it must be signed at `pboc`.
    const b = await send(body('3410BAD2'), fx.bank, BANK_POSITION);
    expect(b.json().error.code).toBe('MESSAGE_SIGNATURE_INVALID');
    const rows = await fx.t.db
      .selectFrom('reconcile.rejected_message')
      .selectAll()
      .where('voucher_no', 'in', ['3410BAD1', '3410BAD2'])
      .execute();
    expect(rows.map((r) => [r.sender, r.vt_code, r.message_date])).toEqual([
      ['pboc', '3410', D0],
      ['pboc', '3410', D0],
    ]);
    // Rerun: both refused messages are signature differences of D0 (L2, the 3410's layer), once each.
    const r = ok(await reconcile(D0)) as { runId: string };
    const ds = await differencesOf(r.runId);
    expect(ds.map((d) => [d.layer, d.kind, d.party, d.voucher_no])).toEqual([
      ['L2', 'signature', 'pboc', '3410BAD1'],
      ['L2', 'signature', 'pboc', '3410BAD2'],
    ]);
  });

  it('finds every planted fault and names it exactly once', async () => {
    const names = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7'];
    for (const [i, k] of names.entries()) v[k] = await pay(`${301 + i}.00`);
    // V1: the receipt is lost (never sent). V5: its receipt has a broken signature.
    for (const k of ['V2', 'V3', 'V4', 'V6', 'V7']) await book(await receipt(v[k]!, D1), D1);
    const broken = await fx.post(await receipt(v.V5!, D1, true));
    expect(broken.json().error.code).toBe('MESSAGE_SIGNATURE_INVALID');
    await book(await refund(v.V6!, D1), D1);
    const line = (k: string, amount = v[k]!.amount) => ({ no: v[k]!.voucherNo, amount });
    await postReports(D1, {
      bank: [
        line('V1'),
        // V2: the bank's report lost the line.
        line('V3'),
        line('V4', v.V4!.amount + 100n), // V4: altered amount
        line('V5'),
        line('V6'),
        line('V6', -v.V6!.amount),
        line('V6', -v.V6!.amount), // V6: the refund recorded twice
        line('V7'),
      ],
      pboc: [
        ...['V1', 'V2', 'V3', 'V3', 'V4', 'V5', 'V6', 'V7'].map((k) => ({ ...line(k), state: 0 as const })), // V3 cleared twice
        { ...line('V6'), state: 1 as const },
      ],
    });
    const r = ok(await reconcile(D1)) as { runId: string; differences: number };
    faults = r;
    const ds = await differencesOf(r.runId);
    const l1 = ds
      .filter((d) => d.layer === 'L1')
      .map((d) => [d.kind, d.party, d.voucher_no, d.item_key.split(':')[0]]);
    expect(l1.sort()).toEqual(
      [
        ['missing', 'finance', v.V1!.voucherNo, 'pay'],
        ['missing', 'bank', v.V2!.voucherNo, 'pay'],
        ['duplicated', 'pboc', v.V3!.voucherNo, 'pay'],
        ['amount', 'bank', v.V4!.voucherNo, 'pay'],
        ['signature', 'finance', v.V5!.voucherNo, 'pay'],
        ['duplicated', 'bank', v.V6!.voucherNo, 'refund'],
      ].sort(),
    );
    // Each faulty voucher is named by exactly one difference; the sound one by none.
    for (const k of ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'])
      expect(
        ds.filter((d) => d.voucher_no === v[k]!.voucherNo),
        k,
      ).toHaveLength(1);
    expect(ds.filter((d) => d.voucher_no === v.V7!.voucherNo)).toHaveLength(0);
    const amount = ds.find((d) => d.kind === 'amount' && d.layer === 'L1')!;
    expect([BigInt(amount.expected_fen!), BigInt(amount.actual_fen!)]).toEqual([
      v.V4!.amount,
      v.V4!.amount + 100n,
    ]);
    expect(amount.detail_zh).toContain('代理银行直接支付日报（2206）');
    // The faults carry into the day's totals: L2 per coding line and the L3 treasury movement.
    expect(ds.filter((d) => d.layer === 'L2').length).toBeGreaterThan(0);
    expect(ds.some((d) => d.layer === 'L3' && d.pair === 'finance-pboc')).toBe(true);
    // The units' paid vouchers still agree with the ledger: finance's own books are consistent.
    expect(ds.some((d) => d.pair === 'finance-ledger')).toBe(false);
    expect(r.differences).toBe(ds.length);
  });

  it('a rerun is idempotent and keeps the dispositions of unchanged differences', async () => {
    const ds = await differencesOf(faults.runId);
    const target = ds.find((d) => d.kind === 'missing' && d.party === 'bank')!;
    ok(
      await run1(
        fx.t.db,
        cmd('reconcileDiff.assign', { differenceId: target.difference_id, assignee: 'treasury' }),
        as('treasury'),
      ),
    );
    ok(
      await run1(
        fx.t.db,
        cmd('reconcileDiff.explain', {
          differenceId: target.difference_id,
          explanation: '银行日报漏报该笔，已通知补报',
        }),
        as('treasury'),
      ),
    );
    const again = cmd('reconcile.run', { date: D1 }, { on: '2026-12-01' });
    const r2 = await run1(fx.t.db, again, as('treasury'));
    const second = ok(r2) as { runId: string; supersedes: string; carried: number };
    expect(second.supersedes).toBe(faults.runId);
    expect(second.carried).toBe(ds.length);
    // The same request id again replays: no third run.
    const replay = await run1(fx.t.db, again, as('treasury'));
    expect(replay.status === 'accepted' && replay.replayed).toBe(true);
    const ds2 = await differencesOf(second.runId);
    expect(ds2.map((d) => d.fingerprint).sort()).toEqual(ds.map((d) => d.fingerprint).sort());
    const carried = ds2.find((d) => d.fingerprint === target.fingerprint)!;
    expect(carried).toMatchObject({
      state: 'explained',
      explained_by: 'treasury',
      carried_from: target.difference_id,
    });
    const runs = await fx.t.db
      .selectFrom('reconcile.run')
      .selectAll()
      .where('run_date', '=', D1)
      .orderBy('ran_at')
      .execute();
    expect(runs.map((x) => x.state)).toEqual(['superseded', 'current']);
    // A difference of the superseded run is not disposed of any more.
    const old = ds.find((d) => d.difference_id !== target.difference_id)!;
    expect(
      errorCode(
        await run1(
          fx.t.db,
          cmd('reconcileDiff.assign', { differenceId: old.difference_id, assignee: 'treasury' }),
          as('treasury'),
        ),
      ),
    ).toBe('RECONCILE_RUN_SUPERSEDED');
    faults = second;
  });

  it('walks the disposition workflow and refuses what it must', async () => {
    const ds = await differencesOf(faults.runId);
    const explained = ds.find((d) => d.state === 'explained')!;
    const open = ds.find((d) => d.state === 'open')!;
    const id = open.difference_id;
    const step = (
      type: string,
      payload: Record<string, unknown>,
      user: string,
      over: Record<string, unknown> = {},
    ) => run1(fx.t.db, cmd(type, { differenceId: id, ...payload }, over), as(user));
    // Invalid input.
    expect(errorCode(await step('reconcileDiff.assign', { assignee: '' }, 'treasury'))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      errorCode(
        await run1(
          fx.t.db,
          cmd('reconcileDiff.assign', { differenceId: 'X1', assignee: 'a' }),
          as('treasury'),
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(errorCode(await step('reconcileDiff.assign', { assignee: 'nobody-here' }, 'treasury'))).toBe(
      'NOT_FOUND',
    );
    // Permission: a unit clerk may not dispose of reconciliation differences, nor run one.
    expect(errorCode(await step('reconcileDiff.assign', { assignee: 'treasury' }, 'clerk'))).toBe(
      'PERMISSION_DENIED',
    );
    expect(errorCode(await reconcile(D1, {}, 'clerk'))).toBe('PERMISSION_DENIED');
    // Wrong state.
    expect(
      errorCode(await step('reconcileDiff.resolve', { resolution: 'accepted', note: '无误' }, 'ptreasury')),
    ).toBe('STATE_INVALID');
    expect(errorCode(await step('reconcileDiff.explain', { explanation: '原因' }, 'treasury'))).toBe(
      'STATE_INVALID',
    );
    // Assign; a repeated request id replays, the same id with other content is refused.
    const assign = cmd('reconcileDiff.assign', { differenceId: id, assignee: 'treasury' });
    ok(await run1(fx.t.db, assign, as('treasury')));
    const rep = await run1(fx.t.db, assign, as('treasury'));
    expect(rep.status === 'accepted' && rep.replayed).toBe(true);
    expect(
      errorCode(
        await run1(
          fx.t.db,
          { ...assign, payload: { differenceId: id, assignee: 'ptreasury' } },
          as('treasury'),
        ),
      ),
    ).toBe('COMMAND_ID_REUSED');
    // Only the assignee explains.
    expect(errorCode(await step('reconcileDiff.explain', { explanation: '原因' }, 'ptreasury'))).toBe(
      'RECONCILE_NOT_ASSIGNEE',
    );
    ok(await step('reconcileDiff.explain', { explanation: '人行重复清算，已联系退回' }, 'treasury'));
    // SoD: who explained cannot resolve.
    const sod = await step(
      'reconcileDiff.resolve',
      { resolution: 'counterpartCorrected', note: '人行已冲正' },
      'treasury',
    );
    expect(errorCode(sod)).toBe('SOD_SAME_PERSON');
    if (sod.status === 'rejected') {
      expect(sod.error.message['zh-CN']).toContain('不相容职务分离');
      expect(sod.error.message.en).toContain('Separation of duties');
    }
    expect(
      ok(
        await step(
          'reconcileDiff.resolve',
          { resolution: 'counterpartCorrected', note: '人行已冲正' },
          'ptreasury',
        ),
      ),
    ).toMatchObject({
      state: 'resolved',
    });
    expect(
      errorCode(await step('reconcileDiff.resolve', { resolution: 'accepted', note: '再次' }, 'ptreasury')),
    ).toBe('STATE_INVALID');
    expect(
      ok(
        await run1(
          fx.t.db,
          cmd('reconcileDiff.resolve', {
            differenceId: explained.difference_id,
            resolution: 'timing',
            note: '次日补报',
          }),
          as('ptreasury'),
        ),
      ),
    ).toMatchObject({ state: 'resolved' });
    const events = await fx.t.db
      .selectFrom('reconcile.difference_event')
      .selectAll()
      .where('difference_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => `${e.action}:${e.actor}:${e.from_state}>${e.to_state}`)).toEqual([
      'assign:treasury:open>assigned',
      'explain:treasury:assigned>explained',
      'resolve:ptreasury:explained>resolved',
    ]);
  });

  it('a correction (更正) is reconciled on its own day; the pay day stays as the bank reported it', async () => {
    const D2 = '2026-11-09';
    const D3 = '2026-11-10';
    // Another classification of the same school: 小学教育 instead of 初中教育.
    await approvedIndicator('丽财〔2026〕RC9', 'RC-FUNC2', {
      ...SCHOOL,
      expFuncCode: '2050202',
      payTypeCode: '11',
    });
    const p = await pay('345.67');
    await book(await receipt(p, D2), D2);
    await postReports(D2, {
      bank: [{ no: p.voucherNo, amount: p.amount }],
      pboc: [{ no: p.voucherNo, amount: p.amount, state: 0 }],
    });
    const first = ok(await reconcile(D2)) as { differences: number };
    expect(first.differences).toBe(0);

    await correctPaid(p, 'RC-FUNC2', '功能科目错误', D3);
    // The correction's day: no money moved, the ledger moved the paid amount between indicators.
    await postReports(D3, { bank: [], pboc: [] });
    const own = ok(await reconcile(D3)) as { runId: string; differences: number };
    expect((await differencesOf(own.runId)).map((x) => x.detail_en)).toEqual([]);
    // The pay day rerun: the voucher is still compared under the coding it was paid under.
    const again = ok(await reconcile(D2)) as { runId: string; differences: number };
    expect((await differencesOf(again.runId)).map((x) => x.detail_en)).toEqual([]);
    const stored = await fx.t.db
      .selectFrom('payments.voucher as v')
      .innerJoin('reconcile.coding as c', (j) =>
        j.onRef('c.region_code', '=', 'v.region_code').onRef('c.coding_id', '=', 'v.coding_id'),
      )
      .select(['v.exp_func_code', 'c.coding'])
      .where('v.voucher_no', '=', p.voucherNo)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ exp_func_code: '2050203', coding: '205002|2050203|205|111|11' });
  });

  it('a payment moved to another unit by a correction, then refunded: each day agrees with the ledger', async () => {
    const [D6, D7, D8] = ['2026-11-16', '2026-11-17', '2026-11-18'];
    await approvedIndicator('丽财〔2026〕RC10', 'RC-OTHER-UNIT', {
      ...SCHOOL,
      agencyCode: '205001',
      payTypeCode: '11',
    });
    const p = await pay('66.60');
    await book(await receipt(p, D6), D6);
    await postReports(D6, {
      bank: [{ no: p.voucherNo, amount: p.amount }],
      pboc: [{ no: p.voucherNo, amount: p.amount, state: 0 }],
    });
    expect((ok(await reconcile(D6)) as { differences: number }).differences).toBe(0);
    await correctPaid(p, 'RC-OTHER-UNIT', '单位错误', D7);
    await postReports(D7, { bank: [], pboc: [] });
    const r7 = ok(await reconcile(D7)) as { runId: string };
    expect((await differencesOf(r7.runId)).map((x) => x.detail_en)).toEqual([]);
    // The refund restores the new unit's indicator; the bank still reports it under the old coding.
    await book(await refund(p, D8), D8);
    await postReports(D8, {
      bank: [{ no: p.voucherNo, amount: -p.amount }],
      pboc: [{ no: p.voucherNo, amount: p.amount, state: 1 }],
    });
    const r8 = ok(await reconcile(D8)) as { runId: string };
    expect((await differencesOf(r8.runId)).map((x) => x.detail_en)).toEqual([]);
  });

  it('a voucher bounced the day it was paid, before clearing, is netted: the PBOC never saw it', async () => {
    const D4 = '2026-11-12';
    const kept = await pay('120.00');
    const bounced = await pay('56.78');
    for (const x of [kept, bounced]) await book(await receipt(x, D4), D4);
    await book(await refund(bounced, D4), D4);
    await postReports(D4, {
      bank: [
        { no: kept.voucherNo, amount: kept.amount },
        { no: bounced.voucherNo, amount: bounced.amount },
        { no: bounced.voucherNo, amount: -bounced.amount },
      ],
      // The bank's 2301 carried only the kept voucher.
      pboc: [{ no: kept.voucherNo, amount: kept.amount, state: 0 }],
    });
    const r = ok(await reconcile(D4)) as { runId: string; differences: number };
    expect((await differencesOf(r.runId)).map((x) => x.detail_en)).toEqual([]);
    const pairs = await fx.t.db
      .selectFrom('reconcile.run_pair')
      .selectAll()
      .where('run_id', '=', r.runId)
      .where('layer', '=', 'L1')
      .orderBy('pair')
      .execute();
    expect(pairs.map((x) => [x.pair, x.count_a, x.count_b, x.matched_count])).toEqual([
      ['bank-pboc', 1, 1, 1],
      ['finance-bank', 3, 3, 3],
      ['finance-pboc', 1, 1, 1],
    ]);
    // The PBOC's 3504 清算信息对账 of the day agrees with finance: answered 0 相符.
    const agreed = await clearingCheck(D4, [kept.amount]);
    expect(agreed).toMatchObject({ checkResult: '0', checkReason: '' });
    const again = ok(await reconcile(D4)) as { runId: string };
    expect((await differencesOf(again.runId)).map((x) => x.detail_en)).toEqual([]);
    // A PBOC that loses the kept voucher is still named.
    const D5 = '2026-11-13';
    const lostOne = await pay('77.00');
    await book(await receipt(lostOne, D5), D5);
    await postReports(D5, { bank: [{ no: lostOne.voucherNo, amount: lostOne.amount }], pboc: [] });
    const r5 = ok(await reconcile(D5)) as { runId: string };
    const named = (await differencesOf(r5.runId)).filter((x) => x.layer === 'L1');
    // Its 3504 without the line: finance answers 1 不符 and the day's L2 names the line.
    const refused = await clearingCheck(D5, []);
    expect(refused.checkResult).toBe('1');
    expect(refused.checkReason).toMatch(
      /^1 行不符 lines differ: 205\|2050203\|111\|11: 人行 0\.00 \/ 财政 77\.00/,
    );
    const r5b = ok(await reconcile(D5)) as { runId: string };
    const l2 = (await differencesOf(r5b.runId)).filter((x) => x.item_key.startsWith('clearing:'));
    expect(l2.map((x) => [x.layer, x.pair, x.kind, x.party, x.expected_fen])).toEqual([
      ['L2', 'finance-pboc', 'missing', 'pboc', 7700n],
    ]);
    expect(named.map((x) => `${x.kind}/${x.party}/${x.voucher_no}`).sort()).toEqual([
      `missing/pboc/${lostOne.voucherNo}`,
    ]);
  });

  it('serves runs, figures and differences over the API', async () => {
    const cookie = await fx.t.login('treasury', 'Fiscus-Trs-2026');
    const get = (url: string) => fx.t.app.inject({ method: 'GET', url, headers: { cookie } });
    const runs = await get(`/api/v1/reconcile/runs?region=${REGION}&date=${D1}`);
    expect(runs.statusCode, runs.body).toBe(200);
    expect(runs.json().rows.map((r: { state: string }) => r.state)).toEqual(['current', 'superseded']);
    const cleanRun = await get(`/api/v1/reconcile/runs/${clean.runId}?region=${REGION}`);
    expect(cleanRun.statusCode).toBe(200);
    const l1 = cleanRun.json().layers[0];
    expect(l1.pairs[0]).toMatchObject({ pair: 'finance-bank', status: 'green', matchedAmount: '890.50' });
    const run = (await get(`/api/v1/reconcile/runs/${faults.runId}?region=${REGION}`)).json();
    expect(
      run.layers.map((l: { pairs: { status: string }[] }) => l.pairs.some((p) => p.status === 'red')),
    ).toEqual([true, true, true]);
    const list = await get(
      `/api/v1/reconcile/differences?region=${REGION}&runId=${faults.runId}&layer=L1&pair=bank-pboc`,
    );
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    const sig = (await get(`/api/v1/reconcile/differences?region=${REGION}&runId=${faults.runId}&layer=L1`))
      .json()
      .items.find((d: { kind: string }) => d.kind === 'signature');
    const detail = await get(`/api/v1/reconcile/differences/${sig.differenceId}?region=${REGION}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    expect(d.sides.bank).toHaveLength(1);
    expect(d.sides.pboc).toHaveLength(1);
    expect(d.sides.finance[0]).toMatchObject({ voucherNo: v.V5!.voucherNo, paidFen: null });
    expect(d.rejectedMessages[0]).toMatchObject({ sender: 'bank', vtCode: '5201' });
    const post = await fx.t.app.inject({
      method: 'POST',
      url: '/api/v1/reconcile/runs',
      headers: { cookie },
      payload: { region: REGION, date: D0 },
    });
    expect(post.statusCode, post.body).toBe(200);
    expect(post.json().status).toBe('accepted');
    const clerk = await fx.t.login('clerk', 'Fiscus-Clk-2026');
    const denied = await fx.t.app.inject({
      method: 'GET',
      url: `/api/v1/reconcile/runs?region=${REGION}`,
      headers: { cookie: clerk },
    });
    expect(denied.statusCode).toBe(403);
  });
});
