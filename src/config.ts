import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** A Host header's value: a name or an IPv4 address, or an IPv6 address in brackets, with an optional port. */
export const HOST_PATTERN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Whether HOST (the address the server listens on) lets only this machine connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Every setting Motus reads from its environment. Defaults give a working embedded installation
 * (PGlite in ./data, mail kept in the outbox); a wrong value stops start-up naming the variable.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Host names (optionally with :port) this server also answers for, beyond PUBLIC_URL's: e.g. the
  // name a reverse proxy on another machine uses. Comma-separated.
  ALLOWED_HOSTS: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
    .refine((hosts) => hosts.every((h) => HOST_PATTERN.test(h)), { message: 'comma-separated host names, each optionally with :port (e.g. motus.internal:3000)' })
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Motus <no-reply@motus.localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  COOKIE_SECURE: bool.optional(),
  SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(60),
  SESSION_ABSOLUTE_HOURS: positiveInt.max(24 * 30).default(12),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(19456).default(19456),
  ARGON2_TIME_COST: z.coerce.number().int().min(2).default(2),
  ARGON2_CONCURRENCY: positiveInt.max(64).optional(),
  SIGN_IN_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  SIGN_IN_FAILURES_PER_ADDRESS: positiveInt.default(20),
  SIGN_IN_FAILURE_WINDOW_MINUTES: positiveInt.default(15),
  SIGN_INS_PER_ADDRESS_PER_MINUTE: positiveInt.default(30),
  SIGN_UPS_PER_ADDRESS_PER_HOUR: positiveInt.default(20),
  PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: positiveInt.default(20),
  DEV_MAILBOX: bool.optional(),
  INVITATION_MAILS_PER_ADDRESS_PER_HOUR: positiveInt.max(1000).default(3),
  INVITATION_MAILS_PER_ORGANISATION_PER_HOUR: positiveInt.max(100_000).default(200),
  JOB_LEASE_SECONDS: positiveInt.max(24 * 60 * 60).default(300),
  INVITATION_TTL_DAYS: positiveInt.max(90).default(7),
  TRIAL_DAYS: positiveInt.max(365).default(14),
  LICENCE_PRICE_MINOR: z.coerce.number().int().min(0).max(10_000_000).default(3000),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, { message: 'a three-letter ISO currency code such as EUR' }).default('EUR'),
  // R-INT-1: 32 random bytes, base64, that encrypt the tokens of linked PMSs at rest. Required in production.
  DATA_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: '32 random bytes in base64 (openssl rand -base64 32)' })
    .optional(),
  API_KEY_REQUESTS_PER_MINUTE: positiveInt.max(100_000).default(600),
  // R-INT-4: webhooks to loopback, private and link-local addresses (and over plain http) only where the operator allows it.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  BILLING_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, { message: 'an IANA time zone such as Europe/Berlin' })
    .default('Europe/Berlin'),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  /**
   * Host header values (lower case; without a port: any port) that requests may carry besides
   * PUBLIC_URL's own; a request naming another host is refused (421), which stops DNS rebinding.
   */
  allowedHosts: string[];
  /** HOST is a loopback address: only this machine can connect, and loopback names are accepted as Host. */
  listensOnLoopback: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  trustProxy: boolean;
  cookieSecure: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  argon2: { memoryKiB: number; timeCost: number; concurrency?: number | undefined };
  throttle: {
    signInFailuresPerAccount: number;
    signInFailuresPerAddress: number;
    signInFailureWindowMinutes: number;
    signInsPerAddressPerMinute: number;
    signUpsPerAddressPerHour: number;
    passwordResetsPerAddressPerHour: number;
  };
  /** The development mailbox page lists kept mail with its links; never in production, only on a loopback listener. */
  devMailbox: boolean;
  /** Invitation mail allowed per recipient address and per organisation in any hour (429 beyond). */
  mailLimits: { invitationsPerAddressPerHour: number; invitationsPerOrganisationPerHour: number };
  invitationTtlDays: number;
  /** R-SUB-1: length of an individual subscription's free trial. */
  trialDays: number;
  /** How long a claimed job is reserved before another process may take it up. */
  jobLeaseSeconds: number;
  /** Defaults for new organisations (R-LIC-1, R-LIC-4). */
  billing: { licencePriceMinor: number; currency: string; timeZone: string };
  /** R-INT-1: the key that encrypts PMS tokens at rest (AES-256-GCM). */
  dataEncryptionKey: Buffer;
  /** DATA_ENCRYPTION_KEY was set; otherwise an embedded installation keeps a key of its own in its data folder. */
  dataEncryptionKeyConfigured: boolean;
  /** R-INT-3: requests one API key may make per minute. */
  apiKeyRequestsPerMinute: number;
  /**
   * R-INT-4: whether webhook endpoints may be on loopback, private, link-local or other internal
   * addresses, and use plain http (self-hosting on one network, tests). Off by default.
   */
  webhooks: { allowPrivateTargets: boolean };
  /** Where the built web app lives; absent in API-only tests. */
  webDir: string | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape)
      .map((key) => [key, env[key] === '' ? undefined : env[key]] as const)
      .filter(([, v]) => v !== undefined),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '(environment)');
        return `${name}: ${i.message} (got ${JSON.stringify(relevant[name] ?? null)})`;
      }),
    );
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const isLocalHttp = publicUrl.startsWith('http://');
  if (e.NODE_ENV === 'production' && e.COOKIE_SECURE === false && !isLocalHttp) {
    throw new ConfigError(['COOKIE_SECURE: cannot be false in production over https']);
  }
  // The development mailbox lists every emailed secret link: on by default only for a local address.
  // It stays on a loopback listener: on any other, people elsewhere on the network could read it.
  const local = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(publicUrl);
  const listensOnLoopback = isLoopbackHost(e.HOST);
  const devMailbox = e.DEV_MAILBOX ?? (e.NODE_ENV !== 'production' && !e.SMTP_URL && local && listensOnLoopback);
  if (devMailbox && e.NODE_ENV === 'production') {
    throw new ConfigError(['DEV_MAILBOX: the development mailbox cannot be enabled in production']);
  }
  if (devMailbox && !listensOnLoopback) {
    throw new ConfigError([
      `DEV_MAILBOX: the development mailbox shows every emailed link, so it is only available when HOST is a loopback address (127.0.0.1, ::1 or localhost), not ${JSON.stringify(e.HOST)}; set DEV_MAILBOX=false or HOST=127.0.0.1`,
    ]);
  }
  if (e.NODE_ENV === 'production' && !e.DATA_ENCRYPTION_KEY) {
    throw new ConfigError(['DATA_ENCRYPTION_KEY: required in production (32 random bytes in base64: openssl rand -base64 32)']);
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    allowedHosts: e.ALLOWED_HOSTS ?? [],
    listensOnLoopback,
    dataDir: e.DATA_DIR.startsWith('memory://') ? e.DATA_DIR : path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE ?? !isLocalHttp,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    argon2: { memoryKiB: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST, concurrency: e.ARGON2_CONCURRENCY },
    throttle: {
      signInFailuresPerAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT,
      signInFailuresPerAddress: e.SIGN_IN_FAILURES_PER_ADDRESS,
      signInFailureWindowMinutes: e.SIGN_IN_FAILURE_WINDOW_MINUTES,
      signInsPerAddressPerMinute: e.SIGN_INS_PER_ADDRESS_PER_MINUTE,
      signUpsPerAddressPerHour: e.SIGN_UPS_PER_ADDRESS_PER_HOUR,
      passwordResetsPerAddressPerHour: e.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
    },
    devMailbox,
    mailLimits: {
      invitationsPerAddressPerHour: e.INVITATION_MAILS_PER_ADDRESS_PER_HOUR,
      invitationsPerOrganisationPerHour: e.INVITATION_MAILS_PER_ORGANISATION_PER_HOUR,
    },
    invitationTtlDays: e.INVITATION_TTL_DAYS,
    trialDays: e.TRIAL_DAYS,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    billing: { licencePriceMinor: e.LICENCE_PRICE_MINOR, currency: e.CURRENCY, timeZone: e.BILLING_TIME_ZONE },
    // Outside production without a key: an embedded installation makes one in its data folder
    // (buildApp); in memory (tests) and on PostgreSQL a fixed key, which protects nothing.
    dataEncryptionKey: e.DATA_ENCRYPTION_KEY ? Buffer.from(e.DATA_ENCRYPTION_KEY, 'base64') : createHash('sha256').update('motus development data key').digest(),
    dataEncryptionKeyConfigured: e.DATA_ENCRYPTION_KEY !== undefined,
    apiKeyRequestsPerMinute: e.API_KEY_REQUESTS_PER_MINUTE,
    webhooks: { allowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS },
    webDir: path.resolve('dist/web'),
  };
}
