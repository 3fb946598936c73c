/**
 * A generated practice for benchmarks: one organisation (billed manually) with practitioners who
 * can sign in, each with thousands of patients, and one practitioner who is leaving, whose patients
 * each have an active programme (what an admin transfers to a colleague).
 *
 * The owner and the organisation are created through the API, as a person would; everything else is
 * written with bulk SQL. Patients get varied, realistic names from a fixed seed, so that searching
 * for one of `searchTerms` matches a few dozen of a practitioner's patients on every run.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { api, signUp, type BenchSession } from './api.ts';

export interface PracticeOptions {
  /** A running Motus server on `db`'s database (it has created the schema and the stock exercises). */
  baseUrl: string;
  db: pg.Pool;
  practitioners?: number;
  patientsPerPractitioner?: number;
  /** Patients, each with one active programme, of the practitioner who is leaving. */
  leaverPatients?: number;
  seed?: number;
}

export interface PracticeMember {
  accountId: string;
  membershipId: string;
  email: string;
  name: string;
}

export interface Practice {
  organisationId: string;
  /** The organisation's owner, signed in (an admin with every section, Users among them). */
  owner: BenchSession;
  /** Active members with practitioner access; they sign in with `BENCH_PASSWORD`. */
  practitioners: PracticeMember[];
  /** Another practitioner, whose patients each have one active programme. */
  leaver: PracticeMember & { patientIds: string[] };
  /** Names to search for; each matches a few dozen of a practitioner's patients (see `matches`). */
  searchTerms: string[];
  counts: {
    practitioners: number;
    patients: number;
    archivedPatients: number;
    programmes: number;
    stockExercises: number;
    /** Patients one search finds (not archived), over every practitioner and search term. */
    matches: { mean: number; min: number; max: number };
  };
  seconds: number;
}

// Varied on purpose: several languages, accents, double-barrelled and particle names.
const FIRST_NAMES = [
  'Anna', 'Lukas', 'Sophie', 'Noah', 'Emma', 'Liam', 'Mia', 'Elias', 'Léa', 'Luca', 'Chiara', 'Matteo', 'Sofia', 'Jonas', 'Hannah',
  'Finn', 'Lina', 'Gabriel', 'Zoé', 'Samuel', 'Laura', 'David', 'Nina', 'Julian', 'Elena', 'Tobias', 'Sara', 'Nikola', 'Amira', 'Yusuf',
  'Fatima', 'Mehmet', 'Aylin', 'Arjun', 'Priya', 'Kenji', 'Yuki', 'Olga', 'Dmitri', 'Agnieszka', 'Piotr', 'Ingrid', 'Björn', 'Siobhan',
  'Ciarán', 'Margarethe', 'Friedrich', 'Beatriz', 'João', 'Inês', 'Rafael', 'Carmen', 'Alejandro', 'Thandiwe', 'Kwame', 'Abena',
  'Giulia', 'Vincenzo', 'Élodie', 'Maxime', 'Astrid', 'Henrik', 'Ruth', 'Walter',
];
const LAST_NAMES = [
  'Müller', 'Meier', 'Schmid', 'Keller', 'Weber', 'Huber', 'Schneider', 'Brunner', 'Baumann', 'Gerber', 'Frei', 'Zimmermann', 'Moser',
  'Bianchi', 'Rossi', 'Ferrari', 'Esposito', 'Romano', 'Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Fontaine', 'Rousseau', 'García',
  'Fernández', 'González', 'Rodríguez', 'Pereira', 'Oliveira', 'Santos', 'Kowalski', 'Nowak', 'Wiśniewska', 'Novák', 'Horvat',
  'Petrović', 'Ivanova', 'Yılmaz', 'Demir', 'Kaya', 'Haddad', 'Nasser', 'Okafor', 'Mensah', 'Nkosi', 'Patel', 'Sharma', 'Nguyen',
  'Tanaka', 'Suzuki', 'Kim', 'Chen', 'Andersson', 'Johansson', 'Hansen', "O'Brien", 'MacLeod', 'Smith-Jones', 'van der Berg',
  'de Vries', 'von Arx', 'Jansen', 'Walsh',
];
const DIAGNOSES = ['M54.5', 'M54.2', 'M75.1', 'M17.1', 'M16.1', 'M25.5', 'M51.2', 'M77.1', 'S83.5', 'S93.4', 'M62.8', 'G56.0', 'M79.6', 'S42.2'];
const GROUPS = ['Back school', 'Post-op knee', 'Sports', 'Seniors', 'Neck and shoulder'];
const DAY = 86_400_000;

