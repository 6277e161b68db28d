import type { CommandResult } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { SETUP_ACTOR } from '../auth/domain/access';
import { executeCommands } from '../commands/pipeline';
import type { DB } from '../platform/db/schema';
import { readDemo } from './fixtures/load';

/** The business date demo commands carry. */
export const DEMO_DATE = '2026-01-01';
export const DEMO_YEAR = 2026;

interface Line {
  id: string;
  type: string;
  region: string;
  year: number;
  actor: string;
  on: string;
  payload: unknown;
}

/** Who approves demo bank accounts: a treasury officer whose scope covers the region. */
function approverFor(region: string): string {
  return region === '530000000' ? 'ptreasury' : 'treasury';
}

/**
 * The demo as commands with fixed ids: running it again replays every id and changes nothing,
 * which is what makes `fiscus demo load` idempotent.
 */
export function demoCommands(): Line[] {
  const d = readDemo();
  const out: Line[] = [];
  const add = (
    id: string,
    type: string,
    region: string,
    payload: unknown,
    actor = SETUP_ACTOR,
    year = DEMO_YEAR,
  ) => out.push({ id: `demo:${id}`, type, region, year, actor, on: DEMO_DATE, payload });
  for (const r of d.regions) {
    add(`region:${r.code}`, 'region.save', r.code, r);
  }
  for (const y of d.fiscalYears) {
    add(`year:${y.region}:${y.year}`, 'fiscalYear.open', y.region, {}, SETUP_ACTOR, y.year);
    add(
      `codes:${y.region}:${y.year}`,
      'codeSet.load',
      y.region,
      { version: d.codeSetVersion },
      SETUP_ACTOR,
      y.year,
    );
  }
  for (const a of d.agencies) {
    const { region, ...payload } = a;
    add(`agency:${region}:${a.code}`, 'agency.save', region, { ...payload, enabled: true });
  }
  for (const b of d.agentBanks) {
    const { region, ...payload } = b;
    add(`bank:${region}:${b.code}`, 'agentBank.save', region, { ...payload, enabled: true });
  }
  for (const u of d.users) {
    add(`user:${u.username}`, 'user.create', u.region, {
      username: u.username,
      displayName: u.displayName,
      password: u.password,
      agencyCode: u.agencyCode,
    });
    for (const g of u.roles) {
      add(`grant:${u.username}:${g.role}:${g.scopeRegion}`, 'user.grantRole', g.scopeRegion, {
        username: u.username,
        ...g,
      });
    }
  }
  for (const acct of d.bankAccounts) {
    const { region, ...payload } = acct;
    add(`account:${region}:${acct.accountNo}`, 'bankAccount.register', region, payload);
    add(
      `account-ok:${region}:${acct.accountNo}`,
      'bankAccount.approve',
      region,
      { accountNo: acct.accountNo },
      approverFor(region),
    );
  }
  for (const p of d.payees) {
    const { region, ...payload } = p;
    add(`payee:${region}:${p.code}`, 'payee.save', region, { ...payload, enabled: true });
  }
  // Closed years are closed after their data is in.
  for (const y of d.fiscalYears.filter((x) => x.state === 'closed')) {
    add(`year-close:${y.region}:${y.year}`, 'fiscalYear.close', y.region, {}, SETUP_ACTOR, y.year);
  }
  return out;
}

export interface DemoReport {
  commands: number;
  accepted: number;
  replayed: number;
  rejected: CommandResult[];
}

export async function loadDemo(db: Kysely<DB>): Promise<DemoReport> {
  const lines = demoCommands();
  const report: DemoReport = { commands: lines.length, accepted: 0, replayed: 0, rejected: [] };
  // In order, one command at a time where later ones depend on earlier ones across regions.
  const results = await executeCommands(db, lines, { allowSetupActor: true });
  for (const r of results) {
    if (r.status === 'rejected') report.rejected.push(r);
    else if (r.replayed) report.replayed++;
    else report.accepted++;
  }
  return report;
}
