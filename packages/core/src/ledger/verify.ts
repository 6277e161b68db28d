import { randomBytes } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../platform/db/schema';

export interface VerifyCheck {
  name: string;
  ok: boolean;
  /** How many rows failed (0 when ok). */
  failures: number;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  lines: number;
  checks: VerifyCheck[];
}

interface Scope {
  region?: string | undefined;
  year?: number | undefined;
}

function scope(alias: string, opts: Scope): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (opts.region) parts.push(sql`${sql.ref(`${alias}.region_code`)} = ${opts.region}`);
  if (opts.year) parts.push(sql`${sql.ref(`${alias}.fiscal_year`)} = ${opts.year}`);
  return sql.join(parts, sql` and `);
}

const sample = (rows: Record<string, unknown>[]) =>
  rows
    .slice(0, 5)
    .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .join('; ');

/*
 * The fast path: one weighted sum over the journal lines, compared with the same weighted sum over
 * what the lines must add up to, per region-year.
 *
 * Every line gets the weight w(entry, side) + r(account, element key, side): pseudo-random values
 * in [-2^30, 2^30) from PostgreSQL's seeded hash functions, with four fresh random seeds per run.
 * On a consistent ledger, Σ over the lines of amount × weight equals Σ over the entries of
 * header × (w(entry, debit) + w(entry, credit)) plus Σ over the balance rows of
 * debit × r(key, debit) + credit × r(key, credit). Otherwise the difference is a linear form in
 * the random weights whose coefficients are the discrepancies (Σ debit − header and Σ credit −
 * header per entry, lines − stored per balance row and side), which is zero with probability at
 * most 2^-31 per run (Schwartz–Zippel); without the seeds, a tampered ledger cannot be arranged to
 * cancel out. A line of a missing entry, an entry without lines, a non-zero balance row without
 * lines and lines without a balance row are discrepancies like any other. (hashint8extended folds
 * an id to 32 bits first: ids below 2^32, as the sequences hand out, never share a weight.)
 *
 * That is one aggregate without grouping over the lines (no hash table of entries or balance keys:
 * cheaper than a GROUP BY scan of them) and one over ledger.entry (about a third of that). Only
 * the region-years whose sums differ are then checked exactly, entry by entry and key by key, to
 * name the failing rows: a failing verification costs what the old one did.
 *
 * Amounts are split at 2^32 so that every product fits in a bigint (|high| < 2^31, low < 2^32,
 * |weight| ≤ 2^31); sum(bigint) accumulates in 128 bits, so the sums are exact.
 */
type Seeds = readonly [entryDebit: string, entryCredit: string, keyDebit: string, keyCredit: string];

const randomSeed = () => randomBytes(8).readBigInt64BE().toString();

/** Σ amount × weight, exactly (see above). */
const weighted = (amount: RawBuilder<unknown>, weight: RawBuilder<unknown>) =>
  sql`(coalesce(sum((${amount} >> 32) * ${weight}) filter (where (${amount} >> 32) <> 0), 0) * 4294967296
      + coalesce(sum((${amount} & 4294967295) * ${weight}), 0))`;

const entryWeight = (id: RawBuilder<unknown>, seed: RawBuilder<unknown>) =>
  sql`(hashint8extended(${id}, ${seed}) >> 33)`;

const keyWeight = (account: RawBuilder<unknown>, key: RawBuilder<unknown>, seed: RawBuilder<unknown>) =>
  sql`(hashint8extended(${key}, hashtextextended(${account}, ${seed})) >> 33)`;

const seed = (s: string) => sql`${s}::bigint`;
const bySide = (debit: string, credit: string) =>
  sql`(case when l.side = 'debit' then ${seed(debit)} else ${seed(credit)} end)`;

