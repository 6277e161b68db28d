import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonitorDaily } from '../../packages/core/src/monitoring/daily';
import { as, cmd, errorCode, ok, run1 } from './helpers';
import { paymentFixture } from './payment-fixture';

// 预警处置 through the real pipeline: the whole loop to 整改通过 with its refusals, 督办 of overdue
// warnings, the scheduled run (once per indicator and month), and the read API per role.

let f: Awaited<ReturnType<typeof paymentFixture>>;
const SHA = 'a'.repeat(64);
const att = [{ name: '整改报告.pdf', sha256: SHA }];

const rule = (code: string, over: Record<string, unknown> = {}) => ({
  rule: {
    code,
    name: `测试规则 ${code}`,
    theme: 'test',
    basis: '测试',
    trigger: 'submit',
    scope: { regions: [''], level: 'finance' },
    condition: 'payment.amount > params.limit',
    params: { limit: { yuan: '1000.00' } },
    warningLevel: 'orange',
    action: 'warn',
    prompt: { 'zh-CN': '支付 {amount} 元给 {payee}', en: 'Paying {amount} yuan to {payee}' },
    effectiveFrom: '2026-01-01',
    enabled: true,
    ...over,
  },
});

/** A submitted payment of 205002 that the DSP_WARN rule warns on; returns its warning id. */
async function warned(amount = '2000.00'): Promise<string> {
  const id = ok(
    await run1(
      f.t.db,
      cmd('payment.draft', {
        agencyCode: '205002',
        payType: 'direct',
        indicatorId: 'DSP-DIR',
        amount,
        purpose: '办公用品',
        settlementMode: '001001',
        payee: { payeeCode: 'S0001' },
      }),
      as('clerk'),
    ),
  ).applicationId as string;
  const r = ok(
    await run1(f.t.db, cmd('payment.submit', { applicationId: id, agencyCode: '205002' }), as('clerk')),
  );
  const ws = (r.monitor as { warnings: { warningId: string; ruleCode: string }[] }).warnings;
  const w = ws.find((x) => x.ruleCode === 'DSP_WARN');
  if (!w) throw new Error(`no warning in ${JSON.stringify(r.monitor)}`);
  return w.warningId;
}

const dispose = (warningId: string, action: string, extra: Record<string, unknown> = {}, on = '2026-03-01') =>
  run1(f.t.db, cmd('monitorWarning.dispose', { warningId, action, ...extra }, { on }), as('monitor'));
const respond = (warningId: string, action: string, extra: Record<string, unknown> = {}, user = 'clerk') =>
  run1(
    f.t.db,
    cmd('monitorWarning.respond', { warningId, agencyCode: '205002', action, ...extra }),
    as(user),
  );

async function row(id: string) {
  return f.t.db
    .selectFrom('monitor.warning')
    .selectAll()
    .where('warning_id', '=', id)
    .executeTakeFirstOrThrow();
}
async function events(id: string) {
  return f.t.db
    .selectFrom('monitor.warning_event')
    .select(['seq', 'action', 'actor', 'from_status', 'to_status', 'attachments'])
    .where('warning_id', '=', id)
    .orderBy('seq')
    .execute();
}

beforeAll(async () => {
  f = await paymentFixture('DSP');
  ok(await run1(f.t.db, cmd('monitorRule.save', rule('DSP_WARN')), as('monitor')));
}, 120_000);
afterAll(async () => f?.close());

