import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../packages/core/src/ledger/verify';
import { as, cmd, errorCode, ok, run1 } from './helpers';
import { paymentFixture, SCHOOL } from './payment-fixture';

// A month (March 2026) of 丽江市第一中学's payments with the whole built-in catalogue switched on:
// ordinary payments raise nothing, each planted violation raises exactly its rule's warnings, held
// payments wait for a second person, forbidden ones never get a voucher, and every warning is
// disposed of to its expected final status.

let f: Awaited<ReturnType<typeof paymentFixture>>;
const AG = '205002';
const OWN_ACCOUNT = {
  name: '丽江市第一中学',
  accountNo: '24560101040000206',
  bankName: '中国农业银行丽江分行',
  bankNo: '103751000013',
};
const PERSON = (name: string, accountNo: string) => ({
  name,
  accountNo,
  bankName: '中国工商银行丽江分行',
  bankNo: '102751000015',
  kind: 'person',
});
const BENEFICIARIES = [
  {
    kind: 'person',
    name: '王小明',
    idNo: '11010519491231002X',
    amount: '1500.00',
    payMonth: '2026-03',
    townCode: '530702001',
  },
  { kind: 'person', name: '王小明之妻', idNo: '11010519491231002X', amount: '1500.00', payMonth: '2026-03' },
];

/** Beijing 10:00 on a business date, unless `at` (HH:MM Beijing) says otherwise. */
const nowOf = (on: string, at = '10:00') => new Date(`${on}T${at}:00+08:00`);

interface Pay {
  on: string;
  indicator: 'GEN' | 'DR';
  amount: string;
  payee: Record<string, unknown>;
  purpose?: string;
  beneficiaries?: unknown[];
  reviewAt?: string;
}

const apps: Record<string, string> = {};

/** Draft, submit, unit approval, and the payment center's review on the same business day. */
async function pay(name: string, p: Pay) {
  const over = { on: p.on };
  const opts = (user: string, at?: string) => ({ ...as(user), now: nowOf(p.on, at) });
  const id = ok(
    await run1(
      f.t.db,
      cmd(
        'payment.draft',
        {
          agencyCode: AG,
          payType: 'direct',
          indicatorId: `SCN-${p.indicator}`,
          amount: p.amount,
          purpose: p.purpose ?? '日常运转',
          settlementMode: '001001',
          payee: p.payee,
          beneficiaries: p.beneficiaries ?? [],
        },
        over,
      ),
      opts('clerk'),
    ),
  ).applicationId as string;
  apps[name] = id;
  const step = (type: string, user: string, extra: Record<string, unknown> = {}, at?: string) =>
    run1(f.t.db, cmd(type, { applicationId: id, agencyCode: AG, ...extra }, over), opts(user, at));
  ok(await step('payment.submit', 'clerk'));
  ok(await step('payment.unitApprove', 'unithead'));
  const review = (extra: Record<string, unknown> = {}) =>
    step('payment.review', 'reviewer', { decision: 'approve', ...extra }, p.reviewAt);
  return { id, review };
}

const stateOf = async (id: string) =>
  (
    await f.t.db
      .selectFrom('payments.application')
      .select('state')
      .where('application_id', '=', id)
      .executeTakeFirstOrThrow()
  ).state;

const warningsOf = (id: string) =>
  f.t.db
    .selectFrom('monitor.warning')
    .select(['warning_id', 'rule_code', 'status', 'action'])
    .where('application_id', '=', id)
    .orderBy('rule_code')
    .execute();

beforeAll(async () => {
  f = await paymentFixture('SCNX');
  const line = (id: string, over: Record<string, unknown>, amount: string) => ({
    indicatorId: id,
    amount,
    pool: 'executable',
    elements: { ...SCHOOL, payTypeCode: '11', ...over },
  });
  const d = ok(
    await run1(
      f.t.db,
      cmd('indicatorDoc.draft', {
        docNo: '丽财〔2026〕SCN',
        title: '监控情景',
        body: {
          docType: 'approve',
          lines: [
            // 维修(护)费: outside the official-card list, so ordinary transfers are compliant.
            line('SCN-GEN', { depEcoCode: '30213' }, '600000.00'),
            // 直达资金 生活补助 (303: payments to persons are allowed).
            line('SCN-DR', { depEcoCode: '30305', flags: { directReach: true } }, '200000.00'),
          ],
        },
      }),
      as('budget'),
    ),
  );
  ok(await run1(f.t.db, cmd('indicatorDoc.submit', { docId: d.docId }), as('budget')));
  ok(await run1(f.t.db, cmd('indicatorDoc.approve', { docId: d.docId }), as('chief')));
  const installed = ok(await run1(f.t.db, cmd('monitorRule.install', { enabled: true }), as('monitor')));
  expect((installed.installed as string[]).length).toBeGreaterThanOrEqual(20);
}, 180_000);
afterAll(async () => f?.close());

