import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { defaultChart, type LedgerAccount } from '../domain/chart';
import type { ControlRule } from '../domain/control-types';
import { defaultControlRules } from '../domain/default-rules';

export interface EngineConfig {
  /** Accounts by `${year}|${code}`. */
  accounts: Map<string, LedgerAccount>;
  /** The latest version of every rule of the region. */
  rules: ControlRule[];
  settings: { usePlans: boolean };
  /** `${year}|${set}|${code}` of the asked codes that exist (enabled). */
  knownCodes: Set<string>;
  /** `${year}|${code}` of the asked agencies that exist. */
  knownAgencies: Set<string>;
  /** The asked years whose chart exists (seeded). */
  seededYears: Set<number>;
  /** The region's configuration token as this read saw it (see commands/facts.ts). */
  token: string | null;
}

interface RuleRow {
  code: string;
  version: number;
  kind: string;
  name_zh: string;
  name_en: string;
  scope: unknown;
  action: 'block' | 'warn';
  tolerance: unknown;
  params: unknown;
  enabled: boolean;
}

/**
 * Everything the engine reads besides balances, in one round trip (it runs for every batch,
 * and an online posting is a batch of a few): the chart of the years posted to, the rules,
 * the settings, and which of the codes and agencies the batch names exist.
 */
export async function loadEngineConfig(
  trx: Kysely<DB>,
  region: string,
  years: readonly number[],
  codes: readonly string[] | 'all',
  agencies: readonly string[] | 'all',
): Promise<EngineConfig> {
  const codeFilter = codes === 'all' ? sql`true` : sql`code = any(${[...codes]}::text[])`;
  const agencyFilter = agencies === 'all' ? sql`true` : sql`code = any(${[...agencies]}::text[])`;
  const r = await sql<{
    accounts: {
      fiscal_year: number;
      code: string;
      name: string;
      normal_side: 'debit' | 'credit';
      account_class: LedgerAccount['accountClass'];
      allow_negative: boolean;
    }[];
    rules: RuleRow[];
    use_plans: boolean | null;
    codes: [number, string, string][];
    agencies: [number, string][];
    seeded: number[];
    token: string | null;
  }>`select
    (select current_database() || '|' || token::text from platform.config_token where region_code = ${region}) as token,
    (select coalesce(json_agg(distinct fiscal_year), '[]') from ledger.account
       where region_code = ${region} and fiscal_year = any(${[...years]}::int[])) as seeded,
    (select coalesce(json_agg(a), '[]') from (
       select fiscal_year, code, name, normal_side, account_class, allow_negative from ledger.account
       where region_code = ${region} and fiscal_year = any(${[...years]}::int[]) and enabled) a) as accounts,
    (select coalesce(json_agg(r order by r.code), '[]') from (
       select distinct on (code) code, version, kind, name_zh, name_en, scope, action, tolerance, params, enabled
       from ledger.control_rule where region_code = ${region} order by code, version desc) r) as rules,
    (select use_plans from ledger.setting where region_code = ${region}) as use_plans,
    (select coalesce(json_agg(json_build_array(fiscal_year, set_code, code)), '[]') from basedata.code_item
       where region_code = ${region} and fiscal_year = any(${[...years]}::int[]) and enabled
         and ${codeFilter}) as codes,
    (select coalesce(json_agg(json_build_array(fiscal_year, code)), '[]') from basedata.agency
       where region_code = ${region} and fiscal_year = any(${[...years]}::int[])
         and ${agencyFilter}) as agencies`.execute(trx);
  const row = r.rows[0]!;
  const accounts = new Map<string, LedgerAccount>();
  for (const a of row.accounts) {
    accounts.set(`${a.fiscal_year}|${a.code}`, {
      code: a.code,
      name: a.name,
      normalSide: a.normal_side,
      accountClass: a.account_class,
      allowNegative: a.allow_negative,
    });
  }
  return {
    accounts,
    rules: row.rules.map((x) => ({
      code: x.code,
      version: x.version,
      kind: x.kind as ControlRule['kind'],
      nameZh: x.name_zh,
      nameEn: x.name_en,
      scope: x.scope as ControlRule['scope'],
      action: x.action,
      tolerance: (x.tolerance as ControlRule['tolerance']) ?? null,
      params: x.params as Record<string, unknown>,
      enabled: x.enabled,
    })),
    settings: { usePlans: row.use_plans ?? false },
    knownCodes: new Set(row.codes.map(([y, set, c]) => `${y}|${set}|${c}`)),
    knownAgencies: new Set(row.agencies.map(([y, c]) => `${y}|${c}`)),
    seededYears: new Set(row.seeded),
    token: row.token,
  };
}

/** Seed a region-year's chart (and the region's default rules once): idempotent. */
export async function seedLedger(
  trx: Kysely<DB>,
  region: string,
  year: number,
  actor: string,
): Promise<void> {
  await trx
    .insertInto('ledger.account')
    .values(
      defaultChart.map((a) => ({
        region_code: region,
        fiscal_year: year,
        code: a.code,
        name: a.name,
        normal_side: a.normalSide,
        account_class: a.accountClass,
        allow_negative: a.allowNegative,
        enabled: true,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  const any = await trx
    .selectFrom('ledger.control_rule')
    .select('code')
    .where('region_code', '=', region)
    .limit(1)
    .executeTakeFirst();
  if (any) return;
  await trx
    .insertInto('ledger.control_rule')
    .values(
      defaultControlRules().map((r) => ({
        region_code: region,
        code: r.code,
        version: r.version,
        kind: r.kind,
        name_zh: r.nameZh,
        name_en: r.nameEn,
        scope: JSON.stringify(r.scope),
        action: r.action,
        tolerance: r.tolerance ? JSON.stringify(r.tolerance) : null,
        params: JSON.stringify(r.params),
        enabled: r.enabled,
        created_by: actor,
      })),
    )
    .execute();
}
