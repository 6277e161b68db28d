import type { RuleDefinition } from '@fiscus/contracts';
import { type Kysely, sql } from 'kysely';
import { parseYuan } from '../../kernel/money';
import type { DB } from '../../platform/db/schema';
import type { CheckedExpression } from '../domain/expression';
import { checkExpression } from '../domain/expression';
import { AGGREGATES } from '../domain/functions';
import type { MonitorRule } from '../domain/rules';
import { type RuleParam, subjectSchema } from '../domain/subject';

/** Parameters as stored: money as `{ "fen": "500000" }`, everything else as JSON. */
type StoredParam = number | string | boolean | string[] | { fen: string };

export function paramsFromWire(p: RuleDefinition['params']): Record<string, RuleParam> {
  const out: Record<string, RuleParam> = {};
  for (const [k, v] of Object.entries(p))
    out[k] = typeof v === 'object' && !Array.isArray(v) ? parseYuan(v.yuan) : v;
  return out;
}

function paramsToStored(p: Readonly<Record<string, RuleParam>>): Record<string, StoredParam> {
  const out: Record<string, StoredParam> = {};
  for (const [k, v] of Object.entries(p))
    out[k] = typeof v === 'bigint' ? { fen: v.toString() } : (v as StoredParam);
  return out;
}

function paramsFromStored(p: Record<string, StoredParam>): Record<string, RuleParam> {
  const out: Record<string, RuleParam> = {};
  for (const [k, v] of Object.entries(p))
    out[k] = typeof v === 'object' && !Array.isArray(v) ? BigInt(v.fen) : (v as RuleParam);
  return out;
}

export function ruleToStored(r: MonitorRule): string {
  return JSON.stringify({ ...r, params: paramsToStored(r.params) });
}

export function ruleFromStored(d: unknown): MonitorRule {
  const r = d as MonitorRule & { params: Record<string, StoredParam> };
  return { ...r, params: paramsFromStored(r.params) };
}

/** A rule with its condition parsed and checked once, and whether it needs history aggregates. */
export interface CompiledRule {
  rule: MonitorRule;
  /** null when the stored condition no longer checks (a later language change): the rule fails closed. */
  expression: CheckedExpression | null;
  usesHistory: boolean;
}

export interface RuleSet {
  revision: string;
  /** Every stored version; `applicableRules` picks per code and date. */
  rules: MonitorRule[];
  compiled: Map<string, CompiledRule>;
}

const key = (r: Pick<MonitorRule, 'code' | 'version'>) => `${r.code}@${r.version}`;

function compile(rule: MonitorRule): CompiledRule {
  const checked = checkExpression(rule.condition, subjectSchema(rule.params));
  const usesHistory = [...AGGREGATES.keys()].some((name) => rule.condition.includes(`${name}(`));
  return { rule, expression: checked.ok ? checked.expression : null, usesHistory };
}

/** Rule sets by region, valid while the region's revision is unchanged. */
const cache = new Map<string, RuleSet>();

/**
 * The region's rules, compiled. One cheap read of the revision per call; the versions are read
 * and compiled again only after a save replaced it (a token seen in a transaction that rolled back
 * is never issued again, so caching it is harmless).
 */
export async function loadRuleSet(db: Kysely<DB>, region: string): Promise<RuleSet> {
  const rev = await db
    .selectFrom('monitor.rule_revision')
    .select('revision')
    .where('region_code', '=', region)
    .executeTakeFirst();
  const revision = rev?.revision ?? '';
  const hit = cache.get(region);
  if (hit && hit.revision === revision) return hit;
  const rows = await db
    .selectFrom('monitor.rule_version')
    .select('definition')
    .where('region_code', '=', region)
    .execute();
  const rules = rows.map((r) => ruleFromStored(r.definition));
  const set: RuleSet = { revision, rules, compiled: new Map(rules.map((r) => [key(r), compile(r)])) };
  cache.set(region, set);
  return set;
}

export function compiledOf(set: RuleSet, r: MonitorRule): CompiledRule {
  return set.compiled.get(key(r)) ?? compile(r);
}

/** The newest stored version of a code, or null. */
export async function latestVersion(db: Kysely<DB>, region: string, code: string): Promise<number> {
  const r = await db
    .selectFrom('monitor.rule_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('region_code', '=', region)
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function insertRuleVersions(
  db: Kysely<DB>,
  region: string,
  rules: readonly MonitorRule[],
  by: string,
  at: Date,
): Promise<void> {
  if (rules.length === 0) return;
  await db
    .insertInto('monitor.rule_version')
    .values(
      rules.map((r) => ({
        region_code: region,
        code: r.code,
        version: r.version,
        definition: ruleToStored(r),
        created_by: by,
        created_at: at,
      })),
    )
    .execute();
  await sql`insert into monitor.rule_revision (region_code, revision) values (${region}, gen_random_uuid())
    on conflict (region_code) do update set revision = excluded.revision`.execute(db);
}