/** A small seeded generator (mulberry32), so that every run builds the same practice. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** Names that are no part of any other name, so that a search for one finds exactly its holders. */
function searchTerms(): string[] {
  const all = [...FIRST_NAMES, ...LAST_NAMES].map((n) => n.toLowerCase());
  const unique = (n: string) => /^[a-z]{4,}$/.test(n) && all.every((o) => o === n || !o.includes(n));
  const first = FIRST_NAMES.map((n) => n.toLowerCase()).filter(unique);
  const last = LAST_NAMES.map((n) => n.toLowerCase()).filter(unique);
  // Alternately a surname and a first name, as people search for either.
  return Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? last[(i / 2) * 3 % last.length]! : first[((i - 1) / 2) * 3 % first.length]!));
}

interface PatientRow {
  id: string;
  owner: string;
  first: string;
  last: string;
  year: number;
  gender: string | null;
  email: string | null;
  mobile: string | null;
  externalId: string | null;
  diagnosis: string | null;
  group: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function patientsOf(rng: ReturnType<typeof random>, owner: string, ownerNo: number, n: number, now: number): PatientRow[] {
  const rows: PatientRow[] = [];
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const createdAt = new Date(now - (30 + rng.int(3 * 365)) * DAY - rng.int(DAY));
    const updatedAt = new Date(Math.min(now, createdAt.getTime() + rng.int(200) * DAY));
    const g = rng.next();
    rows.push({
      id: randomUUID(),
      owner,
      first,
      last,
      year: 1935 + rng.int(85),
      gender: g < 0.5 ? 'female' : g < 0.95 ? 'male' : g < 0.97 ? 'diverse' : g < 0.98 ? 'unknown' : null,
      email: rng.next() < 0.65 ? `${ascii(first)}.${ascii(last)}${ownerNo}x${i}@example.org` : null,
      mobile: rng.next() < 0.7 ? `+4179${String(1_000_000 + rng.int(9_000_000))}` : null,
      externalId: rng.next() < 0.8 ? `PMS-${ownerNo}-${100_000 + i}` : null,
      diagnosis: rng.next() < 0.85 ? rng.pick(DIAGNOSES) : null,
      group: rng.next() < 0.3 ? rng.pick(GROUPS) : null,
      archivedAt: rng.next() < 0.08 ? new Date(Math.min(now, updatedAt.getTime() + rng.int(100) * DAY)) : null,
      createdAt,
      updatedAt,
    });
  }
  return rows;
}

/** Every generated patient is treated in the organisation (`organisationId`). */
async function insertPatients(db: pg.Pool, rows: PatientRow[], organisationId: string) {
  for (let i = 0; i < rows.length; i += 10_000) {
    const b = rows.slice(i, i + 10_000);
    await db.query(
      `insert into patients (organisation_id, id, owner_account_id, first_name, last_name, year_of_birth, gender, email, mobile, external_id, diagnosis_code, patient_group, archived_at, created_at, updated_at)
       select $15::uuid, * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[])`,
      [
        b.map((r) => r.id),
        b.map((r) => r.owner),
        b.map((r) => r.first),
        b.map((r) => r.last),
        b.map((r) => r.year),
        b.map((r) => r.gender),
        b.map((r) => r.email),
        b.map((r) => r.mobile),
        b.map((r) => r.externalId),
        b.map((r) => r.diagnosis),
        b.map((r) => r.group),
        b.map((r) => r.archivedAt),
        b.map((r) => r.createdAt),
        b.map((r) => r.updatedAt),
        organisationId,
      ],
    );
  }
}

/** How many not-archived patients `list()` finds for each practitioner and term (the same test as its SQL). */
function matchStats(rows: PatientRow[], owners: string[], terms: string[]) {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.archivedAt) continue;
    const first = r.first.toLowerCase();
    const last = r.last.toLowerCase();
    const full = `${first} ${last}`;
    for (const t of terms) {
      if (first.includes(t) || last.includes(t) || full.includes(t) || r.externalId === t) counts.set(`${r.owner} ${t}`, (counts.get(`${r.owner} ${t}`) ?? 0) + 1);
    }
  }
  const all = owners.flatMap((o) => terms.map((t) => counts.get(`${o} ${t}`) ?? 0));
  return { mean: all.reduce((a, b) => a + b, 0) / all.length, min: Math.min(...all), max: Math.max(...all) };
}

