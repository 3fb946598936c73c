/**
 * Patient engagement for benchmarks: the SQL of Motus's engagement hot paths, compiled from the very
 * functions the server runs (so that the bare server's ceiling runs the same statements), and a
 * generated set of practitioners, patients, programmes, devices and recorded entries.
 *
 * Practitioners, their trials, patients and programmes are created through the API, and each device
 * opens its programme with the code and the year of birth as a phone does; email addresses are
 * confirmed and past weeks' entries written with SQL, for speed (as bench/lib/practice.ts does).
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type pg from 'pg';
import type { Deps } from '../../src/deps.ts';
import { chartEntriesBetween, countUnread, entriesBetween, insertEntryOnce, lastActivity, openAlerts, reminderOf } from '../../src/engagement/data.ts';
import { addDays } from '../../src/engagement/schedule.ts';
import { exercisesForItems } from '../../src/exercises/data.ts';
import type { Tx } from '../../src/platform/db/database.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import { programmeRow } from '../../src/programmes/data.ts';
import { createPatientPage } from '../../src/programmes/patient-page.ts';
import { api, mapLimit, signUp, type BenchSession } from './api.ts';

// ---------------------------------------------------------------------------------------------
// The statements, compiled from Motus's own functions.

/** One statement with its parameters; parameters named `:name` are bound per request (see `bind`). */
export interface Statement {
  sql: string;
  params: unknown[];
}

const SLOT = '\u0001';
/** A named placeholder parameter, replaced by `bind`. */
const slot = (name: string) => `${SLOT}${name}`;

/** A Kysely whose every query is only compiled and kept: it answers no rows. */
function capturing() {
  const seen: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      seen.push(query);
      return { rows: [] };
    },
    streamQuery() {
      throw new Error('not streamed');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<Database>({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => driver, createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
  });
  return { db, seen };
}

/** The first statement `run` sends (whatever it does once it finds no rows is irrelevant). */
async function firstStatement(run: (db: Kysely<Database>) => Promise<unknown>): Promise<Statement> {
  const { db, seen } = capturing();
  await run(db).catch(() => {});
  const q = seen[0];
  if (!q) throw new Error('The function sent no statement');
  return { sql: q.sql, params: [...q.parameters] };
}

/** The statement with its named parameters replaced by `values` (all of them must be given). */
export function bind(s: Statement, values: Record<string, unknown>): Statement {
  return {
    sql: s.sql,
    params: s.params.map((p) => {
      if (typeof p !== 'string' || !p.startsWith(SLOT)) return p;
      const name = p.slice(1);
      if (!(name in values)) throw new Error(`No value for :${name} in ${s.sql}`);
      return values[name];
    }),
  };
}

export interface EngagementStatements {
  /** PUT /api/patient/entries/:clientId: the INSERT … ON CONFLICT DO NOTHING RETURNING * of `insertEntryOnce` (:id, :programmeId, :clientId, :deviceId, the values, :now). */
  insertEntry: Statement;
  /** The page's programme joined to its patient and practitioner (`findForPatient`, by :programmeId). */
  programmeForPatient: Statement;
  /** The programme row alone (`programmeRow`, :programmeId). */
  programme: Statement;
  /** The programme's entries of :from…:to (`entriesBetween`). */
  entriesBetween: Statement;
  /** The chart's narrower read of the same entries (`chartEntriesBetween`). */
  chartEntriesBetween: Statement;
  reminder: Statement;
  /** The practice's messages the patient has not read (`countUnread`). */
  unreadFromPractice: Statement;
  lastActivity: Statement;
  openAlerts: Statement;
  /** The exercises of a programme's items (`exercisesForItems`), by the number of distinct exercises (:exercise0…). */
  exercises(n: number, forPatient: boolean): Statement;
}

