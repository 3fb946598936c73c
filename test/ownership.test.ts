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
 * table's owner. The list may only shrink: a new cross-owner query fails the test, and so does an
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
  'imports/service.ts → memberships',
  'memberships/invitations.ts → accounts',
  'memberships/invitations.ts → organisations',
  'organisations/access.ts → accounts',
  'organisations/access.ts → memberships',
  'organisations/service.ts → accounts',
  'organisations/service.ts → memberships',
  'patients/service.ts → memberships',
  'patients/service.ts → organisations',
  'programmes/patient-page.ts → accounts',
  'programmes/patient-page.ts → patients',
  'programmes/templates.ts → accounts',
  'sessions/service.ts → accounts',
  'sharing/service.ts → accounts',
  'sharing/service.ts → memberships',
  'sharing/service.ts → organisations',
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
    const found = [...new Set(violations(allQueries()))].sort();
    const known = new Set(KNOWN_CROSS_OWNER);
    expect(found.filter((v) => !known.has(v)), 'new queries of another capability’s table: call the owner instead').toEqual([]);
    expect(KNOWN_CROSS_OWNER.filter((v) => !found.includes(v)), 'listed but no longer found: remove from KNOWN_CROSS_OWNER').toEqual([]);
  });
});
