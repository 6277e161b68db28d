import type { RuleDefinition } from '@fiscus/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestSummary } from '../../apps/cli/src/commands/monitor-backtest';
import { isFiscusError } from '../../packages/core/src/kernel/errors';
import {
  backtestReportJson,
  backtestRule,
  testRuleOnApplications,
} from '../../packages/core/src/monitoring/backtest';
import { as, cmd, ok, run1 } from './helpers';
import { paymentFixture } from './payment-fixture';

let f: Awaited<ReturnType<typeof paymentFixture>>;
const REGION = '530700000';
const YEAR = 2026;

const definition = (code: string, condition: string, over: Partial<RuleDefinition> = {}): RuleDefinition => ({
  code,
  name: `回测规则 ${code}`,
  theme: 'test',
  basis: '测试',
  trigger: 'submit',
  scope: { regions: [''], level: 'finance' },
  condition,
  params: {},
  warningLevel: 'orange',
  action: 'warn',
  prompt: { 'zh-CN': '支付 {amount} 元给 {payee}', en: 'Paying {amount} yuan to {payee}' },
  effectiveFrom: '2026-01-01',
  enabled: true,
  ...over,
});

const ZHANG = {
  name: '张三',
  accountNo: '6222020000000000123',
  bankName: '工行丽江分行',
  bankNo: '102751000015',
  kind: 'person',
};

/** Draft and submit on business date `on`; returns the application id. */
async function pay(amount: string, payee: Record<string, unknown>, on: string): Promise<string> {
  const id = ok(
    await run1(
      f.t.db,
      cmd(
        'payment.draft',
        {
          agencyCode: '205002',
          payType: 'direct',
          indicatorId: 'BKT-DIR',
          amount,
          purpose: '办公用品',
          settlementMode: '001001',
          payee,
        },
        { on },
      ),
      as('clerk'),
    ),
  ).applicationId as string;
  ok(
    await run1(
      f.t.db,
      cmd('payment.submit', { applicationId: id, agencyCode: '205002' }, { on }),
      as('clerk'),
    ),
  );
  return id;
}

