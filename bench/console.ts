/**
 * Organisation console benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database with an organisation of 2,000 members, measures against a bare
 * Fastify + pg server running the same SQL in the same run (ENGINEERING.md §5):
 *   - the Users page API (GET /api/organisations/:orgId/members, pages of 50) in requests per second;
 *   - invitations sent by 50 admins at once (each its own account and session), per second.
 * Both servers run in their own processes; load comes from this one over loopback.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { api, signUp, type BenchSession } from './lib/api.ts';
import { runLoad, summarize } from './lib/load.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT, startBareServer, startServer, type BareServerProcess, type ServerProcess } from './lib/server.ts';

const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const MEMBERS = 2000;
const ADMINS = 50;
const SECONDS = 8;

let database: BenchDatabase | undefined;
let server: ServerProcess | undefined;
let bare: BareServerProcess | undefined;

async function main() {
  database = await createBenchDatabase(BASE);
  server = await startServer({ databaseUrl: database.url, threadPoolSize: 4, env: { SIGN_UPS_PER_ADDRESS_PER_HOUR: '100000', SIGN_INS_PER_ADDRESS_PER_MINUTE: '100000', DATABASE_POOL_SIZE: '10' } });
  const base = server.baseUrl;
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    // The organisation: an owner, 2,000 active practitioners, and 50 admins with the Users section.
    const owner = await signUp(base, 'owner@bench.test', 'Olive Owner');
    await db.query('update accounts set email_verified_at = now() where id = $1', [owner.accountId]);
    const created = await api(base, 'POST', '/api/organisations', { name: 'Bench Physio' }, { cookie: owner.cookie, 'x-csrf-token': owner.csrf });
    const orgId = created.json.organisation.id as string;
    await db.query(`update organisations set billing_mode = 'manual', licences_purchased = 1000000 where id = $1`, [orgId]);
    const hash = (await db.query('select password_hash from accounts where id = $1', [owner.accountId])).rows[0].password_hash;
    const names = ['Ada', 'Ben', 'Cai', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo'];
    for (let batch = 0; batch < MEMBERS; batch += 500) {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = batch; i < Math.min(MEMBERS, batch + 500); i++) {
        const id = randomUUID();
        params.push(id, `member${i}@bench.test`, `${names[i % 10]} Member ${String(i).padStart(4, '0')}`, hash);
        const p = params.length;
        values.push(`($${p - 3}, $${p - 2}, $${p - 1}, $${p}, now(), now(), now())`);
      }
      await db.query(`insert into accounts (id, email, name, password_hash, email_verified_at, created_at, updated_at) values ${values.join(',')}`, params);
    }
    await db.query(
      `insert into memberships (id, organisation_id, account_id, email, name, state, practitioner, invited_at, joined_at, updated_at)
       select gen_random_uuid(), $1, id, email, name, 'active', true, now(), now(), now() from accounts where email like 'member%@bench.test'`,
      [orgId],
    );
    const admins: BenchSession[] = [];
    for (let i = 0; i < ADMINS; i++) admins.push(await signUp(base, `admin${i}@bench.test`, `Admin ${i}`));
    await db.query(
      `insert into memberships (id, organisation_id, account_id, email, name, state, practitioner, is_admin, admin_sections, invited_at, joined_at, updated_at)
       select gen_random_uuid(), $1, id, email, name, 'active', false, true, array['users'], now(), now(), now() from accounts where email like 'admin%@bench.test'`,
      [orgId],
    );
    await db.query('analyze');

    bare = await startBareServer(database.url);
    const bareBase = bare.baseUrl;

    // 1. The Users page: pages of 50, spread over the whole list.
    const offsets = Array.from({ length: 40 }, (_, i) => (i * 50) % MEMBERS);
    const usersRequests = (prefix: string, headers: Record<string, string>) =>
      offsets.map((o) => ({ method: 'GET' as const, path: `${prefix}${o}`, headers }));
    const motusUsers = await runLoad({ url: base, connections: 16, duration: SECONDS, requests: usersRequests(`/api/organisations/${orgId}/members?limit=50&offset=`, { cookie: admins[0]!.cookie }) }).done;
    const bareUsers = await runLoad({ url: bareBase, connections: 16, duration: SECONDS, requests: usersRequests(`/members?orgId=${orgId}&offset=`, {}) }).done;

    // 2. Invitations from 50 admins at once (each connection is one admin with their own session).
    let n = 0;
    const inviteBody = () => JSON.stringify({ name: `Invitee ${n}`, email: `invitee${n++}-${randomBytes(3).toString('hex')}@bench.test`, practitioner: true });
    const motusInvites = await runLoad({
      url: base,
      connections: ADMINS,
      duration: SECONDS,
      setupClient: (client: { setHeaders: (h: Record<string, string>) => void }) => {
        const a = admins[Math.floor(Math.random() * ADMINS)]!;
        client.setHeaders({ cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' });
      },
      requests: [{ method: 'POST', path: `/api/organisations/${orgId}/invitations`, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: inviteBody() }) }],
    } as unknown as Parameters<typeof runLoad>[0]).done;
    const bareInvites = await runLoad({
      url: bareBase,
      connections: ADMINS,
      duration: SECONDS,
      requests: [{ method: 'POST', path: '/invite', headers: { 'content-type': 'application/json' }, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ orgId, name: `Bare ${n}`, email: `bare${n++}@bench.test` }) }) }],
    } as unknown as Parameters<typeof runLoad>[0]).done;

    const rate = (r: typeof motusUsers) => r.result['2xx'] / (r.result.duration || SECONDS);
    const figures = {
      usersPage: { motusRps: rate(motusUsers), bareRps: rate(bareUsers), ratio: rate(motusUsers) / rate(bareUsers), motusLatencyMs: summarize(motusUsers.latenciesMs), non2xx: motusUsers.result.non2xx },
      invitations: { motusPerSecond: rate(motusInvites), barePerSecond: rate(bareInvites), ratio: rate(motusInvites) / rate(bareInvites), motusLatencyMs: summarize(motusInvites.latenciesMs), non2xx: motusInvites.result.non2xx },
    };
    const pool = (await db.query('select licences_assigned, licences_reserved, licences_purchased from organisations where id = $1', [orgId])).rows[0];
    console.log('\nOrganisation console benchmark (PostgreSQL, 2,000 members, 50 admins)');
    console.log(`  Users page API   ${figures.usersPage.motusRps.toFixed(0).padStart(6)} req/s   bare ${figures.usersPage.bareRps.toFixed(0).padStart(6)} req/s   ratio ${figures.usersPage.ratio.toFixed(2)}   p99 ${figures.usersPage.motusLatencyMs.p99} ms`);
    console.log(`  Invitations      ${figures.invitations.motusPerSecond.toFixed(0).padStart(6)} /s      bare ${figures.invitations.barePerSecond.toFixed(0).padStart(6)} /s      ratio ${figures.invitations.ratio.toFixed(2)}   p99 ${figures.invitations.motusLatencyMs.p99} ms`);
    console.log(`  Pool afterwards: ${pool.licences_assigned} assigned + ${pool.licences_reserved} reserved of ${pool.licences_purchased} (non-2xx: users ${figures.usersPage.non2xx}, invitations ${figures.invitations.non2xx})`);
    const file = path.join(REPO_ROOT, 'bench', 'results', 'console.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ benchmark: 'console', finishedAt: new Date().toISOString(), figures }, null, 2));
  } finally {
    await db.end();
  }
}

try {
  await main();
} finally {
  bare?.stop();
  await server?.stop().catch(() => {});
  await database?.drop().catch(() => {});
}
