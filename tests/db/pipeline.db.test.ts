import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommands, loadDemo, verifyAudit } from '../../packages/core/src/index';
import { createTestDb, type TestDb } from '../support/db';
import { cmd, errorCode, run1, snapshotCounts } from './helpers';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  const report = await loadDemo(t.db);
  expect(report.rejected).toEqual([]);
});
afterAll(async () => t?.close());

describe('demo load', () => {
  it('is idempotent: a second load replays every command and changes nothing', async () => {
    const before = await snapshotCounts(t.db);
    const report = await loadDemo(t.db);
    expect(report.rejected).toEqual([]);
    expect(report.accepted).toBe(0);
    expect(report.replayed).toBe(report.commands);
    expect(await snapshotCounts(t.db)).toEqual(before);
  });
  it('loads the four demo regions as a tree', async () => {
    const rows = await t.db
      .selectFrom('basedata.region')
      .select(['region_code', 'path'])
      .orderBy('region_code')
      .execute();
    expect(rows.map((r) => r.path)).toEqual([
      '530000000',
      '530000000/530700000',
      '530000000/530700000/530702000',
      '530000000/530700000/530721000',
    ]);
  });
});

describe('refusals change nothing but the audit trail', () => {
  it('refuses a malformed command with COMMAND_MALFORMED and audits it', async () => {
    const before = await snapshotCounts(t.db);
    const auditBefore = await t.db
      .selectFrom('platform.audit_record')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await run1(
      t.db,
      { id: 'x', type: 'agency.save', region: '5307', payload: {} },
      { defaultActor: 'budget' },
    );
    expect(errorCode(r)).toBe('COMMAND_MALFORMED');
    if (r.status === 'rejected') {
      expect(r.error.message['zh-CN']).toContain('命令格式错误');
      expect(r.error.message.en).toContain('Malformed command');
      expect(r.error.issues?.map((i) => i.path)).toEqual(
        expect.arrayContaining(['id', 'region', 'year', 'on']),
      );
    }
    expect(await snapshotCounts(t.db)).toEqual(before);
    const auditAfter = await t.db
      .selectFrom('platform.audit_record')
      .select((eb) => eb.fn.countAll<bigint>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n) + 1);
  });

  it('refuses an unknown command type', async () => {
    const r = await run1(t.db, cmd('agency.explode', {}), { defaultActor: 'budget' });
    expect(errorCode(r)).toBe('COMMAND_TYPE_UNKNOWN');
  });

  it('refuses an invalid payload with field issues', async () => {
    const r = await run1(
      t.db,
      cmd('agency.save', { code: 'bad code', name: '', kind: '部队', parentCode: null }),
      { defaultActor: 'budget' },
    );
    expect(errorCode(r)).toBe('VALIDATION_FAILED');
    if (r.status === 'rejected')
      expect(r.error.issues?.map((i) => i.path).sort()).toEqual(['code', 'kind', 'name']);
  });

  it('refuses an unknown code (CODE_UNKNOWN) and changes nothing', async () => {
    const before = await snapshotCounts(t.db);
    const r1 = await run1(
      t.db,
      cmd('codeItem.save', { set: 'expFunc', code: '2999901', name: '测试', parentCode: '29999' }),
      { defaultActor: 'budget' },
    );
    expect(errorCode(r1)).toBe('CODE_UNKNOWN');
    const r2 = await run1(
      t.db,
      cmd('economicMapping.save', { depEcoCode: '39998', agencyKind: '*', govEcoCode: '59999' }),
      { defaultActor: 'budget' },
    );
    expect(errorCode(r2)).toBe('CODE_UNKNOWN');
    const after = await snapshotCounts(t.db);
    // Domain refusals are remembered by id (command_log), nothing else moves.
    expect({ ...after, 'platform.command_log': 0 }).toEqual({ ...before, 'platform.command_log': 0 });
    expect(after['platform.command_log']).toBe((before['platform.command_log'] ?? 0) + 2);
  });

  it('refuses a user without the permission', async () => {
    const r = await run1(
      t.db,
      cmd('agency.save', { code: '999', name: '新部门', kind: '行政', parentCode: null }),
      { defaultActor: 'clerk' },
    );
    expect(errorCode(r)).toBe('PERMISSION_DENIED');
  });

  it('refuses work outside the data scope: region and agency subtree', async () => {
    const r1 = await run1(
      t.db,
      cmd(
        'agency.save',
        { code: '998', name: '省级新部门', kind: '行政', parentCode: null },
        { region: '530000000' },
      ),
      { defaultActor: 'budget' },
    );
    expect(errorCode(r1)).toBe('SCOPE_DENIED');
    const account = {
      accountNo: '99990000111',
      accountName: '他单位账户',
      kind: 'unitOwn',
      agencyCode: '205001',
      bankCode: 'ICBC',
      bankName: '工行',
      openedOn: '2026-01-05',
    };
    const r2 = await run1(t.db, cmd('bankAccount.register', account), { defaultActor: 'clerk' });
    expect(errorCode(r2)).toBe('SCOPE_DENIED');
  });

  it('refuses a disabled or unknown actor', async () => {
    const r = await run1(t.db, cmd('payee.save', {}), { defaultActor: 'nobody' });
    expect(errorCode(r)).toBe('VALIDATION_FAILED');
    const r2 = await run1(
      t.db,
      cmd('payee.save', {
        code: 'P9',
        name: '某公司',
        kind: 'organization',
        accountNo: '12345678901',
        accountName: '某公司',
        bankName: '某行',
        bankNo: null,
      }),
      { defaultActor: 'nobody' },
    );
    expect(errorCode(r2)).toBe('ACTOR_UNKNOWN');
  });

  it('does not let the setup actor through unless the CLI allows it', async () => {
    const r = await run1(t.db, cmd('fiscalYear.open', {}, { year: 2030 }), { defaultActor: 'fiscus-setup' });
    expect(errorCode(r)).toBe('ACTOR_UNKNOWN');
  });
});

