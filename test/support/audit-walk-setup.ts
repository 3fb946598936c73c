// Collects, for the audit write walk, every successful write a route makes in this test file and
// whether it left an audit record (see test/support/audit-walk.ts and scripts/audit-walk.ts).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { auditWatch } from '../../src/audit/record.ts';
import type { WriteCounts } from './audit-walk.ts';

const counts: WriteCounts = {};
auditWatch.observe((route, audited) => {
  const c = (counts[route] ??= { ok: 0, unaudited: 0 });
  c.ok += 1;
  if (!audited) c.unaudited += 1;
});

afterAll(() => {
  const dir = process.env.MOTUS_AUDIT_WALK_DIR;
  if (!dir || Object.keys(counts).length === 0) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${randomUUID()}.json`), JSON.stringify(counts));
});
