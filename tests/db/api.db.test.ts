import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/server';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;
let budget: string;

beforeAll(async () => {
  t = await createTestApp();
  budget = await t.login('budget', 'Fiscus-Bgt-2026');
});
afterAll(async () => t?.close());

const get = (url: string, cookie?: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

describe('system endpoints', () => {
  it('answers /healthz with the database mode', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'embedded' });
  });
  it('serves an OpenAPI document listing the command endpoint', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/commands', '/api/v1/sessions', '/api/v1/agencies']),
    );
  });
});

describe('sessions', () => {
  it('refuses a wrong password and then locks the account after five failures', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username: 'unithead', password: 'wrong-password-1' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('LOGIN_FAILED');
      expect(res.json().error.message['zh-CN']).toBe('用户名或密码错误');
    }
    const fifth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: 'unithead', password: 'wrong-password-1' },
    });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe('LOGIN_LOCKED');
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: 'unithead', password: 'Fiscus-Uhd-2026' },
    });
    expect(right.statusCode).toBe(429);
  });
  it('does not tell whether a user exists', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: 'ghost', password: 'whatever-123' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('LOGIN_FAILED');
  });
  it('describes the signed-in user and ends the session on DELETE', async () => {
    const cookie = await t.login('clerk', 'Fiscus-Clk-2026');
    const me = (await get('/api/v1/sessions/current', cookie)).json();
    expect(me.username).toBe('clerk');
    expect(me.permissions).toContain('basedata.read');
    expect(me.defaultRegion).toBe('530700000');
    expect(me.defaultYear).toBe(2026);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/sessions/current',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect((await get('/api/v1/sessions/current', cookie)).statusCode).toBe(401);
  });
  it('refuses API calls without a session', async () => {
    const res = await get('/api/v1/agencies?region=530700000&year=2026');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('commands over HTTP', () => {
  const payee = {
    code: 'H001',
    name: 'HTTP测试公司',
    kind: 'organization',
    accountNo: '53007777000011',
    accountName: 'HTTP测试公司',
    bankName: '建行',
    bankNo: null,
  };
  it('accepts a command, replays its id, refuses a reuse, and answers arrays in order', async () => {
    const treasury = await t.login('treasury', 'Fiscus-Trs-2026');
    const c = {
      id: 'http-cmd-0001',
      type: 'payee.save',
      region: '530700000',
      year: 2026,
      on: '2026-03-02',
      payload: payee,
    };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: treasury },
      payload: c,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'accepted', replayed: false });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: treasury },
      payload: c,
    });
    expect(again.json()).toMatchObject({ status: 'accepted', replayed: true });
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: treasury },
      payload: { ...c, on: '2026-03-03' },
    });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().error.code).toBe('COMMAND_ID_REUSED');
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: treasury },
      payload: [{ ...c, id: 'http-cmd-0002', payload: { ...payee, code: 'H002' } }, { id: 'bad' }],
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
  });
  it('refuses an envelope that names another actor', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: budget },
      payload: {
        id: 'http-cmd-0003',
        type: 'payee.save',
        region: '530700000',
        year: 2026,
        on: '2026-03-02',
        actor: 'treasury',
        payload: payee,
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('COMMAND_MALFORMED');
  });
  it('answers 403 for a missing permission', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/commands',
      headers: { cookie: budget },
      payload: {
        id: 'http-cmd-0004',
        type: 'payee.save',
        region: '530700000',
        year: 2026,
        on: '2026-03-02',
        payload: payee,
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('PERMISSION_DENIED');
  });
});

describe('base-data lists', () => {
  it('lists agencies with keyword, filter and paging', async () => {
    const all = (await get('/api/v1/agencies?region=530700000&year=2026&pageSize=5', budget)).json();
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThan(5);
    const edu = (
      await get(`/api/v1/agencies?region=530700000&year=2026&q=${encodeURIComponent('教育')}`, budget)
    ).json();
    expect(edu.items.length).toBeGreaterThan(0);
    expect(edu.items.every((i: { name: string }) => i.name.includes('教育') || i.name.includes('中学'))).toBe(
      true,
    );
    const units = (
      await get(`/api/v1/agencies?region=530700000&year=2026&kind=${encodeURIComponent('事业')}`, budget)
    ).json();
    expect(units.items.every((i: { kind: string }) => i.kind === '事业')).toBe(true);
  });
  it('shows the region subtree and code sets of a year', async () => {
    const regions = (await get('/api/v1/regions?region=530700000&year=2026', budget)).json();
    expect(regions.items.map((r: { code: string }) => r.code)).toEqual([
      '530700000',
      '530702000',
      '530721000',
    ]);
    const sanGong = (
      await get('/api/v1/code-items?region=530700000&year=2026&set=depEco&pageSize=200', budget)
    ).json();
    const codes = sanGong.items.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['30212', '30217', '30231', '31013']));
  });
  it('refuses a region outside the user scope', async () => {
    const res = await get('/api/v1/agencies?region=530000000&year=2026', budget);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SCOPE_DENIED');
  });
  it('returns a detail and 404 for an unknown id', async () => {
    const ok = await get('/api/v1/agencies/205?region=530700000&year=2026', budget);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().item.code).toBe('205');
    expect((await get('/api/v1/agencies/999999?region=530700000&year=2026', budget)).statusCode).toBe(404);
  });
  it('exports the filtered list to Excel with codes as text', async () => {
    const res = await get(
      `/api/v1/agencies/export?region=530700000&year=2026&q=${encodeURIComponent('教育')}`,
      budget,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('单位代码');
    expect(sheet.rowCount).toBeGreaterThan(1);
    expect(typeof sheet.getRow(2).getCell(1).value).toBe('string');
  });
});