describe('the disposition loop (预警处置)', () => {
  it('takes a warning from 待认定 to 整改通过, refusing every illegal step and changing nothing then', async () => {
    const id = await warned();
    expect((await row(id)).status).toBe('pending');

    // Wrong role, wrong state, missing opinion: refused, nothing moves.
    expect(errorCode(await respond(id, 'feedback', { opinion: '说明' }))).toBe('STATE_INVALID');
    expect(
      errorCode(
        await run1(
          f.t.db,
          cmd('monitorWarning.dispose', { warningId: id, action: 'identifyNormal' }),
          as('clerk'),
        ),
      ),
    ).toBe('PERMISSION_DENIED');
    expect(errorCode(await dispose(id, 'identifySuspect'))).toBe('VALIDATION_FAILED');
    expect(errorCode(await dispose(id, 'issueInquiry', { deadline: '2026-03-10' }))).toBe('STATE_INVALID');
    expect(errorCode(await dispose('YJ202699999999', 'identifyNormal'))).toBe('NOT_FOUND');
    expect((await events(id)).map((e) => e.action)).toEqual(['raise']);

    ok(await dispose(id, 'identifySuspect', { opinion: '金额偏大，疑似拆分' }));
    expect(errorCode(await dispose(id, 'issueInquiry'))).toBe('VALIDATION_FAILED');
    expect(errorCode(await dispose(id, 'issueInquiry', { deadline: '2026-02-01' }))).toBe(
      'VALIDATION_FAILED',
    );
    const inq = ok(await dispose(id, 'issueInquiry', { deadline: '2026-03-10', opinion: '请说明用途' }));
    expect(inq).toMatchObject({
      status: 'inquiryIssued',
      deadline: '2026-03-10',
      inquiryNo: `WX${id.slice(2)}`,
    });

    // The unit answers its own warning only; another agency's code is refused by its grant.
    expect(
      errorCode(
        await run1(
          f.t.db,
          cmd('monitorWarning.respond', {
            warningId: id,
            agencyCode: '205001',
            action: 'feedback',
            opinion: 'x',
          }),
          as('clerk'),
        ),
      ),
    ).toBe('SCOPE_DENIED');
    expect(errorCode(await respond(id, 'feedback'))).toBe('VALIDATION_FAILED');
    const fb = cmd('monitorWarning.respond', {
      warningId: id,
      agencyCode: '205002',
      action: 'feedback',
      opinion: '为全年办公用品集中采购',
      attachments: [{ name: '采购清单.xlsx', sha256: 'b'.repeat(64) }],
    });
    ok(await run1(f.t.db, fb, as('clerk')));
    // A repeated request id answers the first result and writes nothing more.
    const again = await run1(f.t.db, fb, as('clerk'));
    expect(again.status === 'accepted' && again.replayed).toBe(true);
    expect((await row(id)).feedback_by).toBe('clerk');

    expect(errorCode(await dispose(id, 'confirmViolation', { opinion: '违规' }))).toBe('VALIDATION_FAILED');
    ok(await dispose(id, 'confirmViolation', { opinion: '超标准采购', deadline: '2026-03-31' }));
    expect(await row(id)).toMatchObject({ status: 'rectifying', violation: true });

    expect(errorCode(await respond(id, 'reportRectified', { opinion: '已整改' }))).toBe('VALIDATION_FAILED');
    ok(await respond(id, 'reportRectified', { opinion: '已退回多采部分', attachments: att }, 'unithead'));
    ok(await dispose(id, 'rejectRectification', { opinion: '附件不全' }));
    ok(await respond(id, 'reportRectified', { opinion: '补充附件', attachments: att }));
    const done = ok(await dispose(id, 'acceptRectification', {}, '2026-03-20'));
    expect(done).toMatchObject({ status: 'closedRectified', closed: true, deadline: null });

    const w = await row(id);
    expect(w).toMatchObject({ status: 'closedRectified', closed_on: '2026-03-20', violation: true });
    expect(errorCode(await dispose(id, 'identifyNormal'))).toBe('STATE_INVALID');
    const trail = await events(id);
    expect(trail.map((e) => [e.seq, e.action, e.to_status])).toEqual([
      [1, 'raise', 'pending'],
      [2, 'identifySuspect', 'suspected'],
      [3, 'issueInquiry', 'inquiryIssued'],
      [4, 'feedback', 'feedbackReceived'],
      [5, 'confirmViolation', 'rectifying'],
      [6, 'reportRectified', 'rectified'],
      [7, 'rejectRectification', 'rectifying'],
      [8, 'reportRectified', 'rectified'],
      [9, 'acceptRectification', 'closedRectified'],
    ]);
    expect(trail[3]!.attachments).toEqual([{ name: '采购清单.xlsx', sha256: 'b'.repeat(64) }]);
    expect(trail[5]!.actor).toBe('unithead');
  });

  it('closes a warning identified as normal at once, and one verified after feedback', async () => {
    const a = await warned();
    expect(ok(await dispose(a, 'identifyNormal'))).toMatchObject({ status: 'closedNormal', closed: true });
    const b = await warned();
    ok(await dispose(b, 'identifySuspect', { opinion: '核查' }));
    ok(await dispose(b, 'issueInquiry', { deadline: '2026-03-05' }));
    ok(await respond(b, 'feedback', { opinion: '合同付款' }));
    // 单位已反馈 sent back: the unit answers again before the monitor verifies.
    ok(await dispose(b, 'sendBackFeedback', { opinion: '请附合同', deadline: '2026-03-08' }));
    ok(await respond(b, 'feedback', { opinion: '附合同', attachments: att }));
    expect(ok(await dispose(b, 'verifyOk'))).toMatchObject({ status: 'closedVerified', closed: true });
  });
});

