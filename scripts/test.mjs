#!/usr/bin/env node
// `npm test`: every test tier through Vitest, then one closing line `N passed, N failed`.
// Tiers: unit (pure), db (real PostgreSQL: embedded unless TEST_DATABASE_URL is set) and e2e
// (headless Chromium; run when a Chromium is installed, see README).
// Usage: node scripts/test.mjs [--project unit|db|e2e ...] [--label NAME]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const projects = [];
let label = 'all';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--project') projects.push(args[++i]);
  else if (args[i] === '--label') label = args[++i];
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (projects.length === 0) {
  projects.push('unit', 'db');
  if (existsSync(chromium)) projects.push('e2e');
  else
    console.error(
      `[test] no Chromium at ${chromium}: browser tests not run (apt-get install chromium fonts-noto-cjk)`,
    );
}
mkdirSync('test-artifacts', { recursive: true });
const out = join('test-artifacts', `vitest-${label}.json`);
const vitest = join('node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${out}`,
  ],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(out)) {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  passed = j.numPassedTests ?? 0;
  // A file that failed to load has no failed test of its own: count it as one failure.
  const brokenFiles = (j.testResults ?? []).filter(
    (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed = (j.numFailedTests ?? 0) + brokenFiles;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
}
if (r.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(r.status ?? 1);
