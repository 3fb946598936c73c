import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createAccountService, type AccountService } from './accounts/service.ts';
import { accountRoutes } from './accounts/routes.ts';
import { PasswordHasher } from './accounts/passwords.ts';
import { recordAudit } from './audit/record.ts';
import type { Config } from './config.ts';
import type { Deps } from './deps.ts';
import { draftRoutes } from './drafts/routes.ts';
import { createInactivitySweep, scheduleSweep, SWEEP_JOB } from './engagement/alerts.ts';
import { createDeviceResolver } from './engagement/devices.ts';
import { createPatientEngagement } from './engagement/patient.ts';
import { createPracticeEngagement } from './engagement/practice.ts';
import { engagementRoutes } from './engagement/routes.ts';
import { createCalendarService } from './engagement/calendar.ts';
import { reminderRoutes } from './engagement/reminder-routes.ts';
import { createReminderService } from './engagement/reminders.ts';
import { createPatientPage } from './programmes/patient-page.ts';
import { createApiKeyResolver, createApiKeyService } from './integrations/keys.ts';
import { createPmsLinkService } from './integrations/pms.ts';
import { integrationRoutes } from './integrations/routes.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { createWebhookService } from './webhooks/service.ts';
import { createPublicApi } from './public-api/service.ts';
import { publicApiRoutes } from './public-api/routes.ts';
import { createFhirService } from './fhir/service.ts';
import { fhirRoutes } from './fhir/routes.ts';
import { createDraftService } from './drafts/service.ts';
import { defineMailDelivery } from './mail/outbox.ts';
import { JobRunner } from './jobs/runner.ts';
import { devMailboxRoutes } from './mail/routes.ts';
import { createMailboxService } from './mail/service.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { inTransaction, migrateToLatest, openDatabase, type DatabaseHandle } from './platform/db/database.ts';
import { declarePublicScope, enforceAccessDeclarations } from './platform/http/access.ts';
import { CrossSiteRequestError, installAuth } from './platform/http/auth.ts';
import { auditActorOf } from './platform/http/context.ts';
import { frameworkErrorHandler, installErrorHandling } from './platform/http/errors.ts';
import { installHostCheck } from './platform/http/host.ts';
import { installJsonParser } from './platform/http/json.ts';
import { RefusalSampler } from './platform/http/refusals.ts';
import { zodValidatorCompiler } from './platform/http/validation.ts';
import { defineContract } from './platform/http/contract.ts';
import { route } from './platform/http/route.ts';
import { z } from 'zod';
import { Throttle } from './platform/throttle.ts';
import { readSessionToken } from './sessions/cookie.ts';
import { sessionRoutes } from './sessions/routes.ts';
import { createSessionService, type SessionService } from './sessions/service.ts';
import { TestGateway, type PaymentGateway } from './billing/gateway.ts';
import { createPaymentMethodService } from './billing/payment-methods.ts';
import { createCollectionService, type CollectionService } from './billing/collection.ts';
import { invoiceRoutes } from './billing/invoice-routes.ts';
import { COLLECT_JOB, createInvoiceService, ISSUE_JOB, type InvoiceService } from './billing/invoices.ts';
import { billingRoutes } from './billing/routes.ts';
import { createLicenceService, type LicenceService } from './licences/service.ts';
import { licenceRoutes } from './licences/routes.ts';
import { MembershipEvents } from './memberships/events.ts';
import { createInvitationExpiry } from './memberships/expiry.ts';
import { membershipRoutes } from './memberships/routes.ts';
import { createMembershipService, type MembershipService } from './memberships/service.ts';
import { resolveOrgContext, resolveSubscriptionContext, type OrgRequirement } from './organisations/access.ts';
import { organisationRoutes } from './organisations/routes.ts';
import { createOrganisationService, type OrganisationService } from './organisations/service.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';
import { patientRoutes } from './patients/routes.ts';
import { createPatientService, type PatientService } from './patients/service.ts';
import { exerciseRoutes } from './exercises/routes.ts';
import { createExerciseService, syncStockExercises } from './exercises/service.ts';
import { programmeRoutes } from './programmes/routes.ts';
import { handoutRoutes } from './engagement/handout-routes.ts';
import { createHandoutService } from './engagement/handout.ts';
import { sharingRoutes } from './sharing/routes.ts';
import { createSharingService } from './sharing/service.ts';
import { transferRoutes } from './transfers/routes.ts';
import { importRoutes } from './imports/routes.ts';
import { createImportService } from './imports/service.ts';
import { createTransferService } from './transfers/service.ts';
import { createProgrammeService, type ProgrammeService } from './programmes/service.ts';
import { requireWorkingLicence } from './subscriptions/standing.ts';
import { createSubscriptionService, type SubscriptionService } from './subscriptions/service.ts';