/** Region and year columns of a per-region-year aggregate: constants when the scope fixes both. */
function regionYear(
  alias: string,
  opts: Scope,
): { select: RawBuilder<unknown>; groupBy: RawBuilder<unknown> } {
  if (opts.region && opts.year)
    return {
      select: sql`${opts.region}::char(9) as region_code, ${opts.year}::int as fiscal_year`,
      groupBy: sql``,
    };
  const r = sql.ref(`${alias}.region_code`);
  const y = sql.ref(`${alias}.fiscal_year`);
  return { select: sql`${r} as region_code, ${y} as fiscal_year`, groupBy: sql`group by ${r}, ${y}` };
}

const yearKey = (r: { region_code: string; fiscal_year: number }) =>
  `${r.region_code.trim()}|${r.fiscal_year}`;

interface Fingerprint {
  region_code: string;
  fiscal_year: number;
  /** Σ amount × weight, as decimal text (beyond 64 bits). */
  f: string;
}

/** Lines per region-year and Σ amount × weight over them: one scan, no grouping by entry or key. */
async function lineFingerprints(
  db: Kysely<DB>,
  opts: Scope,
  s: Seeds,
): Promise<(Fingerprint & { n: string })[]> {
  const ry = regionYear('l', opts);
  const weight = sql`(${entryWeight(sql`l.entry_id`, bySide(s[0], s[1]))}
    + ${keyWeight(sql`l.account`, sql`l.element_key_id`, bySide(s[2], s[3]))})`;
  const r = await sql<Fingerprint & { n: string }>`
    select ${ry.select}, count(*)::text as n, ${weighted(sql`l.amount_fen`, weight)}::text as f
    from ledger.line l where ${scope('l', opts)} ${ry.groupBy}`.execute(db);
  return r.rows;
}

/** What the lines' fingerprint must be: from the entry headers and the stored balances. */
async function expectedFingerprints(db: Kysely<DB>, opts: Scope, s: Seeds): Promise<Fingerprint[]> {
  const ey = regionYear('e', opts);
  const by = regionYear('b', opts);
  const entry = sql`(${entryWeight(sql`e.id`, seed(s[0]))} + ${entryWeight(sql`e.id`, seed(s[1]))})`;
  const r = await sql<Fingerprint>`
    select region_code, fiscal_year, sum(f)::text as f from (
      select ${ey.select}, ${weighted(sql`e.debit_fen`, entry)} as f
      from ledger.entry e where ${scope('e', opts)} ${ey.groupBy}
      union all
      select ${by.select},
             ${weighted(sql`b.debit_fen`, keyWeight(sql`b.account`, sql`b.element_key_id`, seed(s[2])))}
             + ${weighted(sql`b.credit_fen`, keyWeight(sql`b.account`, sql`b.element_key_id`, seed(s[3])))} as f
      from ledger.balance b where ${scope('b', opts)} ${by.groupBy}
    ) x group by region_code, fiscal_year`.execute(db);
  return r.rows;
}

/** How many rows fail an exact check, and the first few. */
interface Exact<T> {
  failures: number;
  rows: T[];
}

interface BadEntry {
  region_code: string;
  fiscal_year: number;
  entry_id: bigint;
  d: bigint;
  c: bigint;
  header: bigint | null;
}

interface BadBalance {
  region_code: string;
  fiscal_year: number;
  account: string;
  element_key_id: bigint;
  d: bigint;
  c: bigint;
  bd: bigint | null;
  bc: bigint | null;
}

