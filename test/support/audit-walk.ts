import fs from 'node:fs';
import path from 'node:path';

/** Successful writes seen per route ("POST /api/patients"), and how many left no audit record. */
export type WriteCounts = Record<string, { ok: number; unaudited: number }>;

export interface WriteRoute {
  key: string;
  /** Why the route records nothing, when its contract says so. */
  unaudited?: string | undefined;
}

/**
 * The audit write walk (R-AUD-1): every write route must have been driven to success somewhere in
 * the integration suite, and every such success must have left an audit record with its request
 * id, unless the route's contract says why it records none. Returns what is missing.
 */
export function auditWalkGaps(routes: readonly WriteRoute[], seen: WriteCounts): string[] {
  const gaps: string[] = [];
  for (const r of routes) {
    if (r.unaudited !== undefined) continue;
    const s = seen[r.key];
    if (!s || s.ok === 0) gaps.push(`${r.key}: no test makes a successful call, so nothing shows that it leaves an audit record`);
    else if (s.unaudited > 0) gaps.push(`${r.key}: ${s.unaudited} of ${s.ok} successful calls left no audit record`);
  }
  return gaps;
}

/** Adds up the counts that the test files wrote into `dir`. */
export function readWriteCounts(dir: string): WriteCounts {
  const total: WriteCounts = {};
  if (!fs.existsSync(dir)) return total;
  for (const name of fs.readdirSync(dir)) {
    const counts = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as WriteCounts;
    for (const [key, c] of Object.entries(counts)) {
      const t = (total[key] ??= { ok: 0, unaudited: 0 });
      t.ok += c.ok;
      t.unaudited += c.unaudited;
    }
  }
  return total;
}
