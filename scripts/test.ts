// `npm test`: lint, type-check, build the web app, unit and integration tests on PGlite, the same
// integration tests on PostgreSQL when TEST_DATABASE_URL is set, and the browser tests in Chromium.
// Ends with one line "N passed, N failed" over every stage.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

interface Stage {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
  seconds: number;
}

const stages: Stage[] = [];
const onlyFast = process.argv.includes('--no-browser');
fs.mkdirSync('.tmp', { recursive: true });

function run(name: string, cmd: string, args: string[], env: Record<string, string | undefined> = {}, count?: () => Omit<Stage, 'name' | 'ok' | 'seconds'>) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const counts = count?.() ?? { passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, skipped: 0 };
  const ok = r.status === 0 && counts.failed === 0;
  // A stage that failed without a failing test (a crash, an error outside tests) still counts as one.
  if (!ok && counts.failed === 0) counts.failed = 1;
  stages.push({ name, ...counts, ok, seconds: (Date.now() - started) / 1000 });
}

function vitestCounts(file: string) {
  return () => {
    try {
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests?: number };
      return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + (j.numTodoTests ?? 0) };
    } catch {
      return { passed: 0, failed: 1, skipped: 0 };
    }
  };
}

function vitest(name: string, project: string, out: string, env: Record<string, string | undefined> = {}) {
  fs.rmSync(out, { force: true });
  run(name, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env, vitestCounts(out));
}

run('lint', 'npx', ['eslint', '.']);
run('type-check', 'npx', ['tsc', '-p', 'tsconfig.json']);
run('build web app', 'npx', ['vite', 'build', '--logLevel', 'warn']);
vitest('unit tests', 'unit', '.tmp/vitest-unit.json');
fs.rmSync('.tmp/audit-walk', { recursive: true, force: true });
vitest('integration tests (PGlite)', 'integration', '.tmp/vitest-pglite.json', { TEST_DATABASE_URL: '', MOTUS_AUDIT_WALK_DIR: '.tmp/audit-walk' });
// R-AUD-1: every write route was driven to success by those tests and left its audit record.
run('audit write walk', 'node', ['scripts/audit-walk.ts', '.tmp/audit-walk'], { TEST_DATABASE_URL: '' });
if (process.env.TEST_DATABASE_URL) {
  vitest('integration tests (PostgreSQL)', 'integration', '.tmp/vitest-postgres.json');
} else {
  console.log('\nTEST_DATABASE_URL is not set: the integration tests ran on PGlite only.');
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (onlyFast) {
  console.log('\nBrowser tests skipped (--no-browser).');
} else if (!fs.existsSync(chromium)) {
  const message = `Chromium was not found at ${chromium}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI) {
    console.error(`\n${message}`);
    stages.push({ name: 'browser tests', passed: 0, failed: 1, skipped: 0, ok: false, seconds: 0 });
  } else {
    console.log(`\nBrowser tests skipped. ${message}`);
  }
} else {
  const out = path.resolve('.tmp/playwright.json');
  fs.rmSync(out, { force: true });
  run('browser tests (Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, CHROMIUM_PATH: chromium }, () => {
    try {
      const j = JSON.parse(fs.readFileSync(out, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
      return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected, skipped: j.stats.skipped };
    } catch {
      return { passed: 0, failed: 1, skipped: 0 };
    }
  });
}

console.log('\nSummary');
for (const s of stages) {
  console.log(`  ${s.ok ? '✓' : '✗'} ${s.name.padEnd(34)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed ${String(s.skipped).padStart(3)} skipped  ${s.seconds.toFixed(1)}s`);
}
const passed = stages.reduce((n, s) => n + s.passed, 0);
const failed = stages.reduce((n, s) => n + s.failed, 0);
const skipped = stages.reduce((n, s) => n + s.skipped, 0);
const allOk = stages.every((s) => s.ok);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(allOk ? 0 : 1);