describe('督办 (escalation) of overdue warnings', () => {
  it('raises the level once per threshold and leaves on-time and answered warnings alone', async () => {
    const late = await warned();
    ok(await dispose(late, 'identifySuspect', { opinion: '核查' }));
    ok(await dispose(late, 'issueInquiry', { deadline: '2026-03-05' }));
    const answered = await warned();
    ok(await dispose(answered, 'identifySuspect', { opinion: '核查' }));
    ok(await dispose(answered, 'issueInquiry', { deadline: '2026-03-05' }));
    ok(await respond(answered, 'feedback', { opinion: '已答复' }));
    const onTime = await warned();
    ok(await dispose(onTime, 'identifySuspect', { opinion: '核查' }));
    ok(await dispose(onTime, 'issueInquiry', { deadline: '2026-04-30' }));

    const esc = (on: string) =>
      run1(f.t.db, cmd('monitorWarning.escalate', {}, { on }), as('monitor')).then(ok);
    const mine = (r: Record<string, unknown>) =>
      (r.escalated as { warningId: string; level: number }[]).filter((e) =>
        [late, answered, onTime].includes(e.warningId),
      );
    expect(mine(await esc('2026-03-08'))).toEqual([expect.objectContaining({ warningId: late, level: 1 })]);
    expect(mine(await esc('2026-03-08'))).toEqual([]);
    expect(mine(await esc('2026-03-20'))).toEqual([expect.objectContaining({ warningId: late, level: 2 })]);
    expect((await row(late)).escalation).toBe(2);
    expect((await row(answered)).escalation).toBe(0);
    expect((await row(onTime)).escalation).toBe(0);
    expect((await events(late)).filter((e) => e.action === 'escalate')).toHaveLength(2);
    expect(errorCode(await run1(f.t.db, cmd('monitorWarning.escalate', {}), as('clerk')))).toBe(
      'PERMISSION_DENIED',
    );
  });
});