export interface BuildOptions {
  clock?: Clock;
  /** An already open database (tests share one across apps); otherwise opened from config. */
  database?: DatabaseHandle;
  logger?: boolean;
  gateway?: PaymentGateway;
  /** Run queued jobs in this process (default). Tests that drive jobs themselves turn it off. */
  runJobs?: boolean;
  /** More routes, registered like the app's own (tests register deliberately wrong ones to see them caught). */
  extraRoutes?: (app: FastifyInstance) => Promise<void> | void;
}

export interface Motus {
  app: FastifyInstance;
  deps: Deps;
  services: {
    accounts: AccountService;
    sessions: SessionService;
    licences: LicenceService;
    memberships: MembershipService;
    organisations: OrganisationService;
    events: MembershipEvents;
    invoices: InvoiceService;
    collection: CollectionService;
    subscriptions: SubscriptionService;
    patients: PatientService;
    programmes: ProgrammeService;
    /** R-ENG-6: raises "no activity" alerts now (the app runs it hourly). */
    inactivitySweep: () => Promise<number>;
  };
  database: DatabaseHandle;
  close(): Promise<void>;
}

const healthContract = defineContract({
  method: 'GET',
  path: '/api/health',
  access: 'public',
  tags: ['system'],
  summary: 'Liveness: the process answers',
  response: z.object({ status: z.literal('ok') }),
});

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Mantine sets CSS variables through style attributes; scripts stay strictly same-origin.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/**
 * Device features Motus never uses: no page of it (and nothing it might ever embed) may ask for them,
 * so a script injected into a page could not reach the camera, microphone or location either. Passkey
 * sign-in (R-SEC-1) needs none of them.
 */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/** Builds the whole Motus server in-process: used by `npm start`, the tests and the benchmarks. */
