import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUnder, TABLE_OWNERS } from '../src/platform/db/owners.ts';
import { sourceFiles, tableQueries, type TableQuery } from './support/table-queries.ts';

// ENGINEERING §3 "Each table has one owning capability; only its data module queries it. Others
// call the owner." Every query in src/ is read from the syntax tree and checked against the owner
// of its table (src/platform/db/owners.ts).

const SRC = path.resolve(import.meta.dirname, '../src');
const TABLES = new Set(Object.keys(TABLE_OWNERS));
/** Migrations describe the schema itself; they are frozen once landed and own no rows. */
const EXEMPT = ['platform/db/migrations/'];

/**
 * Queries that still reach another capability's table, each to be moved behind a function of the
 * table's owner, each with how many such queries the file holds. The list may only shrink: a new
 * cross-owner query fails the test (in a listed file too, as its count grows), and so does an
 * entry here that no longer occurs (remove it).
 */
const KNOWN_CROSS_OWNER: readonly string[] = [
  'accounts/service.ts → memberships',
  'accounts/service.ts → organisations',
  'billing/collection.ts → accounts',
  'billing/collection.ts → organisations',
  'cli/main.ts → accounts',
  'cli/main.ts → organisations',
  'cli/main.ts → patients',
  'cli/main.ts → programmes',
  'imports/service.ts → memberships ×2',
  'memberships/invitations.ts → accounts ×2',
  'memberships/invitations.ts → organisations ×2',
  'organisations/access.ts → accounts',
  'organisations/access.ts → memberships ×2',
  'organisations/service.ts → accounts ×3',
  'organisations/service.ts → memberships',
  'patients/service.ts → memberships ×3',
  'patients/service.ts → organisations',
  'programmes/patient-page.ts → accounts',
  'programmes/patient-page.ts → patients',
  'programmes/templates.ts → accounts',
  'sessions/service.ts → accounts',
  'sharing/service.ts → accounts',
  'sharing/service.ts → memberships ×5',
  'sharing/service.ts → organisations ×3',
  'subscriptions/standing.ts → accounts',
  'subscriptions/standing.ts → memberships',
  'subscriptions/standing.ts → organisations',
];

function violations(queries: TableQuery[]): string[] {
  return queries.filter((q) => !isUnder(q.file, TABLE_OWNERS[q.table as keyof typeof TABLE_OWNERS])).map((q) => `${q.file} → ${q.table}`);
}

function allQueries(): TableQuery[] {
  return sourceFiles(SRC)
    .filter((file) => !EXEMPT.some((e) => file.startsWith(e)))
    .flatMap((file) => tableQueries(file, fs.readFileSync(path.join(SRC, file), 'utf8'), TABLES));
}

describe('table ownership', () => {
  it('the reader finds builder calls, joins and raw SQL, and ignores comments and strings', () => {
    const text = [
      "// selectFrom('patients') in a comment is not a query",
      "const label = 'from patients';",
      "db.selectFrom('programmes as p').innerJoin('patients as pt', 'pt.id', 'p.patient_id');",
      'sql`update memberships set x = 1 from organisations o where o.id = ${id}`;',
    ].join('\n');
    const found = tableQueries('programmes/example.ts', text, TABLES).map((q) => `${q.table}:${q.how}`);
    expect(found.sort()).toEqual(['memberships:sql', 'organisations:sql', 'patients:innerJoin', 'programmes:selectFrom']);
  });

  it('a route that queries a table of another capability is reported', () => {
    // A deliberately wrong route file: the patients module reading invoices itself.
    const wrong = "export const r = (app, db) => app.get('/api/x', async () => db.selectFrom('invoices').selectAll().execute());";
    expect(violations(tableQueries('patients/routes.ts', wrong, TABLES))).toEqual(['patients/routes.ts → invoices']);
  });

  it('every table has an owner that exists', () => {
    for (const owner of new Set(Object.values(TABLE_OWNERS))) expect(fs.existsSync(path.join(SRC, owner)), owner).toBe(true);
  });

  it('no module queries a table it does not own, beyond the listed ones still to be moved', () => {
    const found = new Map<string, number>();
    for (const v of violations(allQueries())) found.set(v, (found.get(v) ?? 0) + 1);
    const known = new Map(KNOWN_CROSS_OWNER.map((entry) => {
      const m = /^(.*) ×(\d+)$/.exec(entry);
      return m ? [m[1]!, Number(m[2])] : [entry, 1];
    }));
    const more = [...found].filter(([pair, n]) => n > (known.get(pair) ?? 0)).map(([pair, n]) => `${pair} ×${n} (listed: ${known.get(pair) ?? 0})`);
    const fewer = [...known].filter(([pair, n]) => (found.get(pair) ?? 0) < n).map(([pair, n]) => `${pair} ×${found.get(pair) ?? 0} (listed: ${n})`);
    expect(more, 'new queries of another capability’s table: call the owner instead').toEqual([]);
    expect(fewer, 'fewer than listed: lower the count in KNOWN_CROSS_OWNER, or remove the entry').toEqual([]);
  });
});