export async function engagementStatements(): Promise<EngagementStatements> {
  const programmeId = slot('programmeId');
  const values = { day: slot('day'), item_index: slot('itemIndex'), exercise_id: slot('exerciseId'), sets_done: slot('setsDone'), pain: slot('pain'), difficulty: slot('difficulty'), comment: slot('comment') } as never;
  const insert = await firstStatement((db) => insertEntryOnce(db as unknown as Tx, programmeId, slot('clientId'), slot('deviceId'), values, slot('now') as unknown as Date));
  // The new row's id is made inside insertEntryOnce: it is the one parameter that is a uuid and no
  // slot (other constants it writes, such as nulls, stay as they are).
  const own = insert.params.flatMap((p, i) => (typeof p === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(p) ? [i] : []));
  if (own.length !== 1) throw new Error(`Expected one generated id among the entry INSERT's parameters, found ${own.length}: ${insert.sql}`);
  insert.params[own[0]!] = slot('id');
  // pageForDevice's first statement is findForPatient; with no row it stops there.
  const programmeForPatient = await firstStatement((db) => createPatientPage({ db } as unknown as Deps).pageForDevice(programmeId));
  const statements: Omit<EngagementStatements, 'exercises'> = {
    insertEntry: insert,
    programmeForPatient,
    programme: await firstStatement((db) => programmeRow(db, programmeId)),
    entriesBetween: await firstStatement((db) => entriesBetween(db, programmeId, slot('from'), slot('to'))),
    chartEntriesBetween: await firstStatement((db) => chartEntriesBetween(db, programmeId, slot('from'), slot('to'))),
    reminder: await firstStatement((db) => reminderOf(db, programmeId)),
    unreadFromPractice: await firstStatement((db) => countUnread(db, programmeId, 'practice')),
    lastActivity: await firstStatement((db) => lastActivity(db, programmeId)),
    openAlerts: await firstStatement((db) => openAlerts(db, programmeId)),
  };
  const exercises = new Map<string, Statement>();
  for (const forPatient of [true, false]) {
    for (let n = 1; n <= 100; n++) {
      exercises.set(`${n} ${forPatient}`, await firstStatement((db) => exercisesForItems(db, Array.from({ length: n }, (_, i) => slot(`exercise${i}`)), forPatient, undefined)));
    }
  }
  return {
    ...statements,
    exercises(n, forPatient) {
      const s = exercises.get(`${n} ${forPatient}`);
      if (!s) throw new Error(`No exercise statement for ${n} exercises`);
      return s;
    },
  };
}

/** `{ exercise0: id, exercise1: … }` for the distinct exercises of a programme's items, in order. */
export function exerciseSlots(items: Array<{ exerciseId: string }>): { n: number; values: Record<string, string> } {
  const ids = [...new Set(items.map((i) => i.exerciseId))];
  return { n: ids.length, values: Object.fromEntries(ids.map((id, i) => [`exercise${i}`, id])) };
}

// ---------------------------------------------------------------------------------------------
// The generated data.

export interface EngagementOptions {
  /** A running Motus server on `db`'s database (it has created the schema and the stock exercises). */
  baseUrl: string;
  db: pg.Pool;
  /** The installation's day (BILLING_TIME_ZONE), YYYY-MM-DD. */
  today: string;
  practitioners?: number;
  patientsPerPractitioner?: number;
  exercisesPerProgramme?: number;
  /** Days of entries before today in every device's programme. */
  historyDays?: number;
  chartExercises?: number;
  chartDays?: number;
}

export interface BenchDevice {
  token: string;
  deviceId: string;
  programmeId: string;
  /** The exercise of item 0, which the benchmark records. */
  exerciseId: string;
  practitioner: number;
}

export interface EngagementWorld {
  practitioners: Array<BenchSession & { email: string; organisationId: string }>;
  devices: BenchDevice[];
  /** A programme of practitioner 0 with many exercises and entries on every day, for the chart. */
  chart: { programmeId: string; exercises: number; days: number; entries: number; startDate: string };
  counts: { practitioners: number; organisations: number; auditChains: number; patients: number; programmes: number; devices: number; entries: number; stockExercises: number };
  seconds: number;
}

const FIRST = ['Edith', 'Noah', 'Mia', 'Yusuf', 'Ingrid', 'Kwame', 'Léa', 'Piotr', 'Priya', 'Walter'];
const LAST = ['Engaged', 'Meier', 'Rossi', 'Okafor', 'Nguyen', 'Hansen', 'Dubois', 'Kowalski', 'Patel', 'Walsh'];
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1';