/** Every entry of one region-year whose lines do not balance or do not match its header. */
async function badEntries(db: Kysely<DB>, opts: Scope): Promise<Exact<BadEntry>> {
  const r = await sql<BadEntry & { failures: bigint }>`
    with s as (
      select l.region_code, l.fiscal_year, l.entry_id,
             coalesce(sum(l.amount_fen) filter (where l.side = 'debit'), 0)::bigint as d,
             coalesce(sum(l.amount_fen) filter (where l.side = 'credit'), 0)::bigint as c
      from ledger.line l where ${scope('l', opts)}
      group by l.region_code, l.fiscal_year, l.entry_id
    ),
    e as (select e.region_code, e.fiscal_year, e.id, e.debit_fen from ledger.entry e where ${scope('e', opts)})
    select coalesce(s.region_code, e.region_code) as region_code, coalesce(s.fiscal_year, e.fiscal_year) as fiscal_year,
           coalesce(s.entry_id, e.id) as entry_id, coalesce(s.d, 0) as d, coalesce(s.c, 0) as c,
           e.debit_fen as header, count(*) over () as failures
    from s full join e on e.region_code = s.region_code and e.fiscal_year = s.fiscal_year and e.id = s.entry_id
    where e.id is null or s.entry_id is null or s.d <> s.c or s.d <> e.debit_fen
    order by 1, 2, 3
    limit 5`.execute(db);
  return { failures: Number(r.rows[0]?.failures ?? 0), rows: r.rows };
}

/** Every balance row of one region-year that differs from its lines, and lines without a balance row. */
async function badBalances(db: Kysely<DB>, opts: Scope): Promise<Exact<BadBalance>> {
  const r = await sql<BadBalance & { failures: bigint }>`
    with k as (
      select l.region_code, l.fiscal_year, l.account, l.element_key_id,
             coalesce(sum(l.amount_fen) filter (where l.side = 'debit'), 0)::bigint as d,
             coalesce(sum(l.amount_fen) filter (where l.side = 'credit'), 0)::bigint as c
      from ledger.line l where ${scope('l', opts)}
      group by l.region_code, l.fiscal_year, l.account, l.element_key_id
    ),
    b as (select * from ledger.balance b where ${scope('b', opts)})
    select coalesce(k.region_code, b.region_code) as region_code, coalesce(k.fiscal_year, b.fiscal_year) as fiscal_year,
           coalesce(k.account, b.account) as account, coalesce(k.element_key_id, b.element_key_id) as element_key_id,
           coalesce(k.d, 0) as d, coalesce(k.c, 0) as c, b.debit_fen as bd, b.credit_fen as bc,
           count(*) over () as failures
    from k full join b
      on b.region_code = k.region_code and b.fiscal_year = k.fiscal_year and b.account = k.account
     and b.element_key_id = k.element_key_id
    where coalesce(k.d, 0) <> coalesce(b.debit_fen, 0) or coalesce(k.c, 0) <> coalesce(b.credit_fen, 0)
    order by 1, 2, 3, 4
    limit 5`.execute(db);
  return { failures: Number(r.rows[0]?.failures ?? 0), rows: r.rows };
}

