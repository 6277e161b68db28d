import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../packages/core/src/index';
import { createTestDb, type TestDb } from '../support/db';
import { cmd, errorCode, run1 } from './helpers';

let t: TestDb;
const asBudget = { defaultActor: 'budget' };
const asProvince = { defaultActor: 'province' };

beforeAll(async () => {
  t = await createTestDb();
  expect((await loadDemo(t.db)).rejected).toEqual([]);
});
afterAll(async () => t?.close());

describe('regions', () => {
  it('adds a township under a county and keeps the path', async () => {
    const r = await run1(
      t.db,
      cmd(
        'region.save',
        {
          code: '530702101',
          admDivCode: '530702',
          name: '古城区某镇',
          level: 'township',
          parentCode: '530702000',
        },
        { region: '530702101' },
      ),
      asBudget,
    );
    expect(r.status).toBe('accepted');
    const row = await t.db
      .selectFrom('basedata.region')
      .select('path')
      .where('region_code', '=', '530702101')
      .executeTakeFirstOrThrow();
    expect(row.path).toBe('530000000/530700000/530702000/530702101');
  });
  it('refuses a parent that does not exist, a level not below the parent, and a mismatched admDivCode', async () => {
    const save = (p: Record<string, unknown>) =>
      run1(t.db, cmd('region.save', p, { region: String(p.code) }), asProvince);
    expect(
      errorCode(
        await save({
          code: '530800000',
          admDivCode: '530800',
          name: '普洱市',
          level: 'city',
          parentCode: '539900000',
        }),
      ),
    ).toBe('REGION_UNKNOWN');
    expect(
      errorCode(
        await save({
          code: '530800000',
          admDivCode: '530800',
          name: '普洱市',
          level: 'province',
          parentCode: '530000000',
        }),
      ),
    ).toBe('REGION_PARENT_INVALID');
    expect(
      errorCode(
        await save({
          code: '530800000',
          admDivCode: '530801',
          name: '普洱市',
          level: 'city',
          parentCode: '530000000',
        }),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});

describe('fiscal years and code sets', () => {
  it('opens a new year, loads a newer code-set version into it, and refuses to open it twice', async () => {
    expect((await run1(t.db, cmd('fiscalYear.open', {}, { year: 2027 }), asBudget)).status).toBe('accepted');
    expect(errorCode(await run1(t.db, cmd('fiscalYear.open', {}, { year: 2027 }), asBudget))).toBe(
      'FISCAL_YEAR_STATE',
    );
    const load = await run1(t.db, cmd('codeSet.load', { version: '2027.1' }, { year: 2027 }), asBudget);
    expect(load.status).toBe('accepted');
    const item = await t.db
      .selectFrom('basedata.code_item')
      .select(['name', 'version', 'level'])
      .where('region_code', '=', '530700000')
      .where('fiscal_year', '=', 2027)
      .where('set_code', '=', 'expFunc')
      .where('code', '=', '2100717')
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ name: '生育支持服务', version: '2027.1', level: 3 });
    const old = await t.db
      .selectFrom('basedata.code_item')
      .select('name')
      .where('fiscal_year', '=', 2026)
      .where('region_code', '=', '530700000')
      .where('code', '=', '2100717')
      .executeTakeFirstOrThrow();
    expect(old.name).toBe('计划生育服务');
  });
  it('refuses an unknown code-set version and a year that was never opened', async () => {
    expect(
      errorCode(await run1(t.db, cmd('codeSet.load', { version: '2031.1' }, { year: 2027 }), asBudget)),
    ).toBe('CODESET_VERSION_UNKNOWN');
    expect(
      errorCode(await run1(t.db, cmd('codeSet.load', { version: '2026.1' }, { year: 2031 }), asBudget)),
    ).toBe('FISCAL_YEAR_NOT_OPEN');
  });
  it('closes a year once', async () => {
    expect((await run1(t.db, cmd('fiscalYear.close', {}, { year: 2027 }), asBudget)).status).toBe('accepted');
    expect(errorCode(await run1(t.db, cmd('fiscalYear.close', {}, { year: 2027 }), asBudget))).toBe(
      'FISCAL_YEAR_STATE',
    );
  });
  it('checks a new code against its set: parent, prefix and level', async () => {
    const save = (p: Record<string, unknown>) => run1(t.db, cmd('codeItem.save', p), asBudget);
    expect(
      (await save({ set: 'expFunc', code: '2010150', name: '事业运行', parentCode: '20101' })).status,
    ).toBe('accepted');
    expect(
      errorCode(await save({ set: 'expFunc', code: '2020150', name: '错位', parentCode: '20101' })),
    ).toBe('VALIDATION_FAILED');
    expect(
      errorCode(await save({ set: 'expFunc', code: '201015', name: '长度不对', parentCode: '20101' })),
    ).toBe('VALIDATION_FAILED');
    expect(errorCode(await save({ set: 'depEco', code: '30299', name: '无上级', parentCode: '399' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await save({ set: 'fundType', code: '113', name: '其他一般公共预算资金', parentCode: '11' })).status,
    ).toBe('accepted');
  });
  it('maps a departmental economic code to a government one', async () => {
    const r = await run1(
      t.db,
      cmd('economicMapping.save', { depEcoCode: '30299', agencyKind: '事业', govEcoCode: '50502' }),
      asBudget,
    );
    expect(r.status).toBe('accepted');
  });
});

describe('agencies', () => {
  it('saves a unit under its department with the department code', async () => {
    const r = await run1(
      t.db,
      cmd('agency.save', { code: '205009', name: '丽江市第九中学', kind: '事业', parentCode: '205' }),
      asBudget,
    );
    expect(r).toMatchObject({ status: 'accepted', result: { deptCode: '205', created: true } });
  });
  it('refuses an unknown parent and moving an agency that has children', async () => {
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('agency.save', { code: '888001', name: '孤儿单位', kind: '事业', parentCode: '888' }),
          asBudget,
        ),
      ),
    ).toBe('AGENCY_PARENT_INVALID');
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('agency.save', { code: '205', name: '丽江市教育局', kind: '行政', parentCode: '101' }),
          asBudget,
        ),
      ),
    ).toBe('STATE_INVALID');
  });
});