describe('import with preview', () => {
  const csv = (rows: string[]) =>
    Buffer.from(`\ufeff单位代码,单位名称,单位性质,上级单位,启用\n${rows.join('\n')}\n`, 'utf8');
  const post = (body: Buffer, dryRun: boolean) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/agencies/imports?region=530700000&year=2026&dryRun=${dryRun}`,
      headers: { cookie: budget, 'content-type': 'application/octet-stream', 'x-file-name': 'agencies.csv' },
      payload: body,
    });
  it('names every bad row and imports nothing until the file is clean', async () => {
    const bad = csv([
      '301,丽江市民政局,行政,,是',
      '301001,丽江市民政局本级,行政,301,是',
      '301002,,行政,301,是',
      '301003,丽江市某中心,部队,301,是',
      '301004,某单位,事业,888,是',
    ]);
    const preview = (await post(bad, true)).json();
    expect(preview.ok).toBe(false);
    expect(
      preview.errors.map((e: { row: number; column: string | null; code: string }) => [
        e.row,
        e.column,
        e.code,
      ]),
    ).toEqual([
      [4, '单位名称', 'IMPORT_VALUE_REQUIRED'],
      [5, '单位性质', 'VALIDATION_FAILED'],
      [6, null, 'AGENCY_PARENT_INVALID'],
    ]);
    const commit = (await post(bad, false)).json();
    expect(commit.ok).toBe(false);
    expect(commit.imported).toBe(0);
    expect((await get('/api/v1/agencies/301?region=530700000&year=2026', budget)).statusCode).toBe(404);

    const good = csv(['301,丽江市民政局,行政,,是', '301001,丽江市民政局本级,行政,301,是']);
    const ok = (await post(good, true)).json();
    expect(ok).toMatchObject({ ok: true, total: 2, imported: 2, errors: [] });
    expect((await get('/api/v1/agencies/301?region=530700000&year=2026', budget)).statusCode).toBe(404);
    const done = (await post(good, false)).json();
    expect(done).toMatchObject({ ok: true, imported: 2 });
    expect(
      (await get('/api/v1/agencies/301001?region=530700000&year=2026', budget)).json().item.deptCode,
    ).toBe('301');
    const again = (await post(good, false)).json();
    expect(again).toMatchObject({ ok: true, imported: 0, unchanged: 2 });
  });
  it('explains field errors in Chinese and English', async () => {
    const res = (await post(csv(['30-x,某局,部队,,是']), true)).json();
    const messages = res.errors.map((e: { message: { 'zh-CN': string; en: string } }) => e.message);
    expect(messages).toContainEqual({
      'zh-CN': '单位代码：代码为 1 至 21 位字母或数字',
      en: 'code: code is 1-21 letters or digits',
    });
    expect(messages.find((m: { en: string }) => m.en.startsWith('kind:'))['zh-CN']).toMatch(
      /^单位性质：无效选项/,
    );
  });
  it('lists two-field ids in the list metadata', async () => {
    const lists = (await get('/api/v1/lists', budget)).json();
    expect(lists.find((l: { key: string }) => l.key === 'code-items').idFields).toEqual(['set', 'code']);
  });
  it('opens fiscal years from a sheet and names a year that is already open', async () => {
    const body = Buffer.from('区划代码,预算年度\n530702000,2028\n530721000,2026\n');
    const url = '/api/v1/fiscal-years/imports?region=530700000&year=2026';
    const headers = {
      cookie: budget,
      'content-type': 'application/octet-stream',
      'x-file-name': 'years.csv',
    };
    const preview = (
      await t.app.inject({ method: 'POST', url: `${url}&dryRun=true`, headers, payload: body })
    ).json();
    expect(preview.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [3, 'FISCAL_YEAR_STATE'],
    ]);
    const ok = Buffer.from('区划代码,预算年度\n530702000,2028\n');
    const done = (
      await t.app.inject({ method: 'POST', url: `${url}&dryRun=false`, headers, payload: ok })
    ).json();
    expect(done).toMatchObject({ ok: true, imported: 1 });
    const years = (await get('/api/v1/fiscal-years?region=530702000&year=2026', budget)).json();
    expect(years.items.map((y: { fiscalYear: number }) => y.fiscalYear)).toContain(2028);
  });
  it('reports a missing required column', async () => {
    const res = (await post(Buffer.from('单位代码,单位名称\n302,某局\n'), true)).json();
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toMatchObject({ row: 1, column: '单位性质', code: 'IMPORT_COLUMN_MISSING' });
  });
  it('refuses a file that is not a table', async () => {
    const res = await post(Buffer.from([0x00, 0x01, 0x02, 0x03]), true);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('IMPORT_FILE_INVALID');
  });
});

describe('audit over HTTP', () => {
  it('lets only the audit administrator read and verify the trail', async () => {
    const auditor = await t.login('auditadmin', 'Fiscus-Aud-2026');
    const page = (await get('/api/v1/audit-records?region=530700000&pageSize=5', auditor)).json();
    expect(page.items.length).toBe(5);
    expect(page.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const verify = await t.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verifications',
      headers: { cookie: auditor },
    });
    expect(verify.json().problems).toEqual([]);
    expect((await get('/api/v1/audit-records?region=530700000', budget)).statusCode).toBe(403);
  });
});
