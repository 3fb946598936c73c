/**
 * The patient list's SQL, compiled from the very builders src/patients/service.ts list() runs
 * (patientListQueries), so that the bare server's ceiling runs the same statements: one page in
 * name order and the count of all matches, with the visibility rule (R-PAT-2).
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { patientListQueries } from '../../src/patients/service.ts';
import type { Database } from '../../src/platform/db/schema.ts';

const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

export interface PatientListQuery {
  page: { sql: string; params: unknown[] };
  count: { sql: string; params: unknown[] };
}

/** Both statements of one list request, with their parameters, as Kysely binds them. */
export function patientListQuery(accountId: string, search: string | undefined, limit = 50, offset = 0): PatientListQuery {
  const { page, count } = patientListQueries(compiler, accountId, { search, archived: 'false', limit, offset });
  const p = page.compile();
  const c = count.compile();
  return { page: { sql: p.sql, params: [...p.parameters] }, count: { sql: c.sql, params: [...c.parameters] } };
}