describe('bank accounts', () => {
  it('requires an owner agency for unit accounts and a known bank', async () => {
    const base = {
      accountNo: '53005550001',
      accountName: '测试户',
      kind: 'unitOwn',
      agencyCode: null,
      bankCode: 'ICBC',
      bankName: '工行',
      openedOn: '2026-01-01',
    };
    expect(errorCode(await run1(t.db, cmd('bankAccount.register', base), { defaultActor: 'treasury' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      errorCode(
        await run1(t.db, cmd('bankAccount.register', { ...base, agencyCode: '205002', bankCode: 'NOPE' }), {
          defaultActor: 'treasury',
        }),
      ),
    ).toBe('BANK_UNKNOWN');
    expect(
      errorCode(
        await run1(t.db, cmd('bankAccount.register', { ...base, agencyCode: '999999' }), {
          defaultActor: 'treasury',
        }),
      ),
    ).toBe('AGENCY_UNKNOWN');
  });
  it('goes pending → active → closed with two different people', async () => {
    const banks = await t.db
      .selectFrom('basedata.agent_bank')
      .select('code')
      .where('region_code', '=', '530700000')
      .where('code', '!=', 'PBOC')
      .execute();
    const acct = {
      accountNo: '53005550002',
      accountName: '丽江市第一中学实有资金账户',
      kind: 'unitOwn',
      agencyCode: '205002',
      bankCode: banks[0]!.code,
      bankName: '开户行',
      openedOn: '2026-01-01',
    };
    expect((await run1(t.db, cmd('bankAccount.register', acct), { defaultActor: 'clerk' })).status).toBe(
      'accepted',
    );
    expect(
      (
        await run1(t.db, cmd('bankAccount.approve', { accountNo: acct.accountNo }), {
          defaultActor: 'treasury',
        })
      ).status,
    ).toBe('accepted');
    const row = await t.db
      .selectFrom('basedata.bank_account')
      .select(['status', 'prepared_by', 'approved_by'])
      .where('account_no', '=', acct.accountNo)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'active', prepared_by: 'clerk', approved_by: 'treasury' });
    expect(
      (
        await run1(t.db, cmd('bankAccount.close', { accountNo: acct.accountNo, reason: '撤销' }), {
          defaultActor: 'treasury',
        })
      ).status,
    ).toBe('accepted');
    expect(
      errorCode(
        await run1(t.db, cmd('bankAccount.close', { accountNo: acct.accountNo, reason: '撤销' }), {
          defaultActor: 'treasury',
        }),
      ),
    ).toBe('STATE_INVALID');
  });
});

describe('users', () => {
  it('lets the system administrator create a user and the security administrator grant a role', async () => {
    const c = await run1(
      t.db,
      cmd('user.create', {
        username: 'newclerk',
        displayName: '新报账员',
        password: 'Newclerk-2026',
        agencyCode: '205002',
      }),
      {
        defaultActor: 'sysadmin',
      },
    );
    expect(c.status).toBe('accepted');
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('user.create', { username: 'newclerk', displayName: 'x', password: 'Newclerk-2026' }),
          { defaultActor: 'sysadmin' },
        ),
      ),
    ).toBe('ALREADY_EXISTS');
    const g = await run1(
      t.db,
      cmd('user.grantRole', {
        username: 'newclerk',
        role: 'unitClerk',
        scopeRegion: '530700000',
        includeDescendants: false,
        scopeAgency: '205002',
      }),
      { defaultActor: 'secadmin' },
    );
    expect(g.status).toBe('accepted');
    const pwd = await t.db
      .selectFrom('auth.app_user')
      .select('password_hash')
      .where('username', '=', 'newclerk')
      .executeTakeFirstOrThrow();
    expect(pwd.password_hash).toMatch(/^\$argon2id\$/);
  });
  it('refuses a weak password and an unknown role', async () => {
    expect(
      errorCode(
        await run1(t.db, cmd('user.create', { username: 'weak', displayName: 'x', password: 'short' }), {
          defaultActor: 'sysadmin',
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('user.grantRole', { username: 'newclerk', role: 'emperor', scopeRegion: '530700000' }),
          { defaultActor: 'secadmin' },
        ),
      ),
    ).toBe('NOT_FOUND');
  });
  it('disables a user and their sessions stop working', async () => {
    expect(
      (await run1(t.db, cmd('user.disable', { username: 'newclerk' }), { defaultActor: 'sysadmin' })).status,
    ).toBe('accepted');
    expect(
      errorCode(
        await run1(
          t.db,
          cmd('payee.save', {
            code: 'Z1',
            name: 'x',
            kind: 'person',
            accountNo: '6222020000000000001',
            accountName: 'x',
            bankName: 'x',
            bankNo: null,
          }),
          { defaultActor: 'newclerk' },
        ),
      ),
    ).toBe('ACTOR_UNKNOWN');
  });
});