export async function buildApp(given: Config, options: BuildOptions = {}): Promise<Motus> {
  const config = withOwnEncryptionKey(given);
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize }));
  if (!options.database) await migrateToLatest(database.db as unknown as Kysely<unknown>);

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            // Emailed links carry single-use secrets in their query string: never log them.
            serializers: {
              req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
                method: req.method,
                url: req.url.replace(/([?&](?:token|code)=)[^&#]*/gi, '$1[redacted]'),
                hostname: req.hostname,
                remoteAddress: req.ip,
              }),
            },
          },
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(zodValidatorCompiler);
  // Answers go out through their contract's response schema: what it does not name is not sent.
  app.setSerializerCompiler(serializerCompiler);
  // SPEC §12: a body nested deeper than any form needs is refused before it is parsed.
  installJsonParser(app);

  const deps: Deps = {
    config,
    db: database.db,
    clock,
    throttle: new Throttle(database.db, clock),
    jobs: new JobRunner(database.db, clock, app.log, config.jobLeaseSeconds * 1000),
    hasher: new PasswordHasher(config.argon2),
  };
  const mailDelivery = defineMailDelivery(deps.jobs, database.db, clock, config.smtpUrl, config.mailFrom);
  const sessions = createSessionService(deps);
  const accounts = createAccountService(deps, sessions);
  const drafts = createDraftService(deps);
  const gateway = options.gateway ?? new TestGateway(database.db, () => clock.now());
  const events = new MembershipEvents();
  const expiry = createInvitationExpiry(deps, events);
  const licences = createLicenceService(deps, expiry.expireOverdue);
  const memberships = createMembershipService(deps, licences, accounts, sessions, events, expiry);
  const organisations = createOrganisationService(deps, licences, events);
  const paymentMethods = createPaymentMethodService(deps, gateway, licences);
  const invoices = createInvoiceService(deps, licences);
  const collection = createCollectionService(deps, gateway);
  const subscriptions = createSubscriptionService(deps, licences, memberships, events);
  const patients = createPatientService(deps);
  const exercises = createExerciseService(deps);
  const programmes = createProgrammeService(deps, events);
  const sharing = createSharingService(deps, events);
  const transfers = createTransferService(deps);
  const imports = createImportService(deps);
  const patientEngagement = createPatientEngagement(deps, createPatientPage(deps));
  const practiceEngagement = createPracticeEngagement(deps);
  const inactivitySweep = createInactivitySweep(deps);
  // R-INT-4: defines the delivery job and hears membership changes; events are emitted by the services that make them.
  const webhooks = createWebhookService(deps, events);
  await syncStockExercises(database.db, clock);
  deps.jobs.define(ISSUE_JOB, { run: async (job) => void (await invoices.issueMonthly(String(job.payload.organisationId), String(job.payload.period))) });
  deps.jobs.define(SWEEP_JOB, { run: async () => void (await inactivitySweep()) });
  deps.jobs.define(COLLECT_JOB, { run: async (job) => void (await collection.collect(String(job.payload.invoiceId), Number(job.payload.round))) });

  enforceAccessDeclarations(app);
  // API answers hold personal and clinical data: no browser or proxy keeps them, unless a route
  // says otherwise (stock illustrations, the handout).
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // Writes refused for their origin come from nobody known: sampled, so a flood cannot grow the trail.
  const crossSiteRefusals = new RefusalSampler(clock);
  installErrorHandling(app, async (request, error) => {
    // R-AUD-1: refused attempts are recorded too, in their own transaction.
    const route = request.routeOptions.url ?? request.url;
    const crossSite = error instanceof CrossSiteRequestError;
    if (!request.ctx?.actor) {
      if (!crossSite) return;
      const recorded = crossSiteRefusals.admit(request.ip, `${request.method} ${route}`, (skipped) =>
        request.log.warn({ skipped }, 'writes refused for their origin in the last minute, not recorded one by one'),
      );
      if (!recorded) return;
    }
    await inTransaction(database.db, (tx) =>
      recordAudit(tx, clock, auditActorOf(request.ctx), {
        action: 'access.denied',
        details: { method: request.method, route, code: error.code, ...(crossSite ? { origin: error.origin } : {}) },
      }, 'denied'),
    );
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { ...CSP, ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}) } },
    hsts: config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // The same answer as the policy's frame-ancestors 'none', for browsers that read only this header.
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
  // Requests must name this server's own host (DNS rebinding is refused before any route runs).
  installHostCheck(app, config);
  installAuth(app, config, { resolve: sessions.resolve, readToken: (req) => readSessionToken(config, req) }, {
    organisation: (actor, orgId, need) => resolveOrgContext(database.db, actor, orgId, need as OrgRequirement),
    subscription: (actor) => resolveSubscriptionContext(database.db, actor),
    practitioner: (actor) => requireWorkingLicence(database.db, actor.accountId, clock.now()),
    patientDevice: createDeviceResolver(database.db, clock),
    apiKey: createApiKeyResolver(database.db, clock, config.apiKeyRequestsPerMinute),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Motus API',
        version: '0.1.0',
        description:
          'Home-exercise programmes and practice licences. The web app calls with a cookie session and an x-csrf-token header on writes. ' +
          'A practice management system calls the public API (/api/v1, tag "public API v1") with a Motus API key as a bearer token; each operation names the scope its key needs. ' +
          'Errors answer { error: { code, message, details? }, requestId }.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'motus_<8 characters>_<secret>', description: 'A Motus API key (R-INT-3), made in Settings → API keys or by a PMS link. Its scopes: patients.read, patients.write, programmes.assign, engagement.read, console.read.' },
          session: { type: 'apiKey', in: 'cookie', name: 'motus_session', description: 'The web app\'s session cookie; writes also send the x-csrf-token header.' },
          patientDevice: { type: 'http', scheme: 'bearer', description: "The token a patient's device got when it opened its programme." },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    declarePublicScope(docs);
    await docs.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  route(app, healthContract, async (_ctx, _input, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' as const };
  });

  await app.register(accountRoutes, { config, accounts, sessions });
  await app.register(sessionRoutes, { config, accounts, sessions });
  await app.register(draftRoutes, { drafts });
  await app.register(organisationRoutes, { organisations, memberships });
  await app.register(membershipRoutes, { config, memberships, sessions });
  await app.register(licenceRoutes, { licences });
  await app.register(billingRoutes, { paymentMethods });
  await app.register(invoiceRoutes, { invoices, collection });
  await app.register(subscriptionRoutes, { subscriptions, memberships, paymentMethods, invoices, collection });
  await app.register(patientRoutes, { patients });
  await app.register(exerciseRoutes, { exercises });
  await app.register(programmeRoutes, { programmes });
  const handouts = createHandoutService(deps);
  await app.register(handoutRoutes, { handouts });
  await app.register(sharingRoutes, { sharing });
  await app.register(transferRoutes, { transfers });
  await app.register(importRoutes, { imports });
  await app.register(engagementRoutes, { patient: patientEngagement, practice: practiceEngagement });
  await app.register(integrationRoutes, { keys: createApiKeyService(deps), links: createPmsLinkService(deps, events) });
  await app.register(webhookRoutes, { webhooks });
  await app.register(publicApiRoutes, { api: createPublicApi(deps, patients, programmes), handouts, practice: practiceEngagement, memberships, licences });
  await app.register(fhirRoutes, { fhir: createFhirService(deps) });
  await app.register(reminderRoutes, { reminders: createReminderService(deps), calendar: createCalendarService(deps) });
  // The mailbox shows every emailed link: only ever on a listener nobody else can reach.
  if (config.devMailbox && config.listensOnLoopback) await app.register(devMailboxRoutes, { mailbox: createMailboxService(database.db) });
  else if (config.devMailbox) app.log.warn({ host: config.host }, 'the development mailbox is off: HOST is not a loopback address');

  if (options.extraRoutes) await app.register(async (scope) => options.extraRoutes!(scope));
  registerWebApp(app, config);

  await app.ready();
  // Work queued before a restart (mail, retries) goes on now, and due jobs are polled for.
  if (options.runJobs !== false) {
    deps.jobs.start(config.env === 'test' ? 1000 : 5000);
  }
  // R-PRA-2: invitations also expire when nobody touches their organisation.
  // R-LIC-5: each organisation's monthly invoice is queued once its month begins (dedupe keys make
  // this safe in several processes).
  const sweep = setInterval(() => {
    memberships.expireAllOverdue().catch((err: unknown) => app.log.error({ err }, 'invitation expiry sweep failed'));
    if (options.runJobs !== false) invoices.scheduleDue().then(() => deps.jobs.kick()).catch((err: unknown) => app.log.error({ err }, 'invoice scheduling failed'));
    // R-ENG-6: "no activity" alerts, checked once an hour.
    if (options.runJobs !== false) scheduleSweep(deps).then(() => deps.jobs.kick()).catch((err: unknown) => app.log.error({ err }, 'engagement sweep scheduling failed'));
  }, 60_000);
  sweep.unref();
  if (options.runJobs !== false) {
    invoices.scheduleDue().then(() => deps.jobs.kick(), (err: unknown) => app.log.error({ err }, 'invoice scheduling failed'));
  }

  return {
    app,
    deps,
    services: { accounts, sessions, licences, memberships, organisations, events, invoices, collection, subscriptions, patients, programmes, inactivitySweep },
    database,
    async close() {
      clearInterval(sweep);
      await app.close();
      await deps.jobs.stop();
      mailDelivery.close();
      if (!options.database) await database.close();
    },
  };
}

/**
 * R-INT-1: an embedded installation without DATA_ENCRYPTION_KEY keeps a random key of its own in
 * its data folder (made once, readable by its owner only), so that PMS tokens are never encrypted
 * with a key anyone can read in the source. Back it up with the data.
 */
function withOwnEncryptionKey(config: Config): Config {
  if (config.dataEncryptionKeyConfigured || config.databaseUrl || config.dataDir.startsWith('memory://')) return config;
  const file = path.join(config.dataDir, 'encryption.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold 32 bytes in base64: restore it from a backup, or set DATA_ENCRYPTION_KEY`);
  return { ...config, dataEncryptionKey: key };
}

/** Serves the built web app, and its index.html for every other non-API page (client routing). */
function registerWebApp(app: FastifyInstance, config: Config): void {
  const root = config.webDir;
  const indexFile = root ? path.join(root, 'index.html') : undefined;
  if (!root || !indexFile || !fs.existsSync(indexFile)) return;
  const indexHtml = fs.readFileSync(indexFile);
  app.register(async (web) => {
    declarePublicScope(web);
    await web.register(fastifyStatic, {
      root,
      prefix: '/',
      index: false,
      wildcard: false,
      setHeaders: (res, filePath) => {
        if (filePath.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
        // R-ENG-2: the patient page's service worker and manifest are checked for a new version on every visit.
        if (filePath.endsWith(`${path.sep}sw.js`)) res.header('cache-control', 'no-cache');
        if (filePath.endsWith('.webmanifest')) res.header('content-type', 'application/manifest+json; charset=utf-8').header('cache-control', 'no-cache');
      },
    });
    for (const url of ['/', '/*']) {
      web.get(url, { schema: { hide: true } }, async (request, reply) => {
        // The API and the FHIR interface (R-INT-5) answer an unknown address in their own form, never with the app's page.
        if (request.url.startsWith('/api/') || request.url.startsWith('/fhir/')) return reply.callNotFound();
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
      });
    }
  });
}
