import { parseArgs } from 'node:util';
import readline from 'node:readline';
import type { Kysely } from 'kysely';
import { accountByEmail, accountIdByEmail, insertAccountRow, listAccounts, setAccountContact } from '../accounts/data.ts';
import { passwordProblem, PasswordHasher } from '../accounts/passwords.ts';
import { emailSchema, passwordSchema, personNameSchema } from '../accounts/schemas.ts';
import { recordAudit } from '../audit/record.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { systemClock } from '../platform/clock.ts';
import { newId } from '../platform/crypto.ts';
import { inTransaction, migrateToLatest, openDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import { latestOutboxEmails } from '../mail/data.ts';
import { linksIn } from '../mail/outbox.ts';
import { buildApp, type Motus } from '../app.ts';
import { stockExercisesBySlug } from '../exercises/data.ts';
import { resolveOrgContext } from '../organisations/access.ts';
import { createPatientBody } from '../patients/schemas.ts';
import { programmeBody } from '../programmes/schemas.ts';

/**
 * The operator's tool. It works on the database directly (the explicitly unscoped handle), so it
 * runs where the server's configuration is: the same environment variables, the same data folder.
 */
const USAGE = `Usage: motus <command> [options]

Commands:
  audit verify                          Check the audit trail's hash chains; names the first broken record
  users list [--limit N]                List accounts
  operator create --email E --name N    Create an operator account (password asked, or read from stdin)
  mail list [--limit N]                 Show mail kept in the outbox (when no SMTP_URL is set)
  org create --owner-email E --name N [--manual-billing] [--licences N] [--owner-practitioner]
                                        Create an organisation for an existing account (R-ORG-1)
  org list                              List organisations and individual subscriptions with their licence pools
  invoice mark-paid --number N          Mark a manually collected invoice paid (R-LIC-7)
  demo                                  Add sample accounts to click through (idempotent)
  help                                  Show this text

Configuration comes from the same environment variables as the server (DATABASE_URL, DATA_DIR, ...).`;

async function withDatabase<T>(work: (db: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(database.db as unknown as Kysely<unknown>);
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The whole app on the configured database, without listening: for commands that apply service rules. */
async function withApp<T>(work: (motus: Motus) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const motus = await buildApp({ ...config, webDir: undefined, logLevel: 'warn' }, { logger: false, runJobs: false });
  try {
    return await work(motus);
  } finally {
    await motus.close();
  }
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      out._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new CliError('The two passwords differ.');
  return first;
}

class CliError extends Error {}

/** Demo data only: published in the README so a newcomer can sign in at once. */
const DEMO_PASSWORD = 'motus demo practice';

/**
 * A sample organisation through the same services people use: an owner who also treats patients,
 * a practitioner who accepted an invitation, and a manually billed licence pool.
 */
async function seedDemo(motus: Motus): Promise<{ created: boolean }> {
  const { db } = motus.database;
  if (await accountIdByEmail(db, 'demo.owner@motus.test')) return { created: false };
  const passwordHash = await motus.deps.hasher.hash(DEMO_PASSWORD);
  const cli = { requestId: 'demo', ip: null, userAgent: 'motus-cli', actor: null };
  const people = [
    { email: 'demo.owner@motus.test', name: 'Dana Demo' },
    { email: 'demo.physio@motus.test', name: 'Pat Physio' },
  ];
  const ids: string[] = [];
  for (const p of people) {
    ids.push(await inTransaction(db, (tx) => motus.services.accounts.insertAccount(tx, { ...p, password: DEMO_PASSWORD, passwordHash, verified: true })));
  }
  for (const [i, id] of ids.entries()) {
    await setAccountContact(db, id, { profession: 'Physiotherapist', phone: `+44207946095${i}` });
  }
  const orgId = await inTransaction(db, (tx) =>
    motus.services.organisations.insertOrganisation(tx, { accountId: null, sessionId: null, organisationId: null, ip: null, userAgent: 'motus-cli', requestId: 'demo' }, { accountId: ids[0]!, ...people[0]! }, {
      name: 'Riverside Physiotherapy',
      billingMode: 'manual',
      ownerPractitioner: true,
      licences: 5,
    }),
  );
  const owner = { accountId: ids[0]!, sessionId: null, email: people[0]!.email, name: people[0]!.name, isOperator: false, emailVerified: true, csrfToken: '' };
  const org = await resolveOrgContext(db, owner, orgId, 'users');
  const invited = await motus.services.memberships.invite({ ...cli, actor: owner, org }, { name: people[1]!.name, email: people[1]!.email, practitioner: true }, undefined);
  const physio = { ...owner, accountId: ids[1]!, email: people[1]!.email, name: people[1]!.name };
  await motus.services.memberships.acceptById({ ...cli, actor: physio }, invited.body.member.id);
  await motus.services.organisations.setDefaults({ ...cli, actor: owner, org }, { address: '1 River Street, Riverside', phone: '+442079460000' });
  await seedDemoPatients(motus, { ...cli, actor: physio });
  return { created: true };
}

/** A few patients of the practitioner, one with a programme the patient's page opens. */
async function seedDemoPatients(motus: Motus, ctx: Parameters<Motus['services']['patients']['create']>[0]): Promise<void> {
  const { db } = motus.database;
  const stock = await stockExercisesBySlug(db, ['quad-set', 'straight-leg-raise', 'heel-slide']);
  const bySlug = new Map(stock.map((e) => [e.slug, e.id]));
  const patients = [
    { firstName: 'Grace', lastName: 'Demo', yearOfBirth: 1958, externalId: 'DEMO-1001', diagnosisCode: 'M17.1', group: 'knees' },
    { firstName: 'Omar', lastName: 'Example', yearOfBirth: 1984, externalId: 'DEMO-1002', group: 'shoulders' },
    { firstName: 'Lena', lastName: 'Sample', yearOfBirth: 1997, externalId: 'DEMO-1003' },
  ];
  const created = [];
  for (const p of patients) created.push(await motus.services.patients.create(ctx, createPatientBody.parse(p)));
  const items = ['quad-set', 'straight-leg-raise', 'heel-slide'].flatMap((slug) => (bySlug.has(slug) ? [{ exerciseId: bySlug.get(slug)!, sets: 3, reps: 10, holdSeconds: slug === 'quad-set' ? 5 : null, weekdays: [1, 3, 5] }] : []));
  if (items.length === 0) return;
  const today = new Date().toISOString().slice(0, 10);
  await motus.services.programmes.assign(ctx, created[0]!.id, programmeBody.parse({ title: 'Knee strength, weeks 1–4', startDate: today, trackAdherence: true, items }));
}

/** The demo programme's code, for the patient's page. */
async function demoProgrammeCode(motus: Motus): Promise<string | null> {
  const row = await motus.database.db
    .selectFrom('programmes')
    .innerJoin('patients', 'patients.id', 'programmes.patient_id')
    .select('programmes.code')
    .where('patients.external_id', '=', 'DEMO-1001')
    .where('programmes.state', '<>', 'ended')
    .executeTakeFirst();
  return row?.code ?? null;
}

export async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const key = [command, sub].filter(Boolean).join(' ');
  switch (key) {
    case 'audit verify': {
      const report = await withDatabase((d) => verifyAuditChain(d.db));
      if (report.ok) {
        console.log(`Audit trail intact: ${report.recordsChecked} records in ${report.chainsChecked} chains verified.`);
        return 0;
      }
      const first = report.firstBroken!;
      console.error(
        `Audit trail BROKEN: first broken record is id ${first.id} (chain ${first.chain}, position ${first.chainSeq}): ${first.reason.replace(/_/g, ' ')}.`,
      );
      if (report.broken.length > 1) console.error(`${report.broken.length} chains are broken in all.`);
      return 2;
    }
    case 'users list': {
      const { values } = parseArgs({ args: rest, options: { limit: { type: 'string', default: '100' } } });
      const rows = await withDatabase((d) => listAccounts(d.db, Number(values.limit)));
      if (rows.length === 0) console.log('No accounts yet.');
      for (const r of rows) {
        const flags = [r.email_verified_at ? 'verified' : 'unverified', r.is_operator ? 'operator' : null].filter(Boolean).join(', ');
        console.log(`${r.id}  ${r.email.padEnd(40)}  ${r.name}  (${flags})`);
      }
      return 0;
    }
    case 'operator create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' } } });
      const email = emailSchema.safeParse(values.email ?? '');
      const name = personNameSchema.safeParse(values.name ?? '');
      if (!email.success) throw new CliError('--email: give a valid email address.');
      if (!name.success) throw new CliError('--name: give the person\'s name.');
      const password = await readPassword();
      const length = passwordSchema.safeParse(password);
      if (!length.success) throw new CliError(`Password: ${length.error.issues[0]?.message}`);
      const problem = passwordProblem(password, { email: email.data, name: name.data });
      if (problem) throw new CliError(`Password: ${problem.message}`);
      const config = loadConfig();
      const passwordHash = await new PasswordHasher(config.argon2).hash(password);
      const id = await withDatabase((d) =>
        inTransaction(d.db, async (tx) => {
          if (await accountIdByEmail(tx, email.data)) throw new CliError(`An account with ${email.data} exists already.`);
          const now = systemClock.now();
          const accountId = newId();
          await insertAccountRow(tx, {
            id: accountId,
            email: email.data,
            name: name.data,
            profession: null,
            phone: null,
            practice: '{}',
            password_hash: passwordHash,
            email_verified_at: now,
            is_operator: true,
            created_at: now,
            updated_at: now,
          });
          await recordAudit(tx, systemClock, { accountId, sessionId: null, organisationId: null, ip: null, userAgent: 'motus-cli', requestId: null }, {
            action: 'operator.account_created',
            targetType: 'account',
            targetId: accountId,
          });
          return accountId;
        }),
      );
      console.log(`Operator account created: ${email.data} (${id}). Sign in at ${config.publicUrl}/sign-in`);
      return 0;
    }
    case 'org create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          'owner-email': { type: 'string' },
          name: { type: 'string' },
          'manual-billing': { type: 'boolean', default: false },
          licences: { type: 'string', default: '0' },
          'owner-practitioner': { type: 'boolean', default: false },
          'time-zone': { type: 'string' },
        },
      });
      const email = emailSchema.safeParse(values['owner-email'] ?? '');
      const name = personNameSchema.safeParse(values.name ?? '');
      const licences = Number(values.licences);
      if (!email.success) throw new CliError('--owner-email: give the email of an existing account.');
      if (!name.success) throw new CliError('--name: give the organisation name.');
      if (!Number.isInteger(licences) || licences < 0 || licences > 10000) throw new CliError('--licences: a whole number from 0 to 10000.');
      if (!values['manual-billing'] && (licences > 0 || values['owner-practitioner'])) {
        throw new CliError('Licences at creation need manual billing (--manual-billing); a card-billed organisation buys them in the console.');
      }
      const id = await withApp(async (motus) => {
        const owner = await accountByEmail(motus.database.db, email.data);
        if (!owner) throw new CliError(`No account with ${email.data}. The owner signs up first.`);
        return inTransaction(motus.database.db, (tx) =>
          motus.services.organisations.insertOrganisation(
            tx,
            { accountId: null, sessionId: null, organisationId: null, ip: null, userAgent: 'motus-cli', requestId: null },
            { accountId: owner.id, email: owner.email, name: owner.name },
            {
              name: name.data,
              billingMode: values['manual-billing'] ? 'manual' : 'card',
              ownerPractitioner: values['owner-practitioner'] ?? false,
              licences: Math.max(licences, values['owner-practitioner'] ? 1 : 0),
              billingTimeZone: values['time-zone'],
            },
          ),
        );
      });
      console.log(`Organisation created: ${name.data} (${id}), owner ${email.data}${values['manual-billing'] ? ', billed manually' : ''}.`);
      return 0;
    }
    case 'org list': {
      const rows = await withDatabase((d) =>
        d.db
          .selectFrom('organisations as o')
          .innerJoin('accounts as a', 'a.id', 'o.owner_account_id')
          .select(['o.id', 'o.name', 'o.kind', 'o.billing_mode', 'o.status', 'o.licences_purchased', 'o.licences_assigned', 'o.licences_reserved', 'a.email'])
          .orderBy('o.kind')
          .orderBy('o.name')
          .execute(),
      );
      if (rows.length === 0) console.log('No organisations yet.');
      for (const r of rows) {
        console.log(`${r.id}  ${r.kind === 'subscription' ? '[subscription] ' : ''}${r.name}  owner ${r.email}  ${r.billing_mode}  ${r.status}  licences ${r.licences_assigned} assigned + ${r.licences_reserved} reserved of ${r.licences_purchased}`);
      }
      return 0;
    }
    case 'invoice mark-paid': {
      const { values } = parseArgs({ args: rest, options: { number: { type: 'string' } } });
      const number = Number(values.number);
      if (!Number.isInteger(number) || number < 1) throw new CliError('--number: the invoice number.');
      const inv = await withApp((motus) =>
        motus.services.collection.markPaid(number, { accountId: null, sessionId: null, organisationId: null, ip: null, userAgent: 'motus-cli', requestId: null }),
      );
      console.log(`Invoice ${inv.number} is marked paid.`);
      return 0;
    }
    case 'mail list': {
      const { values } = parseArgs({ args: rest, options: { limit: { type: 'string', default: '20' } } });
      const rows = await withDatabase((d) => latestOutboxEmails(d.db, Number(values.limit)));
      for (const m of rows) {
        console.log(`${m.created_at.toISOString()}  ${m.status.padEnd(7)}  to ${m.to_address}: ${m.subject}`);
        for (const l of linksIn(m.text_body)) console.log(`    ${l}`);
      }
      if (rows.length === 0) console.log('The outbox is empty.');
      return 0;
    }
    case 'demo': {
      const result = await withApp(async (motus) => ({ ...(await seedDemo(motus)), code: await demoProgrammeCode(motus) }));
      console.log(result.created ? 'Demo data added.' : 'Demo data is there already.');
      console.log(`Sign in with either account (password "${DEMO_PASSWORD}"):`);
      console.log('  demo.owner@motus.test   Dana Demo, owner of Riverside Physiotherapy (console and practitioner)');
      console.log('  demo.physio@motus.test  Pat Physio, practitioner at Riverside Physiotherapy, with three patients');
      if (result.code) console.log(`The patient's page (/programme): code ${result.code}, year of birth 1958.`);
      return 0;
    }
    case 'help':
    case '':
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${key}".\n\n${USAGE}`);
      return 64;
  }
}

const invokedDirectly = /(?:src\/cli\/main\.ts|bin\/motus(?:\.js)?)$/.test(process.argv[1] ?? '');
if (invokedDirectly) {
  run(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      if (err instanceof CliError || err instanceof ConfigError) {
        console.error(err.message);
        process.exit(64);
      }
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