/** Writes `days` days of entries, each item done on about `share` of them, with pain 1–`maxPain` and a difficulty. */
async function writeEntries(db: pg.Pool, programmeIds: string[], from: string, to: string, share: number, maxPain: number) {
  // Pain of 1 or more and never 0 keeps any later entry of pain 2 from "rising" (R-ENG-6): no alert.
  const { rowCount } = await db.query(
    `insert into programme_entries (id, programme_id, client_id, day, item_index, exercise_id, sets_done, pain, difficulty, comment, device_id, created_at, updated_at)
     select gen_random_uuid(), p.id, gen_random_uuid(), d.day, i.idx - 1, (i.item ->> 'exerciseId')::uuid, 3,
            1 + floor(random() * $5)::int,
            (array['too_easy', 'about_right', 'about_right', 'too_hard'])[1 + floor(random() * 4)::int],
            case when random() < 0.05 then 'Felt a little stiff afterwards.' end,
            (select id from programme_devices where programme_id = p.id order by created_at limit 1),
            d.day + time '18:00' + random() * interval '3 hours', d.day + time '18:00' + random() * interval '3 hours'
     from programmes p
     cross join lateral jsonb_array_elements(p.items) with ordinality as i(item, idx)
     cross join lateral (select g::date as day from generate_series($2::date, $3::date, interval '1 day') g) d
     where p.id = any($1) and random() < $4`,
    [programmeIds, from, to, share, maxPain],
  );
  return rowCount ?? 0;
}

