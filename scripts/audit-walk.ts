// The audit write walk (R-AUD-1), run by `npm test` after the integration tests: every write route
// of the app (read from the registry, so a new route is covered without a list) must have been
// called successfully somewhere in the suite, each time leaving an audit record with its request id,
// unless its contract says why it records none. Usage: node scripts/audit-walk.ts <counts folder>
import { routeRecords } from '../src/platform/http/access.ts';
import { createTestApp } from '../test/support/app.ts';
import { auditWalkGaps, readWriteCounts } from '../test/support/audit-walk.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/audit-walk.ts <folder the integration tests wrote their counts into>');
  process.exit(2);
}
const t = await createTestApp({ runJobs: false });
const writes = (routeRecords.get(t.app) ?? [])
  .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.contract)
  .map((r) => ({ key: `${r.method} ${r.url}`, unaudited: r.contract?.unaudited }));
await t.close();
const seen = readWriteCounts(dir);
const gaps = auditWalkGaps(writes, seen);
const declared = writes.filter((w) => w.unaudited !== undefined);
console.log(`${writes.length} write routes: ${writes.length - declared.length - gaps.length} proved to leave an audit record, ${declared.length} declared to record none, ${gaps.length} not proved.`);
for (const w of declared) console.log(`  records none: ${w.key} (${w.unaudited})`);
for (const g of gaps) console.log(`  ✗ ${g}`);
process.exit(gaps.length === 0 ? 0 : 1);