describe('a month of payments under the built-in catalogue', () => {
  it('raises exactly the planted warnings, holds and forbids as the rules say', async () => {
    // Ordinary payments on working days at 10:00: nothing fires.
    const payees = ['S0001', 'S0002', 'S0003', 'S0004'];
    for (let i = 0; i < 10; i++) {
      const day = String(2 + (i % 5) + Math.floor(i / 5) * 7).padStart(2, '0');
      const p = await pay(`ordinary${i}`, {
        on: `2026-03-${day}`,
        indicator: 'GEN',
        amount: `${1200 + i * 37}.${String(10 + i).padStart(2, '0')}`,
        payee: { payeeCode: payees[i % 4] },
      });
      const r = ok(await p.review());
      expect([`ordinary${i}`, r.state, (r.monitor as { warnings: unknown[] }).warnings]).toEqual([
        `ordinary${i}`,
        'approved',
        [],
      ]);
    }
    // A compliant direct-reach payment to a person, with beneficiary lines adding up.
    ok(
      await (
        await pay('directReach', {
          on: '2026-03-04',
          indicator: 'DR',
          amount: '3000.00',
          payee: PERSON('王小明', '6222021234567890123'),
          purpose: '困难群众生活补助',
          beneficiaries: BENEFICIARIES,
        })
      ).review(),
    );

    // Planted 1 — 重复支付: the same 3 456.00 to S0005 twice within 30 days; the second is held.
    ok(
      await (
        await pay('dup1', {
          on: '2026-03-03',
          indicator: 'GEN',
          amount: '3456.00',
          payee: { payeeCode: 'S0005' },
        })
      ).review(),
    );
    const dup2 = await pay('dup2', {
      on: '2026-03-10',
      indicator: 'GEN',
      amount: '3456.00',
      payee: { payeeCode: 'S0005' },
    });
    expect(ok(await dup2.review())).toMatchObject({ state: 'held', monitor: { decision: 'hold' } });

    // Planted 2 — 拆分支付: three payments to S0006 within 3 days adding up past 100 000.
    for (const [i, amount] of ['40000.00', '41000.00', '42000.00'].entries())
      ok(
        await (
          await pay(`split${i}`, {
            on: `2026-03-1${1 + i}`,
            indicator: 'GEN',
            amount,
            payee: { payeeCode: 'S0006' },
          })
        ).review(),
      );

    // Planted 3 — 零余额账户转入本单位实有资金账户: held, then forbidden by the second person.
    const own = await pay('ownAccount', {
      on: '2026-03-16',
      indicator: 'GEN',
      amount: '8000.00',
      payee: OWN_ACCOUNT,
    });
    expect(ok(await own.review())).toMatchObject({ state: 'held' });

    // Planted 4 — 直达资金划入本单位账户: forbidden outright (the strongest action wins).
    const misdirected = await pay('drOwn', {
      on: '2026-03-17',
      indicator: 'DR',
      amount: '3000.00',
      payee: OWN_ACCOUNT,
      beneficiaries: BENEFICIARIES,
    });
    expect(ok(await misdirected.review())).toMatchObject({
      state: 'refused',
      monitor: { decision: 'forbid' },
    });

    // Planted 5 — 向个人转账（非工资、非报销）: refused until the reviewer explains, then passes.
    const person = await pay('person', {
      on: '2026-03-18',
      indicator: 'GEN',
      amount: '6000.00',
      payee: PERSON('李四', '6222021234567890456'),
      purpose: '设备维修劳务',
    });
    expect(errorCode(await person.review())).toBe('MONITOR_EXPLANATION_REQUIRED');
    expect(await warningsOf(person.id)).toEqual([]);
    expect(await stateOf(person.id)).toBe('unitApproved');
    expect(ok(await person.review({ explanation: '外聘技师维修实验室设备，有合同' }))).toMatchObject({
      state: 'approved',
      monitor: { decision: 'warnExplain' },
    });

    // Planted 6 — 非工作时间: reviewed at 20:30; recorded only, the payment goes on.
    const late = await pay('late', {
      on: '2026-03-19',
      indicator: 'GEN',
      amount: '2222.22',
      payee: { payeeCode: 'S0007' },
      reviewAt: '20:30',
    });
    expect(ok(await late.review())).toMatchObject({ state: 'approved', monitor: { decision: 'record' } });

    const counts = await f.t.db
      .selectFrom('monitor.warning')
      .select(['rule_code', (eb) => eb.fn.countAll<string>().as('n')])
      .where('agency_code', '=', AG)
      .groupBy('rule_code')
      .orderBy('rule_code')
      .execute();
    expect(Object.fromEntries(counts.map((c) => [c.rule_code, Number(c.n)]))).toEqual({
      DIRECT_REACH_MISDIRECTED: 1,
      DUPLICATE_PAYMENT: 1,
      OUTSIDE_WORKING_HOURS: 1,
      PERSONAL_TRANSFER_NON_SALARY: 1,
      SPLIT_PAYMENT: 1,
      ZERO_BALANCE_TO_OWN_ACCOUNT: 2,
    });
    expect((await warningsOf(apps.split2!)).map((w) => w.rule_code)).toEqual(['SPLIT_PAYMENT']);
    expect((await warningsOf(apps.dup2!)).map((w) => w.rule_code)).toEqual(['DUPLICATE_PAYMENT']);
    expect((await warningsOf(apps.drOwn!)).map((w) => w.rule_code)).toEqual([
      'DIRECT_REACH_MISDIRECTED',
      'ZERO_BALANCE_TO_OWN_ACCOUNT',
    ]);
    expect((await warningsOf(apps.late!)).map((w) => [w.rule_code, w.status])).toEqual([
      ['OUTSIDE_WORKING_HOURS', 'recorded'],
    ]);
  });

  it('keeps held payments waiting for a second person and never sends a forbidden one to the bank', async () => {
    const sign = (id: string) =>
      run1(
        f.t.db,
        cmd('payment.signVoucher', { applicationId: id, agencyCode: AG }, { on: '2026-03-20' }),
        as('signer'),
      );
    expect(errorCode(await sign(apps.dup2!))).toBe('STATE_INVALID');
    expect(await stateOf(apps.dup2!)).toBe('held');
    const decide = (id: string, decision: string, user: string) =>
      run1(
        f.t.db,
        cmd(
          'monitorHold.decide',
          { applicationId: id, decision, opinion: '核实后处理' },
          { on: '2026-03-20' },
        ),
        as(user),
      );
    // The reviewer whose approval was held cannot release it; the monitoring officer can.
    expect(errorCode(await decide(apps.dup2!, 'release', 'reviewer'))).toBe('SOD_SAME_PERSON');
    expect(ok(await decide(apps.dup2!, 'release', 'monitor'))).toMatchObject({ state: 'approved' });
    expect(ok(await decide(apps.ownAccount!, 'forbid', 'monitor'))).toMatchObject({ state: 'refused' });

    // Everything approved gets its voucher; the refused ones have none and cannot be signed.
    const approved = await f.t.db
      .selectFrom('payments.application')
      .select('application_id')
      .where('agency_code', '=', AG)
      .where('indicator_id', 'in', ['SCN-GEN', 'SCN-DR'])
      .where('state', '=', 'approved')
      .execute();
    // 10 ordinary, the direct-reach one, both duplicates, three splits, the explained and the late one.
    expect(approved).toHaveLength(18);
    for (const a of approved) ok(await sign(a.application_id));
    for (const id of [apps.ownAccount!, apps.drOwn!]) {
      expect(await stateOf(id)).toBe('refused');
      expect(errorCode(await sign(id))).toBe('STATE_INVALID');
      const v = await f.t.db
        .selectFrom('payments.voucher')
        .select('voucher_no')
        .where('application_id', '=', id)
        .execute();
      expect(v).toEqual([]);
    }
    const v = await verifyLedger(f.t.db, { region: '530700000', year: 2026 });
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('closes every warning of the month through the disposition loop', async () => {
    const on = { on: '2026-03-23' };
    const m = (warningId: string, action: string, extra: Record<string, unknown> = {}) =>
      run1(f.t.db, cmd('monitorWarning.dispose', { warningId, action, ...extra }, on), as('monitor')).then(
        ok,
      );
    const u = (warningId: string, action: string, extra: Record<string, unknown>) =>
      run1(
        f.t.db,
        cmd('monitorWarning.respond', { warningId, agencyCode: AG, action, ...extra }, on),
        as('clerk'),
      ).then(ok);
    const w = async (app: string, rule: string) =>
      (await warningsOf(apps[app]!)).find((x) => x.rule_code === rule)!.warning_id;
    const att = [{ name: '说明.pdf', sha256: 'c'.repeat(64) }];
    const inquire = async (id: string) => {
      await m(id, 'identifySuspect', { opinion: '需核实' });
      await m(id, 'issueInquiry', { deadline: '2026-03-31' });
      await u(id, 'feedback', { opinion: '情况说明见附件', attachments: att });
    };

    // 重复支付 released: it was a second, genuine invoice — 认定正常.
    await m(await w('dup2', 'DUPLICATE_PAYMENT'), 'identifyNormal', { opinion: '两张不同发票' });
    // 向个人转账 with an explanation that holds — 认定正常.
    await m(await w('person', 'PERSONAL_TRANSFER_NON_SALARY'), 'identifyNormal');
    // 拆分支付: inquiry, feedback, verified — 核实无误.
    const split = await w('split2', 'SPLIT_PAYMENT');
    await inquire(split);
    await m(split, 'verifyOk');
    // The two own-account transfers and the misdirected direct-reach funds: violations, rectified.
    for (const id of [
      await w('ownAccount', 'ZERO_BALANCE_TO_OWN_ACCOUNT'),
      await w('drOwn', 'ZERO_BALANCE_TO_OWN_ACCOUNT'),
      await w('drOwn', 'DIRECT_REACH_MISDIRECTED'),
    ]) {
      await inquire(id);
      await m(id, 'confirmViolation', { opinion: '违规划转', deadline: '2026-04-15' });
      await u(id, 'reportRectified', { opinion: '已整改', attachments: att });
      await m(id, 'acceptRectification');
    }
    const final = await f.t.db
      .selectFrom('monitor.warning')
      .select(['rule_code', 'status', 'violation'])
      .where('agency_code', '=', AG)
      .orderBy('rule_code')
      .orderBy('warning_id')
      .execute();
    expect(final.map((x) => [x.rule_code, x.status, x.violation])).toEqual([
      ['DIRECT_REACH_MISDIRECTED', 'closedRectified', true],
      ['DUPLICATE_PAYMENT', 'closedNormal', false],
      ['OUTSIDE_WORKING_HOURS', 'recorded', false],
      ['PERSONAL_TRANSFER_NON_SALARY', 'closedNormal', false],
      ['SPLIT_PAYMENT', 'closedVerified', false],
      ['ZERO_BALANCE_TO_OWN_ACCOUNT', 'closedRectified', true],
      ['ZERO_BALANCE_TO_OWN_ACCOUNT', 'closedRectified', true],
    ]);
    // The history summary the trigger keeps equals a scan of the applications it summarises.
    const kept = await sql<{ k: string; n: number; s: string }>`
      select concat_ws('|', agency_code, on_date, dep_eco_code, payroll) as k, sum(n)::int as n, sum(s)::text as s
      from monitor.spend_day where region_code = '530700000' and fiscal_year = 2026
      group by 1 having sum(n) <> 0 order by 1`.execute(f.t.db);
    const scanned = await sql<{ k: string; n: number; s: string }>`
      select concat_ws('|', agency_code, submitted_on, coalesce(dep_eco_code, ''), payee_account_kind = 'payroll') as k,
        count(*)::int as n, sum(amount_fen)::text as s
      from payments.application where region_code = '530700000' and fiscal_year = 2026
        and state in ('submitted', 'unitApproved', 'approved', 'held', 'voucherSigned', 'paid')
      group by 1 order by 1`.execute(f.t.db);
    expect(kept.rows).toEqual(scanned.rows);
    expect(kept.rows.length).toBeGreaterThan(5);
    // The month-end scheduled run: March is before the progress rule's month, so nothing is raised.
    const sched = ok(
      await run1(f.t.db, cmd('monitorScheduled.run', {}, { on: '2026-03-31' }), as('monitor')),
    );
    expect(sched.raised).toBe(0);
  });
});
