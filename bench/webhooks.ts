/**
 * Webhook delivery benchmark (part of `npm run bench`).
 *
 * On a fresh PostgreSQL database, an organisation's endpoint points at a receiver on 127.0.0.1.
 * N events are emitted in one transaction (each a delivery row and the job of its first attempt),
 * then the job queue drains them: every delivery reads its row, decrypts the endpoint's secret,
 * signs (Standard Webhooks), POSTs over a connection of its own, and records the attempt and the
 * delivery's new state in a transaction. Measured with one worker (one app process) and with four
 * (four processes claiming skip-locked), against the ceiling of the same run: a bare loop of the
 * same POSTs (pre-signed, one connection each, as deliveries use) with as many loops at once, and
 * no database. The receiver checks a sample of signatures with the `standardwebhooks` package, and
 * every event id must arrive exactly once.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { inTransaction, migrateToLatest, openDatabase } from '../src/platform/db/database.ts';
import { emitWebhookEvents, type WebhookEvent } from '../src/webhooks/emit.ts';
import { signedHeaders } from '../src/webhooks/signing.ts';
import { api, signUp } from './lib/api.ts';
import { createBenchDatabase, type BenchDatabase } from './lib/postgres.ts';
import { REPO_ROOT } from './lib/server.ts';

const BASE = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 2000);
const SAMPLE_EVERY = 50;

/** A receiver that answers 200, counts each webhook-id, and verifies every SAMPLE_EVERY-th request. */
class Receiver {
  readonly ids = new Map<string, number>();
  verified = 0;
  failedVerification = 0;
  requests = 0;
  secret: string | null = null;
  #server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests += 1;
      const id = String(req.headers['webhook-id'] ?? '');
      this.ids.set(id, (this.ids.get(id) ?? 0) + 1);
      if (this.secret && this.requests % SAMPLE_EVERY === 0) {
        try {
          new Webhook(this.secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
          this.verified += 1;
        } catch {
          this.failedVerification += 1;
        }
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  port = 0;
  async start() {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }
  reset() {
    this.ids.clear();
    this.requests = 0;
    this.verified = 0;
    this.failedVerification = 0;
  }
  stop() {
    return new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** One POST over a connection of its own, as a delivery sends it. */
function barePost(port: number, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/hook', method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let database: BenchDatabase | undefined;

async function main() {
  database = await createBenchDatabase(BASE);
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 10 });
  await migrateToLatest(handle.db as unknown as Kysely<unknown>);
  const receiver = new Receiver();
  await receiver.start();

  const config = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', SIGN_UPS_PER_ADDRESS_PER_HOUR: '1000' }),
    webDir: undefined,
  };
  const motus = await buildApp(config, { database: handle, logger: false, runJobs: false });
  await motus.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(motus.app.server.address() as AddressInfo).port}`;
  const figures: Record<string, unknown> = {};
  try {
    // The owner, an organisation, and its endpoint, through the API as a person would.
    const owner = await signUp(base, 'owner@bench.test', 'Olive Owner');
    await motus.deps.db.updateTable('accounts').set({ email_verified_at: new Date() }).where('id', '=', owner.accountId).execute();
    const headers = { cookie: owner.cookie, 'x-csrf-token': owner.csrf };
    const org = await api(base, 'POST', '/api/organisations', { name: 'Bench Physio' }, headers);
    if (org.status !== 201) throw new Error(`organisation: ${org.status} ${JSON.stringify(org.json)}`);
    const orgId = String(org.json.organisation?.id ?? org.json.id);
    const ep = await api(base, 'POST', `/api/organisations/${orgId}/webhooks`, { url: `http://127.0.0.1:${receiver.port}/hook`, description: 'Bench PMS', events: ['programme.assigned'] }, headers);
    if (ep.status !== 201) throw new Error(`endpoint: ${ep.status} ${JSON.stringify(ep.json)}`);
    receiver.secret = String(ep.json.secret);

    const event = (i: number): WebhookEvent => ({
      type: 'programme.assigned',
      organisationId: orgId,
      accountIds: [],
      data: { programmeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, patientId: '00000000-0000-4000-8000-000000000001', assignedBy: owner.accountId },
    });

    const runs: Array<{ workers: number; perSecond: number; barePerSecond: number }> = [];
    for (const workers of [1, 4]) {
      receiver.reset();
      const events = Array.from({ length: EVENTS }, (_, i) => event(i));
      await inTransaction(motus.deps.db, (tx) => emitWebhookEvents(tx, motus.deps.clock, events));
      const started = performance.now();
      await Promise.all(Array.from({ length: workers }, () => motus.deps.jobs.runDue(5)));
      const seconds = (performance.now() - started) / 1000;
      const delivered = await motus.deps.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '=', 'delivered').executeTakeFirstOrThrow();
      const repeated = [...receiver.ids.values()].filter((n) => n !== 1).length;
      if (receiver.ids.size !== EVENTS || repeated > 0) throw new Error(`expected ${EVENTS} event ids once each, got ${receiver.ids.size} ids, ${repeated} repeated`);
      if (receiver.failedVerification > 0 || receiver.verified === 0) throw new Error(`signature check: ${receiver.verified} verified, ${receiver.failedVerification} failed`);
      await motus.deps.db.deleteFrom('webhook_attempts').execute();
      await motus.deps.db.deleteFrom('webhook_deliveries').execute();

      // Ceiling: the same POSTs, pre-signed, `workers` loops at once, no database.
      receiver.reset();
      const body = JSON.stringify({ type: 'programme.assigned', timestamp: new Date().toISOString(), data: event(0).data });
      const signed = Array.from({ length: EVENTS }, (_, i) => signedHeaders([receiver.secret!], `msg_bench${i}`, new Date(), body));
      let next = 0;
      const bareStarted = performance.now();
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let i = next++; i < EVENTS; i = next++) if ((await barePost(receiver.port, signed[i]!, body)) !== 200) throw new Error('bare POST refused');
        }),
      );
      const bareSeconds = (performance.now() - bareStarted) / 1000;
      runs.push({ workers, perSecond: EVENTS / seconds, barePerSecond: EVENTS / bareSeconds });
      figures[`workers${workers}`] = { events: EVENTS, delivered: Number(delivered.n), seconds, perSecond: EVENTS / seconds, bareSeconds, barePerSecond: EVENTS / bareSeconds, ratio: EVENTS / seconds / (EVENTS / bareSeconds), signaturesVerified: receiver.verified };
    }

    console.log(`\nWebhook delivery benchmark (PostgreSQL ${database.version}, ${EVENTS} events to one endpoint on loopback, each delivered once)`);
    for (const r of runs) {
      console.log(
        `  ${String(r.workers)} worker${r.workers === 1 ? ' ' : 's'}  deliveries ${r.perSecond.toFixed(0).padStart(5)}/s   bare POST loop ${r.barePerSecond.toFixed(0).padStart(5)}/s   ratio ${(r.perSecond / r.barePerSecond).toFixed(2)}`,
      );
    }
    const file = path.join(REPO_ROOT, 'bench', 'results', 'webhooks.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ benchmark: 'webhooks', finishedAt: new Date().toISOString(), figures }, null, 2));
  } finally {
    await motus.close();
    await handle.close();
    await receiver.stop();
  }
}

try {
  await main();
} finally {
  await database?.drop().catch(() => {});
}