/** The checks that read only the balance tables: months, sources = holdings, nothing negative. */
async function tableChecks(db: Kysely<DB>, opts: Scope): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = [];
  const months = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, b.account, b.element_key_id from ledger.balance b
    left join (select region_code, fiscal_year, account, element_key_id, sum(debit_fen)::bigint d, sum(credit_fen)::bigint c
               from ledger.balance_month m where ${scope('m', opts)} group by 1, 2, 3, 4) m
      using (region_code, fiscal_year, account, element_key_id)
    where ${scope('b', opts)} and (coalesce(m.d, 0) <> b.debit_fen or coalesce(m.c, 0) <> b.credit_fen)`.execute(
    db,
  );
  checks.push({
    name: 'monthly balances add up (月度余额)',
    ok: months.rows.length === 0,
    failures: months.rows.length,
    detail: months.rows.length ? sample(months.rows) : 'Σ months = running balance for every key',
  });

  const identity = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, k.fund_type_code,
           sum(case when a.account_class = 'source' then b.debit_fen - b.credit_fen else 0 end)::bigint as sources,
           sum(case when a.account_class = 'holding' then b.credit_fen - b.debit_fen else 0 end)::bigint as holdings
    from ledger.balance b
    join ledger.element_key k on k.region_code = b.region_code and k.fiscal_year = b.fiscal_year and k.id = b.element_key_id
    join ledger.account a on a.region_code = b.region_code and a.fiscal_year = b.fiscal_year and a.code = b.account
    where ${scope('b', opts)}
    group by 1, 2, 3
    having sum(case when a.account_class = 'source' then b.debit_fen - b.credit_fen else 0 end)
        <> sum(case when a.account_class = 'holding' then b.credit_fen - b.debit_fen else 0 end)`.execute(db);
  checks.push({
    name: 'Σ sources = Σ holdings per region × year × fund type (来源=占用)',
    ok: identity.rows.length === 0,
    failures: identity.rows.length,
    detail: identity.rows.length
      ? sample(identity.rows)
      : 'sources equal holdings in every region, year and fund type',
  });

  const negative = await sql<Record<string, unknown>>`
    select b.region_code, b.fiscal_year, b.account, b.element_key_id,
           (case when a.normal_side = 'debit' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end) as balance
    from ledger.balance b
    join ledger.account a on a.region_code = b.region_code and a.fiscal_year = b.fiscal_year and a.code = b.account
    where ${scope('b', opts)} and not a.allow_negative
      and (case when a.normal_side = 'debit' then b.debit_fen - b.credit_fen else b.credit_fen - b.debit_fen end) < 0`.execute(
    db,
  );
  checks.push({
    name: 'no balance below zero (可用不为负)',
    ok: negative.rows.length === 0,
    failures: negative.rows.length,
    detail: negative.rows.length
      ? sample(negative.rows)
      : 'no account that forbids it has a negative balance',
  });
  return checks;
}

/** Everything but the lines: the fingerprints they must match, and the balance-table checks. */
async function headerSide(db: Kysely<DB>, opts: Scope, seeds: Seeds) {
  const want = await expectedFingerprints(db, opts, seeds);
  return { want, checks: await tableChecks(db, opts) };
}
type HeaderSide = Awaited<ReturnType<typeof headerSide>>;

/**
 * For this transaction: no JIT (compiling these plain scans costs more than it saves), and room
 * for the exact checks of a failing region-year, which group the lines by entry, to stay in memory.
 */
const settings = (db: Kysely<DB>) =>
  sql`select set_config('jit', 'off', true), set_config('work_mem', '128MB', true)`.execute(db);

const readOnly = (db: Kysely<DB>) =>
  db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only');

/**
 * `fiscus ledger verify`: recompute what the engine maintains, in one read-only snapshot.
 *
 * "Every entry balances" and "every balance equals its lines" are settled for the whole journal
 * by one fingerprint comparison (one pass over the lines, one over the entry headers; see above);
 * only a region-year whose fingerprints differ is recomputed exactly, entry by entry and key by
 * key, to name the failing rows. The monthly, sources = holdings and non-negative checks read the
 * balance tables only.
 *
 * The headers and balance tables are read on a second connection of the pool, in the same
 * snapshot (pg_export_snapshot), while the first scans the lines. When no second connection is
 * to be had by the time the lines are done (a pool of one, a busy pool), or when `db` is already a
 * transaction, one connection reads everything.
 */
