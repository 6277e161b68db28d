import pg from 'pg';

const FLAGS =
  '{"directReach":false,"sanGong":false,"salary":false,"govProcurement":false,"unionFee":false,"povertyRelief":false,"toPeople":false}';

/**
 * The set-based fixture: `n` indicators of 丽江市第一中学 with an opening balance each (借1001 /
 * 贷2101, every 20th 贷2001), written with INSERT…SELECT over generate_series — element keys,
 * entries, lines, running and monthly balances and indicator rows, exactly as the engine would
 * write them (key text included, so the engine finds the same keys). Triggers are off for the
 * load (`session_replication_role = replica`: needs a superuser, as the embedded server's is);
 * the rows are consistent by construction and `fiscus ledger verify` passes over them.
 * 6 of 10 indicators are projects (指标类型 21: carried by the default policy), 4 basic
 * expenditure (11: lapsed).
 */
export async function loadBalances(url: string, region: string, year: number, n: number): Promise<void> {
  const c = new pg.Client({ connectionString: url, application_name: 'fiscus-bench' });
  await c.connect();
  try {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    await c.query(
      `create temp table fx on commit drop as
       select i, 'YB' || lpad(i::text, 8, '0') as id,
              case when i % 10 < 6 then '21' else '11' end as it,
              case when i % 20 = 0 then '2001' else '2101' end as acct,
              ((i % 1000) + 1)::bigint * 100 as amt,
              nextval('ledger.entry_id_seq') as eid
       from generate_series(1, $1::int) i`,
      [n],
    );
    await c.query(
      `insert into ledger.element_key (region_code, fiscal_year, key_text, indicator_id, agency_code, dept_code,
         exp_func_code, gov_eco_code, dep_eco_code, fund_type_code, source_type_code, indicator_type_code,
         pay_type_code, flags)
       select $1::text, $2::int, id || '||205002|205||2050203||50201|30211|111|1|' || it || '|11||||||0000000', id,
         '205002', '205', '2050203', '50201', '30211', '111', '1', it, '11', $3::jsonb
       from fx`,
      [region, year, FLAGS],
    );
    await c.query(
      `create temp table fk on commit drop as
       select fx.*, k.id as kid from fx join ledger.element_key k
         on k.region_code = $1 and k.fiscal_year = $2 and k.indicator_id = fx.id`,
      [region, year],
    );
    await c.query(
      `insert into ledger.entry (region_code, fiscal_year, id, scenario, business_date, debit_fen, credit_fen)
       select $1::text, $2::int, eid, 'opening', make_date($2::int, 1, 1), amt, amt from fk`,
      [region, year],
    );
    await c.query(
      `insert into ledger.line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
       select $1::text, $2::int, eid, 1, '1001', 'debit', amt, kid, make_date($2::int, 1, 1) from fk
       union all
       select $1::text, $2::int, eid, 2, acct, 'credit', amt, kid, make_date($2::int, 1, 1) from fk`,
      [region, year],
    );
    for (const table of ['ledger.balance', 'ledger.balance_month']) {
      const month = table === 'ledger.balance_month';
      await c.query(
        `insert into ${table} (region_code, fiscal_year, account, element_key_id, ${month ? 'month, ' : ''}debit_fen, credit_fen)
         select $1::text, $2::int, '1001', kid, ${month ? '1, ' : ''}amt, 0 from fk
         union all
         select $1::text, $2::int, acct, kid, ${month ? '1, ' : ''}0, amt from fk`,
        [region, year],
      );
    }
    await c.query(
      `insert into indicators.indicator (region_code, fiscal_year, indicator_id, pool, elements, agency_code,
         dept_code, exp_func_code, gov_eco_code, dep_eco_code, fund_type_code, source_type_code,
         indicator_type_code, direct_reach, origin_kind, created_by_doc)
       select $1::text, $2::int, id, case when acct = '2101' then 'executable' else 'unallocated' end,
         jsonb_build_object('indicatorId', id, 'originIndicatorId', null, 'agencyCode', '205002',
           'deptCode', '205', 'projectCode', null, 'expFuncCode', '2050203', 'tpFuncCode', null,
           'govEcoCode', '50201', 'depEcoCode', '30211', 'fundTypeCode', '111', 'sourceTypeCode', '1',
           'indicatorTypeCode', it, 'payTypeCode', '11', 'manageDivCode', null, 'docNo', null,
           'supDocNo', null, 'receivingRegion', null, 'trackProjectCode', null, 'flags', $3::jsonb),
         '205002', '205', '2050203', '50201', '30211', '111', '1', it, false, 'approve', 'bench-fixture'
       from fk`,
      [region, year, FLAGS],
    );
    await c.query('commit');
    await c.query(
      'vacuum analyze ledger.element_key, ledger.entry, ledger.line, ledger.balance, ledger.balance_month, indicators.indicator',
    );
  } catch (e) {
    await c.query('rollback').catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
}

/**
 * The baseline: one raw INSERT…SELECT per table writing the same journal rows the year-end writes
 * (per carried balance 2 entries and 4 lines, per lapsed one 1 entry and 2 lines) into plain
 * copies of ledger.entry and ledger.line (same columns, keys and checks; no triggers), in one
 * transaction. Returns seconds and rows written.
 */
export async function baselineInsertSelect(
  url: string,
  region: string,
  year: number,
): Promise<{ seconds: number; entries: number; lines: number }> {
  const c = new pg.Client({ connectionString: url, application_name: 'fiscus-bench' });
  await c.connect();
  try {
    await c.query(`drop table if exists bench_entry, bench_line;
      create table bench_entry (like ledger.entry including all);
      create table bench_line (like ledger.line including all);
      create sequence if not exists bench_entry_seq;`);
    const t0 = process.hrtime.bigint();
    await c.query('begin');
    // The year-end's decision in SQL: project (21) carries, everything else lapses (the fixture's shape).
    await c.query(
      `create temp table todo on commit drop as
       select b.account, b.element_key_id as kid, b.credit_fen - b.debit_fen as amt,
              (k.indicator_type_code like '2%') as carry, nextval('bench_entry_seq') as e1,
              nextval('bench_entry_seq') as e2
       from ledger.balance b join ledger.element_key k
         on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
       where b.region_code = $1 and b.fiscal_year = $2 and b.account in ('2001', '2101')
         and b.credit_fen > b.debit_fen and k.indicator_id is not null`,
      [region, year],
    );
    const e = await c.query(
      `insert into bench_entry (region_code, fiscal_year, id, scenario, business_date, command_id, debit_fen, credit_fen)
       select $1::text, $2::int, e1, case when carry then 'carryForward' else 'lapse' end, make_date($2::int, 12, 31), 'bench', amt, amt from todo
       union all
       select $1::text, $2::int + 1, e2, 'carryForward', make_date($2::int + 1, 1, 1), 'bench', amt, amt from todo where carry`,
      [region, year],
    );
    const l = await c.query(
      `insert into bench_line (region_code, fiscal_year, entry_id, line_no, account, side, amount_fen, element_key_id, business_date)
       select $1::text, $2::int, e1, 1, account, 'debit', amt, kid, make_date($2::int, 12, 31) from todo
       union all
       select $1::text, $2::int, e1, 2, case when carry then '2601' else '2602' end, 'credit', amt, kid, make_date($2::int, 12, 31) from todo
       union all
       select $1::text, $2::int + 1, e2, 1, '1003', 'debit', amt, kid, make_date($2::int + 1, 1, 1) from todo where carry
       union all
       select $1::text, $2::int + 1, e2, 2, account, 'credit', amt, kid, make_date($2::int + 1, 1, 1) from todo where carry`,
      [region, year],
    );
    await c.query('commit');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await c.query('drop table bench_entry, bench_line; drop sequence bench_entry_seq');
    return { seconds, entries: e.rowCount ?? 0, lines: l.rowCount ?? 0 };
  } finally {
    await c.end();
  }
}