describe('idempotency by request id', () => {
  it('returns the first result for a repeat and refuses a reuse with another payload', async () => {
    const c = cmd('payee.save', {
      code: 'P100',
      name: '丽江某公司',
      kind: 'organization',
      accountNo: '53001234567890',
      accountName: '丽江某公司',
      bankName: '建行丽江分行',
      bankNo: null,
    });
    const first = await run1(t.db, c, { defaultActor: 'treasury' });
    expect(first.status).toBe('accepted');
    expect(first.replayed).toBe(false);
    const before = await snapshotCounts(t.db);
    const again = await run1(t.db, c, { defaultActor: 'treasury' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await snapshotCounts(t.db)).toEqual(before);
    const changed = await run1(
      t.db,
      { ...c, payload: { ...(c.payload as object), name: '改名公司' } },
      { defaultActor: 'treasury' },
    );
    expect(errorCode(changed)).toBe('COMMAND_ID_REUSED');
    const row = await t.db
      .selectFrom('basedata.payee')
      .select('name')
      .where('code', '=', 'P100')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('丽江某公司');
  });

  it('runs a command once when the same id arrives twice at the same time', async () => {
    const c = cmd('payee.save', {
      code: 'P101',
      name: '并发公司',
      kind: 'organization',
      accountNo: '53001234567891',
      accountName: '并发公司',
      bankName: '建行',
      bankNo: null,
    });
    const [a, b] = await Promise.all([
      run1(t.db, c, { defaultActor: 'treasury' }),
      run1(t.db, c, { defaultActor: 'treasury' }),
    ]);
    expect([a.status, b.status]).toEqual(['accepted', 'accepted']);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const audits = await t.db
      .selectFrom('platform.audit_record')
      .select('outcome')
      .where('command_id', '=', c.id)
      .execute();
    expect(audits).toHaveLength(2);
  });

  it('answers a batch in order with one result per command', async () => {
    const ok = cmd('payee.save', {
      code: 'P102',
      name: '批量公司',
      kind: 'organization',
      accountNo: '53001234567892',
      accountName: '批量公司',
      bankName: '建行',
      bankNo: null,
    });
    const bad = cmd('payee.save', { code: 'P103' });
    const other = cmd('fiscalYear.open', {}, { region: '530702000', year: 2027 });
    const rs = await executeCommands(t.db, [ok, bad, other], { defaultActor: 'treasury' });
    expect(rs.map((r) => [r.id, r.status])).toEqual([
      [ok.id, 'accepted'],
      [bad.id, 'rejected'],
      [other.id, 'rejected'],
    ]);
    expect(errorCode(rs[2]!)).toBe('PERMISSION_DENIED');
  });
});

describe('separation of duties', () => {
  const account = {
    accountNo: '53009990001',
    accountName: '丽江市第一中学零余额账户',
    kind: 'unitZeroBalance',
    agencyCode: '205002',
    bankCode: 'ICBC',
    bankName: '中国工商银行丽江分行',
    openedOn: '2026-02-01',
  };

  it('lets a clerk register an account of their own unit, and refuses its preparer as approver', async () => {
    const banks = await t.db
      .selectFrom('basedata.agent_bank')
      .select('code')
      .where('region_code', '=', '530700000')
      .execute();
    const bankCode = banks.find((b) => b.code !== 'PBOC')!.code;
    const reg = await run1(t.db, cmd('bankAccount.register', { ...account, bankCode }), {
      defaultActor: 'treasury',
    });
    expect(reg.status).toBe('accepted');
    const self = await run1(t.db, cmd('bankAccount.approve', { accountNo: account.accountNo }), {
      defaultActor: 'treasury',
    });
    expect(errorCode(self)).toBe('SOD_SAME_PERSON');
    const row = await t.db
      .selectFrom('basedata.bank_account')
      .select('status')
      .where('account_no', '=', account.accountNo)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
  });

  it('refuses approval of an account in the wrong state', async () => {
    const acct = await t.db
      .selectFrom('basedata.bank_account')
      .select('account_no')
      .where('status', '=', 'active')
      .where('region_code', '=', '530700000')
      .executeTakeFirstOrThrow();
    const r = await run1(t.db, cmd('bankAccount.approve', { accountNo: acct.account_no }), {
      defaultActor: 'treasury',
    });
    expect(errorCode(r)).toBe('STATE_INVALID');
  });

  it('keeps the three administrators apart (三员分立)', async () => {
    const sysGrant = await run1(
      t.db,
      cmd('user.grantRole', {
        username: 'budget2',
        role: 'treasuryOfficer',
        scopeRegion: '530700000',
        includeDescendants: true,
        scopeAgency: null,
      }),
      { defaultActor: 'sysadmin' },
    );
    expect(errorCode(sysGrant)).toBe('PERMISSION_DENIED');
    const secCreate = await run1(
      t.db,
      cmd('user.create', {
        username: 'newbie',
        displayName: '新人',
        password: 'Abcdefgh123',
        agencyCode: null,
      }),
      { defaultActor: 'secadmin' },
    );
    expect(errorCode(secCreate)).toBe('PERMISSION_DENIED');
    const mixed = await run1(
      t.db,
      cmd('user.grantRole', {
        username: 'budget2',
        role: 'auditAdmin',
        scopeRegion: '530700000',
        includeDescendants: true,
        scopeAgency: null,
      }),
      { defaultActor: 'secadmin' },
    );
    expect(errorCode(mixed)).toBe('SOD_ADMIN_ROLE_CONFLICT');
    const selfGrant = await run1(
      t.db,
      cmd('user.grantRole', {
        username: 'secadmin',
        role: 'secAdmin',
        scopeRegion: '530700000',
        includeDescendants: true,
        scopeAgency: null,
      }),
      { defaultActor: 'secadmin' },
    );
    expect(errorCode(selfGrant)).toBe('SOD_SAME_PERSON');
    for (const admin of ['sysadmin', 'secadmin', 'auditadmin']) {
      const fiscal = await run1(
        t.db,
        cmd('agency.save', { code: '997', name: '部门', kind: '行政', parentCode: null }),
        { defaultActor: admin },
      );
      expect(errorCode(fiscal)).toBe('PERMISSION_DENIED');
    }
  });
});

describe('audit chain', () => {
  it('verifies after all of the above', async () => {
    const report = await verifyAudit(t.db);
    expect(report.problems).toEqual([]);
    expect(report.regions.map((r) => r.regionCode)).toEqual(
      expect.arrayContaining(['000000000', '530000000', '530700000']),
    );
  });

  it('keeps secrets out of the trail', async () => {
    const rows = await t.db
      .selectFrom('platform.audit_record')
      .select('detail')
      .where('command_type', '=', 'user.create')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('Fiscus-');
  });

  it('refuses updates and deletes of audit records', async () => {
    await expect(
      sql`update platform.audit_record set actor = 'x' where seq = 1`.execute(t.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from platform.audit_record where seq = 1`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('detects an edited, a deleted and a reordered record', async () => {
    await sql`alter table platform.audit_record disable trigger audit_record_append_only`.execute(t.db);
    try {
      await sql`update platform.audit_record set actor = 'mallory' where region_code = '530700000' and seq = 3`.execute(
        t.db,
      );
      await sql`delete from platform.audit_record where region_code = '530702000' and seq = 2`.execute(t.db);
      // Swap records 4 and 5 of a chain (through a spare number: the key is unique).
      const swap = (from: number, to: number) =>
        sql`update platform.audit_record set seq = ${to} where region_code = '530721000' and seq = ${from}`.execute(
          t.db,
        );
      await swap(4, -1);
      await swap(5, 4);
      await swap(-1, 5);
      const report = await verifyAudit(t.db);
      const found = report.problems.map((p) => `${p.regionCode}:${p.seq}:${p.kind}`);
      expect(found).toContain('530700000:3:hash_mismatch');
      expect(found).toContain('530702000:3:seq_gap');
      expect(found.some((f) => f.startsWith('530721000:') && f.endsWith('link_broken'))).toBe(true);
      expect(report.regions.find((r) => r.regionCode === '530000000')?.ok).toBe(true);
    } finally {
      await sql`alter table platform.audit_record enable trigger audit_record_append_only`.execute(t.db);
    }
  });
});
