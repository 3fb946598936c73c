/**
 * The ceiling for the console and patients benchmarks: a bare Fastify + pg server, with no sessions,
 * access checks, validation or audit, running the same SQL as Motus's Users page, invitation and
 * patient list.
 * Usage: node bench/bare-server.ts <port> <databaseUrl>
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { POSTGRES_SESSION_OPTIONS } from '../src/platform/db/database.ts';
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

app.get('/health', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
