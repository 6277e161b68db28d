import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import { defaultChart, type LedgerAccount } from '../domain/chart';
import type { ControlRule } from '../domain/control-types';
import { defaultControlRules } from '../domain/default-rules';

/** Accounts of the region by year: `${year}|${code}`. */
export async function loadAccounts(
  trx: Kysely<DB>,
  region: string,
  years: readonly number[],
): Promise<Map<string, LedgerAccount>> {
  const rows = await trx
    .selectFrom('ledger.account')
    .selectAll()
    .where('region_code', '=', region)
    .where('fiscal_year', 'in', years.length ? [...years] : [0])
    .where('enabled', '=', true)
    .execute();
  const out = new Map<string, LedgerAccount>();
  for (const r of rows) {
    out.set(`${r.fiscal_year}|${r.code}`, {
      code: r.code,
      name: r.name,
      normalSide: r.normal_side,
      accountClass: r.account_class,
      allowNegative: r.allow_negative,
    });
  }
  return out;
}

/** The latest version of every rule of the region. */
export async function loadRules(trx: Kysely<DB>, region: string): Promise<ControlRule[]> {
  const rows = await trx
    .selectFrom('ledger.control_rule')
    .selectAll()
    .where('region_code', '=', region)
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<string>();
  const out: ControlRule[] = [];
  for (const r of rows) {
    if (seen.has(r.code)) continue;
    seen.add(r.code);
    out.push({
      code: r.code,
      version: r.version,
      kind: r.kind as ControlRule['kind'],
      nameZh: r.name_zh,
      nameEn: r.name_en,
      scope: r.scope as ControlRule['scope'],
      action: r.action,
      tolerance: (r.tolerance as ControlRule['tolerance']) ?? null,
      params: r.params as Record<string, unknown>,
      enabled: r.enabled,
    });
  }
  return out;
}

export async function loadSettings(trx: Kysely<DB>, region: string): Promise<{ usePlans: boolean }> {
  const r = await trx
    .selectFrom('ledger.setting')
    .select('use_plans')
    .where('region_code', '=', region)
    .executeTakeFirst();
  return { usePlans: r?.use_plans ?? false };
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