export async function generateEngagement(options: EngagementOptions): Promise<EngagementWorld> {
  const { baseUrl, db, today } = options;
  const practitionerCount = options.practitioners ?? 40;
  const patientsEach = options.patientsPerPractitioner ?? 5;
  const perProgramme = options.exercisesPerProgramme ?? 3;
  const historyDays = options.historyDays ?? 27;
  const chartExercises = options.chartExercises ?? 20;
  const chartDays = options.chartDays ?? 90;
  const started = performance.now();

  // Practitioners: each signs up, confirms the address (in SQL) and starts their own free trial.
  const sessions = await mapLimit(Array.from({ length: practitionerCount }, (_, i) => i), 4, (i) =>
    signUp(baseUrl, `engagement${i}@bench.test`, `${FIRST[i % FIRST.length]} Physio ${String(i).padStart(2, '0')}`).then((s) => ({ ...s, email: `engagement${i}@bench.test` })),
  );
  await db.query('update accounts set email_verified_at = now() where id = any($1)', [sessions.map((s) => s.accountId)]);
  const practitioners = await mapLimit(sessions, 8, async (s) => {
    const trial = await api(baseUrl, 'POST', '/api/me/subscription/trial', undefined, { cookie: s.cookie, 'x-csrf-token': s.csrf });
    if (trial.status !== 201) throw new Error(`the trial of ${s.email} answered ${trial.status}: ${JSON.stringify(trial.json)}`);
    const org = await db.query<{ id: string }>(`select id from organisations where owner_account_id = $1 and kind = 'subscription'`, [s.accountId]);
    if (org.rows.length !== 1) throw new Error(`${s.email} has ${org.rows.length} subscriptions after starting the trial`);
    return { ...s, organisationId: org.rows[0]!.id };
  });

  const writeHeaders = (s: BenchSession) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });
  const stockRes = await api(baseUrl, 'GET', '/api/exercises?source=stock&limit=200', undefined, { cookie: practitioners[0]!.cookie });
  if (stockRes.status !== 200) throw new Error(`GET /api/exercises answered ${stockRes.status}: ${JSON.stringify(stockRes.json)}`);
  const stock = (stockRes.json.exercises as Array<{ id: string }>).map((e) => e.id);
  if (stock.length < Math.max(chartExercises, perProgramme)) throw new Error(`Only ${stock.length} stock exercises; the chart needs ${chartExercises}`);

  /** A patient of practitioner `p` with one programme, through the API. */
  const patientWithProgramme = async (p: number, n: number, exercises: string[], startDate: string, title: string) => {
    const s = practitioners[p]!;
    const yearOfBirth = 1940 + ((p * 7 + n * 13) % 60);
    const patient = await api(baseUrl, 'POST', '/api/patients', { firstName: FIRST[(p + n) % FIRST.length], lastName: LAST[(p * 3 + n) % LAST.length], yearOfBirth, email: `patient${p}x${n}@example.org` }, writeHeaders(s));
    if (patient.status !== 201) throw new Error(`POST /api/patients answered ${patient.status}: ${JSON.stringify(patient.json)}`);
    const patientId = patient.json.patient.id as string;
    const items = exercises.map((exerciseId) => ({ exerciseId, sets: 3, reps: 10 }));
    const programme = await api(baseUrl, 'POST', `/api/patients/${patientId}/programmes`, { title, startDate, trackAdherence: true, trackPain: true, items }, writeHeaders(s));
    if (programme.status !== 201) throw new Error(`POST /api/patients/:id/programmes answered ${programme.status}: ${JSON.stringify(programme.json)}`);
    return { practitioner: p, programmeId: programme.json.programme.id as string, code: programme.json.programme.code as string, yearOfBirth, exerciseId: exercises[0]! };
  };
  const slots = Array.from({ length: practitionerCount * patientsEach }, (_, i) => ({ p: i % practitionerCount, n: Math.floor(i / practitionerCount) }));
  const programmes = await mapLimit(slots, 8, ({ p, n }, i) =>
    patientWithProgramme(p, n, Array.from({ length: perProgramme }, (_, k) => stock[(i * perProgramme + k) % stock.length]!), addDays(today, -historyDays), 'Knee strength'),
  );
  const chartStart = addDays(today, -(chartDays - 1));
  const chart = await patientWithProgramme(0, patientsEach, stock.slice(0, chartExercises), chartStart, 'Back, every exercise every day');

  // Each patient's phone opens its programme with the code and the year of birth, once.
  const devices = await mapLimit(programmes, 8, async (p): Promise<BenchDevice> => {
    const opened = await api(baseUrl, 'POST', '/api/programme-view', { code: p.code, yearOfBirth: p.yearOfBirth }, { 'user-agent': PHONE });
    if (opened.status !== 200) throw new Error(`POST /api/programme-view answered ${opened.status}: ${JSON.stringify(opened.json)}`);
    return { token: opened.json.deviceToken as string, deviceId: '', programmeId: p.programmeId, exerciseId: p.exerciseId, practitioner: p.practitioner };
  });
  const deviceIds = new Map((await db.query<{ id: string; programme_id: string }>('select id, programme_id from programme_devices')).rows.map((r) => [r.programme_id, r.id]));
  for (const d of devices) {
    const id = deviceIds.get(d.programmeId);
    if (!id) throw new Error(`No device row for programme ${d.programmeId}`);
    d.deviceId = id;
  }

  // Past entries: most exercises on most days before today; the chart's programme every exercise every day, today included.
  let entries = await writeEntries(db, programmes.map((p) => p.programmeId), addDays(today, -historyDays), addDays(today, -1), 0.8, 4);
  const chartEntries = await writeEntries(db, [chart.programmeId], chartStart, today, 1, 6);
  entries += chartEntries;
  await db.query('analyze');

  const counts = (
    await db.query(
      `select (select count(distinct organisation_id)::int from patients) as organisations,
              -- The chain a device's audit records go to (chainFor): its patient's practice, else the system chain.
              (select count(distinct coalesce('org:' || pt.organisation_id, 'system'))::int from programme_devices d join patients pt on pt.id = d.patient_id) as chains,
              (select count(*)::int from patients) as patients,
              (select count(*)::int from programmes) as programmes,
              (select count(*)::int from programme_devices) as devices,
              (select count(*)::int from exercises where slug is not null) as stock`,
    )
  ).rows[0];
  return {
    practitioners,
    devices,
    chart: { programmeId: chart.programmeId, exercises: chartExercises, days: chartDays, entries: chartEntries, startDate: chartStart },
    counts: {
      practitioners: practitioners.length,
      organisations: counts.organisations,
      auditChains: counts.chains,
      patients: counts.patients,
      programmes: counts.programmes,
      devices: counts.devices,
      entries,
      stockExercises: counts.stock,
    },
    seconds: (performance.now() - started) / 1000,
  };
}