describe('scheduled rules (定时监控)', () => {
  it('refuses a blocking action on a scheduled rule', async () => {
    const r = await run1(
      f.t.db,
      cmd('monitorRule.save', rule('DSP_SLOW_HOLD', { trigger: 'scheduled', action: 'hold' })),
      as('monitor'),
    );
    expect(errorCode(r)).toBe('MONITOR_RULE_INVALID');
  });

  it('warns once per indicator and month on slow execution, however often it runs', async () => {
    ok(
      await run1(
        f.t.db,
        cmd(
          'monitorRule.save',
          rule('DSP_SLOW', {
            trigger: 'scheduled',
            condition: 'indicator.amount > 0元 and indicator.used * 100 < indicator.amount * params.percent',
            params: { percent: 50 },
            warningLevel: 'blue',
            prompt: { 'zh-CN': '执行进度慢', en: 'slow execution' },
          }),
        ),
        as('monitor'),
      ),
    );
    const run = (on: string) => run1(f.t.db, cmd('monitorScheduled.run', {}, { on }), as('monitor')).then(ok);
    const first = await run('2026-07-01');
    const ours = (r: Record<string, unknown>) =>
      (r.warnings as { ruleCode: string; indicatorId: string }[])
        .filter((w) => w.ruleCode === 'DSP_SLOW' && w.indicatorId.startsWith('DSP-'))
        .map((w) => w.indicatorId)
        .sort();
    expect(ours(first)).toEqual(['DSP-ALL', 'DSP-AUT', 'DSP-DIR']);
    const rerun = await run('2026-07-15');
    expect(ours(rerun)).toEqual([]);
    expect(rerun.repeated).toBeGreaterThanOrEqual(3);
    expect(ours(await run('2026-08-01'))).toEqual(['DSP-ALL', 'DSP-AUT', 'DSP-DIR']);
    const stored = await f.t.db
      .selectFrom('monitor.warning')
      .select(['trigger', 'status', 'application_id'])
      .where('rule_code', '=', 'DSP_SLOW')
      .where('indicator_id', '=', 'DSP-DIR')
      .execute();
    expect(stored).toEqual([
      { trigger: 'scheduled', status: 'pending', application_id: null },
      { trigger: 'scheduled', status: 'pending', application_id: null },
    ]);
  });
});

describe('the daily job (每日监控)', () => {
  it('runs the scheduled rules and 督办 once per region and date; a rerun replays', async () => {
    const first = await runMonitorDaily(f.t.db, { on: '2026-09-01', actor: 'monitor', region: '530700000' });
    expect(
      first.map((r) => [r.type, r.result.status, r.result.status === 'accepted' && r.result.replayed]),
    ).toEqual([
      ['monitorScheduled.run', 'accepted', false],
      ['monitorWarning.escalate', 'accepted', false],
    ]);
    const raised = (first[0]!.result as { result: { raised: number } }).result.raised;
    expect(raised).toBeGreaterThanOrEqual(3);
    const again = await runMonitorDaily(f.t.db, { on: '2026-09-01', actor: 'monitor' });
    const ours = again.filter((r) => r.region === '530700000');
    expect(ours.map((r) => r.result.status === 'accepted' && r.result.replayed)).toEqual([true, true]);
    // Without the permission the job is refused and changes nothing.
    const refused = await runMonitorDaily(f.t.db, { on: '2026-09-02', actor: 'clerk', region: '530700000' });
    expect(refused.map((r) => (r.result.status === 'rejected' ? r.result.error.code : 'accepted'))).toEqual([
      'PERMISSION_DENIED',
      'PERMISSION_DENIED',
    ]);
  });
});