export async function verifyLedger(db: Kysely<DB>, opts: Scope = {}): Promise<VerifyReport> {
  const seeds: Seeds = [randomSeed(), randomSeed(), randomSeed(), randomSeed()];
  if (db.isTransaction) {
    // The caller's transaction: the settings must not outlive this call.
    await sql`savepoint fiscus_verify`.execute(db);
    try {
      await settings(db);
      const lines = await lineFingerprints(db, opts, seeds);
      return await conclude(db, lines, await headerSide(db, opts, seeds));
    } finally {
      await sql`rollback to savepoint fiscus_verify`.execute(db);
      await sql`release savepoint fiscus_verify`.execute(db);
    }
  }
  let helper: Promise<HeaderSide | null> = Promise.resolve(null);
  try {
    return await readOnly(db).execute(async (trx) => {
      await settings(trx);
      const snapshot = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
      let joined = false;
      let abandoned = false;
      helper = readOnly(db).execute(async (t2) => {
        if (abandoned) return null;
        await sql`set transaction snapshot ${sql.lit(snapshot.rows[0]!.id)}`.execute(t2);
        if (abandoned) return null;
        joined = true;
        await settings(t2);
        return headerSide(t2, opts, seeds);
      });
      // Awaited below; until then a failure must not count as an unhandled rejection.
      helper.catch(() => null);
      const lines = await lineFingerprints(trx, opts, seeds);
      // Not joined yet (no connection free): read the rest here rather than wait for one.
      if (!joined) abandoned = true;
      const side = (joined ? await helper : null) ?? (await headerSide(trx, opts, seeds));
      return conclude(trx, lines, side);
    });
  } finally {
    // An abandoned helper returns as soon as it gets a connection; a failed one is not needed.
    await helper.catch(() => null);
  }
}

/** Compare the fingerprints, name what differs, and gather the checks. */
async function conclude(
  db: Kysely<DB>,
  got: (Fingerprint & { n: string })[],
  side: HeaderSide,
): Promise<VerifyReport> {
  const lines = got.reduce((n, r) => n + Number(r.n), 0);
  const differ = new Map<string, { region: string; year: number }>();
  const wanted = new Map(side.want.map((r) => [yearKey(r), BigInt(r.f)]));
  for (const r of got)
    if (BigInt(r.f) !== (wanted.get(yearKey(r)) ?? 0n))
      differ.set(yearKey(r), { region: r.region_code.trim(), year: r.fiscal_year });
  const seen = new Set(got.map(yearKey));
  for (const r of side.want)
    if (!seen.has(yearKey(r)) && BigInt(r.f) !== 0n)
      differ.set(yearKey(r), { region: r.region_code.trim(), year: r.fiscal_year });

  const checks: VerifyCheck[] = [];
  const entries: Exact<BadEntry> = { failures: 0, rows: [] };
  const balances: Exact<BadBalance> = { failures: 0, rows: [] };
  for (const ry of differ.values()) {
    const e = await badEntries(db, ry);
    const b = await badBalances(db, ry);
    entries.failures += e.failures;
    entries.rows.push(...e.rows);
    balances.failures += b.failures;
    balances.rows.push(...b.rows);
  }
  // Cannot happen in one snapshot (a differing fingerprint means some entry or balance differs),
  // but a verification must not pass on a difference it could not name.
  const unexplained = differ.size > 0 && entries.failures === 0 && balances.failures === 0;
  checks.push({
    name: 'entries balance (借贷平衡)',
    ok: entries.failures === 0 && !unexplained,
    failures: unexplained ? differ.size : entries.failures,
    detail: unexplained
      ? `journal fingerprint differs in ${[...differ.keys()].join(', ')} but no entry or balance was found to differ`
      : entries.failures
        ? sample(
            entries.rows.map((r) => ({
              region: r.region_code,
              year: r.fiscal_year,
              entry: r.entry_id,
              debit: r.d,
              credit: r.c,
              header: r.header,
            })),
          )
        : 'every entry: Σ debit = Σ credit = header',
  });
  checks.push({
    name: 'balances equal their lines (余额=明细)',
    ok: balances.failures === 0,
    failures: balances.failures,
    detail: balances.failures
      ? sample(
          balances.rows.map((r) => ({
            region: r.region_code,
            year: r.fiscal_year,
            account: r.account,
            key: r.element_key_id,
            lines: [r.d, r.c],
            stored: [r.bd, r.bc],
          })),
        )
      : 'every running balance equals the sum of its lines',
  });

  checks.push(...side.checks);
  return { ok: checks.every((c) => c.ok), lines, checks };
}