const count = async (
  table:
    | 'monitor.warning'
    | 'monitor.warning_event'
    | 'monitor.rule_version'
    | 'platform.command_log'
    | 'ledger.entry',
) =>
  Number(
    (
      await f.t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isFiscusError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

const period = { region: REGION, year: YEAR, from: '2026-03-01', to: '2026-04-30' };
const ids: Record<string, string> = {};

beforeAll(async () => {
  f = await paymentFixture('BKT');
  // Two stored rules that warn at submission: another rule, and version 1 of the code the draft changes.
  const save = (d: RuleDefinition) =>
    run1(f.t.db, cmd('monitorRule.save', { rule: d }, { on: '2026-03-01' }), as('monitor'));
  ok(await save(definition('BKT_STORED', 'payment.amount >= 5000元', { warningLevel: 'yellow' })));
  ok(
    await save(
      definition('BKT_LARGE', 'payment.amount >= 8000元', { action: 'record', warningLevel: 'blue' }),
    ),
  );

  ids.p1 = await pay('1000.00', { payeeCode: 'S0001' }, '2026-03-02');
  ids.p2 = await pay('1000.00', { payeeCode: 'S0001' }, '2026-03-10');
  ids.p3 = await pay('6000.00', ZHANG, '2026-03-15');
  ids.p6 = await pay('3000.00', { payeeCode: 'S0001' }, '2026-03-20');
  // Withdrawn the next day: back to draft, reservation released, no longer spending — still "was submitted".
  ok(
    await run1(
      f.t.db,
      cmd('payment.withdraw', { applicationId: ids.p6, agencyCode: '205002' }, { on: '2026-03-21' }),
      as('clerk'),
    ),
  );
  ids.p4 = await pay('9000.00', { payeeCode: 'S0001' }, '2026-04-05');
  // Drafted, never submitted: not part of any replay.
  ids.p5 = ok(
    await run1(
      f.t.db,
      cmd(
        'payment.draft',
        {
          agencyCode: '205002',
          payType: 'direct',
          indicatorId: 'BKT-DIR',
          amount: '4000.00',
          purpose: '办公用品',
          settlementMode: '001001',
          payee: { payeeCode: 'S0001' },
        },
        { on: '2026-04-20' },
      ),
      as('clerk'),
    ),
  ).applicationId as string;

  // Dispositions of the stored warnings: P3's concluded normal, P4's a violation being rectified.
  const setStatus = (app: string, code: string, status: string) =>
    sql`update monitor.warning set status = ${status} where region_code = ${REGION}
      and application_id = ${app} and rule_code = ${code}`.execute(f.t.db);
  await setStatus(ids.p3!, 'BKT_STORED', 'closedNormal');
  await setStatus(ids.p4!, 'BKT_STORED', 'rectifying');
}, 180_000);
afterAll(async () => f?.close());

describe('backtesting a monitoring rule over a past period', () => {
  it('the stored rules raised what the scenario expects', async () => {
    const ws = await f.t.db
      .selectFrom('monitor.warning')
      .select(['application_id', 'rule_code', 'rule_version', 'status'])
      .where('region_code', '=', REGION)
      .orderBy('warning_id')
      .execute();
    expect(ws).toEqual([
      { application_id: ids.p3, rule_code: 'BKT_STORED', rule_version: 1, status: 'closedNormal' },
      { application_id: ids.p4, rule_code: 'BKT_LARGE', rule_version: 1, status: 'recorded' },
      { application_id: ids.p4, rule_code: 'BKT_STORED', rule_version: 1, status: 'rectifying' },
    ]);
  });

  it('counts the hits of a changed version, where they are, and how they overlap', async () => {
    const before = {
      warnings: await count('monitor.warning'),
      events: await count('monitor.warning_event'),
      rules: await count('monitor.rule_version'),
      commands: await count('platform.command_log'),
      entries: await count('ledger.entry'),
    };
    // A draft (disabled, effective only from next year: both ignored) lowering the threshold.
    const r = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_LARGE', 'payment.amount >= params.threshold', {
        params: { threshold: { yuan: '2000.00' } },
        enabled: false,
        effectiveFrom: '2027-01-01',
      }),
    });
    expect(r.rule).toMatchObject({
      code: 'BKT_LARGE',
      version: 'draft',
      action: 'warn',
      warningLevel: 'orange',
    });
    expect(r.inScope).toBe(true);
    expect(r.scanned).toBe(5);
    expect(r.hits).toBe(3);
    expect(r.failures).toBe(0);
    expect(r.amountFen).toBe(1_800_000n);
    expect(r.byAgency).toEqual([{ agencyCode: '205002', count: 3, amountFen: 1_800_000n }]);
    expect(r.byMonth).toEqual([
      { month: '2026-03', count: 2, amountFen: 900_000n },
      { month: '2026-04', count: 1, amountFen: 900_000n },
    ]);
    expect(r.byAction).toEqual([{ action: 'warn', count: 3 }]);
    expect(r.byLevel).toEqual([{ level: 'orange', count: 3 }]);
    expect(r.samples.map((s) => s.applicationId)).toEqual([ids.p3, ids.p6, ids.p4]);
    expect(r.samples[0]).toEqual({
      applicationId: ids.p3,
      agencyCode: '205002',
      submittedOn: '2026-03-15',
      amountFen: 600_000n,
      payeeName: '张三',
      state: 'submitted',
      action: 'warn',
      level: 'orange',
      message: { 'zh-CN': '支付 6000.00 元给 张三', en: 'Paying 6000.00 yuan to 张三' },
      failed: false,
    });
    expect(r.samples[1]!.state).toBe('draft');
    expect(r.overlap).toEqual([{ ruleCode: 'BKT_STORED', count: 2, warnings: 2 }]);
    expect(r.dispositions).toEqual({
      byStatus: [
        { status: 'closedNormal', count: 1 },
        { status: 'recorded', count: 1 },
        { status: 'rectifying', count: 1 },
      ],
      normal: 1,
      violation: 1,
      open: 0,
      recorded: 1,
    });
    expect(r.sameCodeBefore).toEqual({
      version: 1,
      warnings: 1,
      applications: 1,
      inPeriod: 1,
      droppedByDraft: 0,
    });
    // Yuan strings at the edges.
    const j = backtestReportJson(r);
    expect(j.amount).toBe('18000.00');
    expect(j.byAgency).toEqual([{ agencyCode: '205002', count: 3, amount: '18000.00' }]);
    expect(j.samples[0]!.amount).toBe('6000.00');
    expect(JSON.parse(JSON.stringify(j)).amountFen).toBeUndefined();
    const text = backtestSummary(r);
    expect(text).toContain('backtest BKT_LARGE (draft)');
    expect(text).toMatch(/hits +3 +18000\.00 yuan/);
    expect(text).toContain('BKT_STORED 2');
    expect(text).toContain('1 normal, 1 violation, 0 open, 1 recorded');

    // The limit cuts the samples, not the counts.
    const one = await backtestRule(f.t.db, {
      ...period,
      limit: 1,
      rule: definition('BKT_LARGE', 'payment.amount >= 2000元'),
    });
    expect(one.hits).toBe(3);
    expect(one.samples.map((s) => s.applicationId)).toEqual([ids.p3]);

    // Raising the threshold drops the application the stored version warned on.
    const higher = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_LARGE', 'payment.amount >= 10000元'),
    });
    expect(higher.hits).toBe(0);
    expect(higher.sameCodeBefore).toEqual({
      version: 1,
      warnings: 0,
      applications: 0,
      inPeriod: 1,
      droppedByDraft: 1,
    });

    // A new code: no stored version to compare.
    const fresh = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_NEW', 'payment.amount >= 5000元'),
    });
    expect(fresh.hits).toBe(2);
    expect(fresh.sameCodeBefore).toBeNull();
    expect(fresh.overlap).toEqual([
      { ruleCode: 'BKT_STORED', count: 2, warnings: 2 },
      { ruleCode: 'BKT_LARGE', count: 1, warnings: 1 },
    ]);

    // The stored version itself, by reference.
    const stored = await backtestRule(f.t.db, { ...period, rule: { code: 'BKT_LARGE' } });
    expect(stored.rule.version).toBe(1);
    expect(stored.hits).toBe(1);
    expect(stored.samples[0]!.applicationId).toBe(ids.p4);
    expect(stored.byAction).toEqual([{ action: 'record', count: 1 }]);

    expect({
      warnings: await count('monitor.warning'),
      events: await count('monitor.warning_event'),
      rules: await count('monitor.rule_version'),
      commands: await count('platform.command_log'),
      entries: await count('ledger.entry'),
    }).toEqual(before);
  });

  it('a period without submissions scans and hits nothing', async () => {
    const rule = definition('BKT_LARGE', 'payment.amount >= 1元');
    const may = await backtestRule(f.t.db, { ...period, from: '2026-05-01', to: '2026-05-31', rule });
    expect({ scanned: may.scanned, hits: may.hits, byAgency: may.byAgency, overlap: may.overlap }).toEqual({
      scanned: 0,
      hits: 0,
      byAgency: [],
      overlap: [],
    });
    expect(may.sameCodeBefore).toEqual({
      version: 1,
      warnings: 0,
      applications: 0,
      inPeriod: 0,
      droppedByDraft: 0,
    });
    const early = await backtestRule(f.t.db, { ...period, from: '2026-03-01', to: '2026-03-09', rule });
    expect(early.scanned).toBe(1);
    expect(early.hits).toBe(1);
  });

  it('honours the scope regions but not enabled or the effective dates', async () => {
    const elsewhere = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_LARGE', 'payment.amount >= 1元', {
        scope: { regions: ['5308'], level: 'finance' },
      }),
    });
    expect(elsewhere.inScope).toBe(false);
    expect(elsewhere.scanned).toBe(5);
    expect(elsewhere.hits).toBe(0);
    const here = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_LARGE', 'payment.amount >= 1元', {
        scope: { regions: ['5307'], level: 'finance' },
        enabled: false,
        effectiveFrom: '2030-01-01',
      }),
    });
    expect(here.hits).toBe(5);
  });

  it('refuses what a save refuses, and writes nothing', async () => {
    const rules = await count('monitor.rule_version');
    for (const bad of ["constructor('x')", 'process.exit(1)', 'payment.amount >', 'payment.amount = "a"'])
      expect(await refusal(backtestRule(f.t.db, { ...period, rule: definition('BKT_BAD', bad) }))).toBe(
        'MONITOR_EXPRESSION_INVALID',
      );
    expect(
      await refusal(
        backtestRule(f.t.db, {
          ...period,
          rule: definition('BKT_BAD', 'payment.amount >= 1元', { effectiveTo: '2025-12-31' }),
        }),
      ),
    ).toBe('MONITOR_RULE_INVALID');
    expect(
      await refusal(
        backtestRule(f.t.db, {
          ...period,
          rule: definition('BKT_BAD', 'payment.amount >= 1元', { trigger: 'scheduled' }),
        }),
      ),
    ).toBe('MONITOR_RULE_INVALID');
    // Not a definition at all (the CLI reads it from a file): the wire schema refuses it.
    expect(
      await refusal(
        backtestRule(f.t.db, {
          ...period,
          rule: { ...definition('BKT_BAD', 'true'), extra: 1 } as RuleDefinition,
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      await refusal(
        backtestRule(f.t.db, {
          ...period,
          from: '2026-04-01',
          to: '2026-03-01',
          rule: definition('BKT_BAD', 'true'),
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(await refusal(backtestRule(f.t.db, { ...period, rule: { code: 'BKT_NONE' } }))).toBe('NOT_FOUND');
    expect(await count('monitor.rule_version')).toBe(rules);
  });

  it('history windows count only what was submitted before, as of each application', async () => {
    // Same payee, same amount within N days: P2 (03-10) repeats P1 (03-02), 8 days earlier.
    const dup = (days: number) =>
      backtestRule(f.t.db, {
        ...period,
        rule: definition('BKT_DUP', 'countSamePayeeAmount(params.days) >= 1', { params: { days } }),
      });
    const d30 = await dup(30);
    expect(d30.hits).toBe(1);
    expect(d30.samples.map((s) => s.applicationId)).toEqual([ids.p2]);
    expect((await dup(5)).hits).toBe(0);

    // Sum to the same payee in 60 days: P6 (03-20) sees P1 + P2; P4 (04-05) sees P1 + P2 only —
    // P6 was withdrawn and no longer counts as spending; P1 sees nothing, the later ones are unseen.
    const sum = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_SUM', 'sumSamePayee(60) = 2000元'),
    });
    expect(sum.samples.map((s) => s.applicationId)).toEqual([ids.p6, ids.p4]);

    // The unit's month total as of the date: in April only P4 — nothing before it that month.
    const month = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_MONTH', 'unitMonthTotal() = 0元'),
    });
    expect(month.samples.map((s) => s.applicationId)).toEqual([ids.p1, ids.p4]);
  });

  it("reads the indicator's figures as they stood before each reservation", async () => {
    // Used before: P1 0, P2 1000, P3 2000, P6 8000, P4 8000 (P6's reservation was released).
    const r = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_USED', 'indicator.used = 8000元 and indicator.amount = 100000元'),
    });
    expect(r.samples.map((s) => s.applicationId)).toEqual([ids.p6, ids.p4]);
    const first = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_USED', 'indicator.used = 0元'),
    });
    expect(first.samples.map((s) => s.applicationId)).toEqual([ids.p1]);
  });

  it('fails closed: a rule that cannot run counts as a grey hit', async () => {
    const r = await backtestRule(f.t.db, {
      ...period,
      rule: definition('BKT_DIV', 'fenAsNumber(payment.amount) / params.zero > 1', {
        params: { zero: 0 },
        action: 'hold',
      }),
    });
    expect(r.hits).toBe(5);
    expect(r.failures).toBe(5);
    expect(r.byAction).toEqual([{ action: 'hold', count: 5 }]);
    expect(r.byLevel).toEqual([{ level: 'grey', count: 5 }]);
    expect(r.samples[0]!.failed).toBe(true);
  });

  it('test-runs a rule on chosen applications', async () => {
    const rule = definition('BKT_TRY', 'payment.amount >= 2000元');
    const r = await testRuleOnApplications(f.t.db, {
      region: REGION,
      year: YEAR,
      rule,
      applicationIds: [ids.p1!, ids.p3!, ids.p5!, 'ZF2026NOPE'],
    });
    expect(r).toEqual([
      { applicationId: ids.p1, fired: false },
      {
        applicationId: ids.p3,
        fired: true,
        action: 'warn',
        level: 'orange',
        message: { 'zh-CN': '支付 6000.00 元给 张三', en: 'Paying 6000.00 yuan to 张三' },
      },
      {
        applicationId: ids.p5,
        fired: true,
        action: 'warn',
        level: 'orange',
        message: expect.objectContaining({ en: expect.stringContaining('4000.00') }),
      },
      {
        applicationId: 'ZF2026NOPE',
        fired: false,
        error: expect.objectContaining({ en: expect.stringContaining('not found') }),
      },
    ]);
    // History as live monitoring would read it: P2 repeats P1.
    const dup = await testRuleOnApplications(f.t.db, {
      region: REGION,
      year: YEAR,
      rule: definition('BKT_TRY', 'countSamePayeeAmount(30) >= 1'),
      applicationIds: [ids.p1!, ids.p2!],
    });
    expect(dup.map((x) => x.fired)).toEqual([false, true]);
    const failing = await testRuleOnApplications(f.t.db, {
      region: REGION,
      year: YEAR,
      rule: definition('BKT_TRY', 'fenAsNumber(payment.amount) / params.zero > 1', { params: { zero: 0 } }),
      applicationIds: [ids.p1!],
    });
    expect(failing[0]).toMatchObject({
      fired: true,
      level: 'grey',
      action: 'record',
      error: { en: 'division by zero' },
    });
    expect(
      await refusal(
        testRuleOnApplications(f.t.db, {
          region: REGION,
          year: YEAR,
          rule: definition('BKT_TRY', "constructor('x')"),
          applicationIds: [ids.p1!],
        }),
      ),
    ).toBe('MONITOR_EXPRESSION_INVALID');
  });
});