describe('the monitoring read API', () => {
  it('shows the inbox, one trail and the dashboard; a unit sees only its own warnings', async () => {
    const monitor = await f.t.login('monitor', 'Fiscus-Mon-2026');
    const clerk = await f.t.login('clerk', 'Fiscus-Clk-2026');
    const get = (url: string, cookie: string) => f.t.app.inject({ method: 'GET', url, headers: { cookie } });
    const q = 'region=530700000&year=2026';
    const all = await get(`/api/v1/monitor/warnings?${q}&ruleCode=DSP_WARN&pageSize=100`, monitor);
    expect(all.statusCode).toBe(200);
    const body = all.json() as {
      total: number;
      rows: { warningId: string; agencyCode: string; amount: string }[];
    };
    expect(body.total).toBeGreaterThanOrEqual(6);
    expect(body.rows.every((r) => r.agencyCode === '205002' && r.amount === '2000.00')).toBe(true);
    const open = await get(`/api/v1/monitor/warnings?${q}&ruleCode=DSP_WARN&state=closed`, monitor);
    expect((open.json() as { total: number }).total).toBe(3);

    const one = body.rows.at(-1)!.warningId;
    const detail = await get(`/api/v1/monitor/warnings/${one}?${q}`, clerk);
    expect(detail.statusCode).toBe(200);
    expect((detail.json() as { events: unknown[]; ruleName: string }).ruleName).toBe('测试规则 DSP_WARN');

    // The clerk's grant is agency 205002: a warning of another unit would be "not found".
    await f.t.db
      .updateTable('monitor.warning')
      .set({ agency_code: '205001' })
      .where('warning_id', '=', one)
      .execute();
    expect((await get(`/api/v1/monitor/warnings/${one}?${q}`, clerk)).statusCode).toBe(404);
    const clerkList = await get(`/api/v1/monitor/warnings?${q}&pageSize=500`, clerk);
    expect(
      (clerkList.json() as { rows: { agencyCode: string }[] }).rows.every((r) => r.agencyCode === '205002'),
    ).toBe(true);
    await f.t.db
      .updateTable('monitor.warning')
      .set({ agency_code: '205002' })
      .where('warning_id', '=', one)
      .execute();

    const stats = (await get(`/api/v1/monitor/stats?${q}`, monitor)).json() as {
      total: number;
      byRule: { key: string; count: number; name: string }[];
      evaluation: { byRule: { key: string; violations: number; closed: number }[] };
    };
    const dsp = stats.byRule.find((r) => r.key === 'DSP_WARN')!;
    expect(dsp).toMatchObject({ name: '测试规则 DSP_WARN' });
    expect(dsp.count).toBe(body.total);
    expect(stats.evaluation.byRule.find((r) => r.key === 'DSP_WARN')).toMatchObject({
      violations: 1,
      closed: 3,
    });
    const rules = (await get('/api/v1/monitor/rules?region=530700000', monitor)).json() as {
      rows: { code: string; params: unknown; versions: number }[];
    };
    expect(rules.rows.find((r) => r.code === 'DSP_WARN')).toMatchObject({
      params: { limit: { yuan: '1000.00' } },
      versions: 1,
    });
    expect((await get('/api/v1/monitor/rules/NO_SUCH?region=530700000', monitor)).statusCode).toBe(404);
    // 回测 over HTTP: the stored rule replayed over March finds every payment it warned on.
    const post = (url: string, cookie: string, payload: Record<string, unknown>) =>
      f.t.app.inject({ method: 'POST', url, headers: { cookie }, payload });
    const bt = await post('/api/v1/monitor/backtest', monitor, {
      region: '530700000',
      year: 2026,
      rule: rule('DSP_WARN', { params: { limit: { yuan: '1500.00' } } }).rule,
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(bt.statusCode).toBe(200);
    const report = bt.json() as {
      hits: number;
      rule: { version: string };
      sameCodeBefore: { warnings: number };
    };
    expect(report.rule.version).toBe('draft');
    expect(report.hits).toBe(body.total);
    expect(report.sameCodeBefore.warnings).toBe(body.total);
    const bad = await post('/api/v1/monitor/backtest', monitor, {
      region: '530700000',
      year: 2026,
      rule: rule('DSP_WARN', { condition: "constructor('x')" }).rule,
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect((bad.json() as { error: { code: string } }).error.code).toBe('MONITOR_EXPRESSION_INVALID');
    const byClerk = await post('/api/v1/monitor/backtest', clerk, {
      region: '530700000',
      year: 2026,
      rule: { code: 'DSP_WARN' },
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(byClerk.statusCode).toBe(403);
    const tr = await post('/api/v1/monitor/rules/test', monitor, {
      region: '530700000',
      year: 2026,
      rule: { code: 'DSP_WARN' },
      applicationIds: [body.rows[0]!.warningId.replace(/^YJ/, 'ZF'), 'ZF202600000000'],
    });
    expect(tr.statusCode).toBe(200);
    expect((tr.json() as { rows: unknown[] }).rows).toHaveLength(2);
    const signer = await f.t.login('signer', 'Fiscus-Sgn-2026');
    expect((await get(`/api/v1/monitor/warnings?${q}`, signer)).statusCode).toBe(403);
  });
});