export async function generatePractice(options: PracticeOptions): Promise<Practice> {
  const { baseUrl, db } = options;
  const practitionerCount = options.practitioners ?? 50;
  const perPractitioner = options.patientsPerPractitioner ?? 2000;
  const leaverPatients = options.leaverPatients ?? 5000;
  const rng = random(options.seed ?? 20261122);
  const started = performance.now();
  const now = Date.now();

  // The owner and the organisation, through the API.
  const owner = await signUp(baseUrl, 'owner@bench.test', 'Olive Owner');
  await db.query('update accounts set email_verified_at = now() where id = $1', [owner.accountId]);
  const created = await api(baseUrl, 'POST', '/api/organisations', { name: 'Bench Physio' }, { cookie: owner.cookie, 'x-csrf-token': owner.csrf });
  if (created.status !== 201) throw new Error(`creating the organisation failed: ${created.status} ${JSON.stringify(created.json)}`);
  const organisationId = created.json.organisation.id as string;
  await db.query(`update organisations set billing_mode = 'manual', licences_purchased = $2 where id = $1`, [organisationId, practitionerCount + 10]);

  // Practitioners and the leaver: real accounts with the owner's password hash, active members with practitioner access.
  const hash = (await db.query('select password_hash from accounts where id = $1', [owner.accountId])).rows[0].password_hash as string;
  const people = Array.from({ length: practitionerCount + 1 }, (_, i) => ({
    id: randomUUID(),
    email: i < practitionerCount ? `practitioner${i}@bench.test` : 'leaver@bench.test',
    name: `${FIRST_NAMES[(i * 7) % FIRST_NAMES.length]} ${LAST_NAMES[(i * 11) % LAST_NAMES.length]}`,
  }));
  await db.query(
    `insert into accounts (id, email, name, password_hash, email_verified_at, created_at, updated_at)
     select id, email, name, $4, now(), now(), now() from unnest($1::uuid[], $2::text[], $3::text[]) as p(id, email, name)`,
    [people.map((p) => p.id), people.map((p) => p.email), people.map((p) => p.name), hash],
  );
  const memberships = await db.query<{ id: string; account_id: string }>(
    `insert into memberships (id, organisation_id, account_id, email, name, state, practitioner, invited_at, joined_at, updated_at)
     select gen_random_uuid(), $1, id, email, name, 'active', true, now(), now(), now() from unnest($2::uuid[], $3::text[], $4::text[]) as p(id, email, name)
     returning id, account_id`,
    [organisationId, people.map((p) => p.id), people.map((p) => p.email), people.map((p) => p.name)],
  );
  const membershipOf = new Map(memberships.rows.map((r) => [r.account_id, r.id]));
  const members: PracticeMember[] = people.map((p) => ({ accountId: p.id, membershipId: membershipOf.get(p.id)!, email: p.email, name: p.name }));
  const practitioners = members.slice(0, practitionerCount);
  const leaverMember = members[practitionerCount]!;

  // Patients.
  const rows: PatientRow[] = [];
  practitioners.forEach((p, i) => rows.push(...patientsOf(rng, p.accountId, i, perPractitioner, now)));
  const leaverRows = patientsOf(rng, leaverMember.accountId, practitionerCount, leaverPatients, now).map((r) => ({ ...r, archivedAt: null }));
  await insertPatients(db, [...rows, ...leaverRows], organisationId);

  // One active programme for each of the leaver's patients, with one stock exercise.
  const stock = (await db.query<{ id: string }>('select id from exercises where slug is not null order by slug')).rows.map((r) => r.id);
  if (stock.length === 0) throw new Error('No stock exercises in the database: the server should have loaded them at start-up');
  const codes = new Set<string>();
  while (codes.size < leaverRows.length) codes.add(Array.from({ length: 8 }, () => String.fromCharCode(97 + rng.int(26))).join(''));
  const codeList = [...codes];
  const items = leaverRows.map(() =>
    JSON.stringify([
      { exerciseId: rng.pick(stock), sets: 3, reps: 10, durationSeconds: null, holdSeconds: null, restSeconds: 30, timesPerDay: 1, daysPerWeek: 5, weekdays: null, instructions: 'Slowly, without pain.' },
    ]),
  );
  await db.query(
    `insert into programmes (id, patient_id, title, state, code, start_date, items, assigned_by, assigned_at, created_at, updated_at)
     select gen_random_uuid(), p.patient_id, 'Home programme', 'active', p.code, current_date - 14, p.items::jsonb, $4, now(), now(), now()
     from unnest($1::uuid[], $2::text[], $3::text[]) as p(patient_id, code, items)`,
    [leaverRows.map((r) => r.id), codeList, items, leaverMember.accountId],
  );
  await db.query('analyze');

  const terms = searchTerms();
  const counts = (
    await db.query(
      `select (select count(*)::int from memberships where organisation_id = $1 and state = 'active' and practitioner) as practitioners,
              (select count(*)::int from patients) as patients,
              (select count(*)::int from patients where archived_at is not null) as archived,
              (select count(*)::int from programmes) as programmes,
              (select count(*)::int from exercises where slug is not null) as stock`,
      [organisationId],
    )
  ).rows[0];
  return {
    organisationId,
    owner,
    practitioners,
    leaver: { ...leaverMember, patientIds: leaverRows.map((r) => r.id) },
    searchTerms: terms,
    counts: {
      practitioners: counts.practitioners,
      patients: counts.patients,
      archivedPatients: counts.archived,
      programmes: counts.programmes,
      stockExercises: counts.stock,
      matches: matchStats(rows, practitioners.map((p) => p.accountId), terms),
    },
    seconds: (performance.now() - started) / 1000,
  };
}
