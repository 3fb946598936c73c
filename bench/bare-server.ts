/**
 * The ceiling for the console, patients and engagement benchmarks: a bare Fastify + pg server, with
 * no sessions, access checks, validation or audit, running the same SQL as Motus's Users page,
 * invitation, patient list and the patient engagement routes.
 * Usage: node bench/bare-server.ts <port> <databaseUrl>
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { POSTGRES_SESSION_OPTIONS } from '../src/platform/db/database.ts';
import { addDays, mondayOf } from '../src/engagement/schedule.ts';
import { bind, engagementStatements, exerciseSlots, type Statement } from './lib/engagement.ts';
import { patientListQuery } from './lib/patient-list.ts';

const [port, databaseUrl] = process.argv.slice(2);
// The same session settings as Motus's own connections, so that both run the same plans.
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: POSTGRES_SESSION_OPTIONS });
const app = Fastify({ logger: false });

const COLUMNS = 'id, organisation_id, account_id, email, name, state, practitioner, is_admin, admin_sections, invited_at, joined_at, invitation_expires_at, access_removed_at';

app.get<{ Querystring: { orgId: string; offset?: string } }>('/members', async (req) => {
  const offset = Number(req.query.offset ?? 0);
  const where = `organisation_id = $1 and state in ('invited', 'active', 'access_removed')`;
  const [rows, total] = await Promise.all([
    pool.query(`select ${COLUMNS} from memberships where ${where} order by name, id limit 50 offset $2`, [req.query.orgId, offset]),
    pool.query(`select count(*)::int as n from memberships where ${where}`, [req.query.orgId]),
  ]);
  return { members: rows.rows, total: total.rows[0].n };
});

app.post<{ Body: { orgId: string; email: string; name: string } }>('/invite', async (req, reply) => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select id from organisations where id = $1 for update', [req.body.orgId]);
    const existing = await client.query(`select id from memberships where organisation_id = $1 and email = $2 and state in ('invited', 'active', 'access_removed')`, [req.body.orgId, req.body.email]);
    if (existing.rows.length) {
      await client.query('rollback');
      return reply.status(409).send({ error: 'exists' });
    }
    const id = randomUUID();
    await client.query(
      `insert into memberships (id, organisation_id, email, name, state, practitioner, invitation_token_hash, invitation_expires_at, invited_at, updated_at)
       values ($1, $2, $3, $4, 'invited', true, $5, now() + interval '7 days', now(), now())`,
      [id, req.body.orgId, req.body.email, req.body.name, randomBytes(32)],
    );
    await client.query('commit');
    return reply.status(201).send({ id });
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
});

// The patient list: the caller's account comes in a header (no session); the page and the count
// run on two pool connections at once, outside a transaction (Motus needs one for its audit record).
app.get<{ Querystring: { search?: string; limit?: string; offset?: string } }>('/patients', async (req) => {
  const q = patientListQuery(String(req.headers['x-account-id']), req.query.search || undefined, Number(req.query.limit ?? 50), Number(req.query.offset ?? 0));
  const [rows, total] = await Promise.all([pool.query(q.page.sql, q.page.params), pool.query(q.count.sql, q.count.params)]);
  return { patients: rows.rows, total: Number(total.rows[0].n) };
});

// Patient engagement: the device's programme (and what Motus would find from its token) comes in
// headers, so that each request runs only the statements of its data, compiled from Motus's own
// functions (bench/lib/engagement.ts), on the pool and outside a transaction.
const engagement = await engagementStatements();
const run = (s: Statement) => pool.query(s.sql, s.params);

interface EntryBody {
  day: string;
  itemIndex: number | null;
  setsDone: number | null;
  pain: number | null;
  difficulty: string | null;
  comment: string | null;
}

// Recording an entry: the one INSERT of the row Motus stores.
app.put<{ Params: { clientId: string }; Body: EntryBody }>('/entries/:clientId', async (req) => {
  const b = req.body;
  const h = req.headers;
  const now = new Date();
  const { rows } = await run(
    bind(engagement.insertEntry, {
      id: randomUUID(),
      programmeId: h['x-programme-id'],
      clientId: req.params.clientId,
      deviceId: h['x-device-id'],
      day: b.day,
      itemIndex: b.itemIndex,
      exerciseId: b.itemIndex === null ? null : h['x-exercise-id'],
      setsDone: b.setsDone,
      pain: b.pain,
      difficulty: b.difficulty,
      comment: b.comment,
      now,
    }),
  );
  return { entry: rows[0] ?? null, stored: rows.length ? 'created' : 'unchanged' };
});

// Today's view: the programme with its patient and practitioner, then its exercises, this week's
// entries, the reminder and the unread count at once.
app.get<{ Querystring: { day: string } }>('/programme', async (req, reply) => {
  const programmeId = String(req.headers['x-programme-id']);
  const found = (await run(bind(engagement.programmeForPatient, { programmeId }))).rows[0];
  if (!found) return reply.status(404).send({ error: 'not_found' });
  const monday = mondayOf(req.query.day);
  const ex = exerciseSlots(found.items);
  const [exercises, entries, reminder, unread] = await Promise.all([
    run(bind(engagement.exercises(ex.n, true), ex.values)),
    run(bind(engagement.entriesBetween, { programmeId, from: monday, to: addDays(monday, 6) })),
    run(bind(engagement.reminder, { programmeId })),
    run(bind(engagement.unreadFromPractice, { programmeId })),
  ]);
  return { programme: found, exercises: exercises.rows, entries: entries.rows, reminder: reminder.rows[0] ?? null, unreadMessages: Number(unread.rows[0].n) };
});

// The practitioner's chart: the programme, then its entries of the period, its exercises, its last
// activity and open alerts at once. It answers what it read, counted (Motus tallies it per week,
// exercise and day).
app.get<{ Params: { programmeId: string }; Querystring: { days: string; today: string } }>('/engagement/:programmeId', async (req, reply) => {
  const { programmeId } = req.params;
  const p = (await run(bind(engagement.programme, { programmeId }))).rows[0];
  if (!p) return reply.status(404).send({ error: 'not_found' });
  const today = req.query.today;
  const to = p.end_date !== null && p.end_date < today ? p.end_date : today;
  const earliest = addDays(to, -(Number(req.query.days) - 1));
  const from = earliest > p.start_date ? earliest : p.start_date;
  const ex = exerciseSlots(p.items);
  const [entries, exercises, last, alerts] = await Promise.all([
    run(bind(engagement.chartEntriesBetween, { programmeId, from, to })),
    run(bind(engagement.exercises(ex.n, false), ex.values)),
    run(bind(engagement.lastActivity, { programmeId })),
    run(bind(engagement.openAlerts, { programmeId })),
  ]);
  return { programmeId, from, to, entries: entries.rowCount, exercises: exercises.rows.map((e) => e.name), lastActivityAt: last.rows[0].at, alerts: alerts.rows };
});

app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
