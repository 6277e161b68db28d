import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema';
import type { LedgerAccount } from '../domain/chart';
import { type EngineConfig, loadEngineConfig } from './config';

interface YearPart {
  accounts: Map<string, LedgerAccount>;
  codes: Set<string>;
  agencies: Set<string>;
}
interface Entry {
  rules: EngineConfig['rules'];
  settings: EngineConfig['settings'];
  years: Map<number, YearPart>;
}

/** Recently used configurations by `${token}|${region}`; the token changes with any change. */
const cache = new Map<string, Entry>();
const MAX_ENTRIES = 64;

/**
 * The engine's configuration for a batch: from the cache when the region's configuration token
 * is known and unchanged, else read (all codes and agencies of the years, so that the next
 * batch, naming other codes, needs no read). Without a token it reads what the batch names.
 */
export async function engineConfig(
  trx: Kysely<DB>,
  region: string,
  years: readonly number[],
  named: { codes: readonly string[]; agencies: readonly string[] },
  token: string | null,
): Promise<EngineConfig> {
  if (token === null) return loadEngineConfig(trx, region, years, named.codes, named.agencies);
  const key = `${token}|${region}`;
  let entry = cache.get(key);
  const missing = years.filter((y) => !entry?.years.has(y));
  if (!entry || missing.length > 0) {
    const loaded = await loadEngineConfig(trx, region, missing.length ? missing : years, 'all', 'all');
    // Changed since the batch read the token — by a commit since, or by this very transaction,
    // which may still roll back: what was read must not be kept under the token.
    if (loaded.token !== token) return loaded;
    entry ??= { rules: loaded.rules, settings: loaded.settings, years: new Map() };
    for (const y of missing) {
      // An unseeded year is about to be seeded, which changes the token: nothing to keep.
      if (!loaded.seededYears.has(y)) continue;
      const part: YearPart = { accounts: new Map(), codes: new Set(), agencies: new Set() };
      for (const [k, a] of loaded.accounts) if (k.startsWith(`${y}|`)) part.accounts.set(k, a);
      for (const c of loaded.knownCodes) if (c.startsWith(`${y}|`)) part.codes.add(c);
      for (const a of loaded.knownAgencies) if (a.startsWith(`${y}|`)) part.agencies.add(a);
      entry.years.set(y, part);
    }
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    if (years.some((y) => !entry!.years.has(y))) return loaded;
  }
  if (years.length === 1) {
    // The usual case: the cached year as it is (the engine only reads it).
    const part = entry.years.get(years[0]!)!;
    return {
      accounts: part.accounts,
      rules: entry.rules,
      settings: entry.settings,
      knownCodes: part.codes,
      knownAgencies: part.agencies,
      seededYears: new Set(years),
      token,
    };
  }
  const out: EngineConfig = {
    accounts: new Map(),
    rules: entry.rules,
    settings: entry.settings,
    knownCodes: new Set(),
    knownAgencies: new Set(),
    seededYears: new Set(years),
    token,
  };
  for (const y of years) {
    const part = entry.years.get(y)!;
    for (const [k, a] of part.accounts) out.accounts.set(k, a);
    for (const c of part.codes) out.knownCodes.add(c);
    for (const a of part.agencies) out.knownAgencies.add(a);
  }
  return out;
}
