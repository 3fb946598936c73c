import { randomBytes } from 'node:crypto';
import { expressionBuilder, sql, type Expression } from 'kysely';
import { accountNameOf, actorAccount } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { resolveOrgContext, type OrgContext } from '../organisations/access.ts';
import type { Clock } from '../platform/clock.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import { inTransaction, type Db, type Queryable, type Tx } from '../platform/db/database.ts';
import type { ApiKeysTable, Database } from '../platform/db/schema.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError, ValidationError } from '../platform/errors.ts';
import type { ApiScope } from '../platform/http/contract.ts';
import { auditActorOf, type Actor, type ApiKeyCaller, type OrgRequestContext, type RequestContext, type SignedInContext } from '../platform/http/context.ts';
import { licenceStanding, requireWorkingIn, requireWorkingLicence } from '../subscriptions/standing.ts';
import type { ApiKeyView, CreateOrgKeyInput, CreateOwnKeyInput } from './schemas.ts';

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new key: `motus_` and 8 characters (the prefix, shown in lists), `_`, then 256 random bits.
 * Only the SHA-256 of the whole key is stored (R-INT-3).
 */
export function generateApiKey(): { token: string; prefix: string; hash: Buffer } {
  const bytes = randomBytes(8);
  let id = '';
  for (const b of bytes) id += PREFIX_ALPHABET[b % PREFIX_ALPHABET.length];
  const prefix = `motus_${id}`;
  const token = `${prefix}_${randomToken(32)}`;
  return { token, prefix, hash: sha256(token) };
}

/** Whether a bearer token has the shape of a Motus API key (a device token never does). */
export function looksLikeApiKey(token: string | undefined): token is string {
  return token !== undefined && /^motus_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/.test(token);
}

const KEY_COLUMNS = [
  'api_keys.id',
  'api_keys.kind',
  'api_keys.name',
  'api_keys.prefix',
  'api_keys.scopes',
  'api_keys.organisation_id',
  'api_keys.account_id',
  'api_keys.expires_at',
  'api_keys.created_at',
  'api_keys.last_used_at',
  'api_keys.last_used_ip',
  'api_keys.revoked_at',
] as const;

type KeyRow = Pick<ApiKeysTable, 'id' | 'kind' | 'name' | 'prefix' | 'scopes' | 'organisation_id' | 'account_id' | 'expires_at' | 'created_at' | 'last_used_at' | 'last_used_ip' | 'revoked_at'> & {
  owner_name: string | null;
  for_pms_link: boolean | number | string;
};

export function toKeyView(k: KeyRow, now: Date): ApiKeyView {
  const status = k.revoked_at ? 'revoked' : k.expires_at && k.expires_at <= now ? 'expired' : 'active';
  return {
    id: k.id,
    kind: k.kind,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    organisationId: k.organisation_id,
    ownerName: k.owner_name ?? '',
    forPmsLink: k.for_pms_link === true || k.for_pms_link === 1 || k.for_pms_link === 'true',
    expiresAt: k.expires_at?.toISOString() ?? null,
    createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null,
    lastUsedIp: k.last_used_ip,
    revokedAt: k.revoked_at?.toISOString() ?? null,
    status,
  };
}

/**
 * The prefix of the key an audit record names (`apiKeyId`, a column of the caller's query), as a
 * correlated subquery the audit views select: `apiKeyPrefixOf(eb.ref('audit_log.api_key_id')).as('api_key_prefix')`.
 */
export function apiKeyPrefixOf(apiKeyId: Expression<string | null>) {
  return expressionBuilder<Database, never>().selectFrom('api_keys').select('api_keys.prefix').where('api_keys.id', '=', apiKeyId);
}

/** Keys with their owner's name and whether they were issued for a PMS link, as lists show them. */
function keyQuery(q: Queryable) {
  return q
    .selectFrom('api_keys')
    .select(KEY_COLUMNS)
    .select((eb) => [
      accountNameOf(eb.ref('api_keys.account_id')).as('owner_name'),
      eb.exists(eb.selectFrom('pms_links').select('pms_links.id').whereRef('pms_links.api_key_id', '=', 'api_keys.id')).as('for_pms_link'),
    ]);
}

export async function keyViewById(q: Queryable, keyId: string, now: Date): Promise<ApiKeyView> {
  return toKeyView(await keyQuery(q).where('api_keys.id', '=', keyId).executeTakeFirstOrThrow(), now);
}

export interface NewKey {
  kind: 'practitioner' | 'organisation';
  accountId: string;
  organisationId: string | null;
  name: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  createdBy: string;
}

/** Writes a key in the caller's transaction, with its audit record; answers the key, once. */
export async function issueApiKey(tx: Tx, clock: Clock, ctx: RequestContext, key: NewKey, opts: { pmsLink?: boolean } = {}): Promise<{ id: string; token: string; prefix: string }> {
  const { token, prefix, hash } = generateApiKey();
  const id = newId();
  const scopes = [...new Set(key.scopes)];
  await tx
    .insertInto('api_keys')
    .values({
      id,
      kind: key.kind,
      account_id: key.accountId,
      organisation_id: key.organisationId,
      name: key.name,
      prefix,
      token_hash: hash,
      scopes,
      expires_at: key.expiresAt,
      created_by: key.createdBy,
      created_at: clock.now(),
      last_used_at: null,
      last_used_ip: null,
      rate_window_start: null,
      revoked_at: null,
      revoked_by: null,
      revoked_reason: null,
    })
    .execute();
  await recordAudit(tx, clock, auditActorOf(ctx), {
    action: 'api_key.created',
    targetType: 'api_key',
    targetId: id,
    details: { kind: key.kind, prefix, scopes, expiresAt: key.expiresAt?.toISOString() ?? null, ...(opts.pmsLink ? { pmsLink: true } : {}) },
  });
  return { id, token, prefix };
}

/** Revokes a key in the caller's transaction (a no-op for one already revoked); answers whether it changed. */
export async function revokeApiKey(tx: Tx, clock: Clock, ctx: SignedInContext, keyId: string, reason: 'revoked' | 'unlinked'): Promise<boolean> {
  const row = await tx
    .updateTable('api_keys')
    .set({ revoked_at: clock.now(), revoked_by: ctx.actor.accountId, revoked_reason: reason })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .returning('prefix')
    .executeTakeFirst();
  if (!row) return false;
  await recordAudit(tx, clock, auditActorOf(ctx), { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, details: { prefix: row.prefix, reason } });
  return true;
}

function expiryOf(value: string | null, now: Date): Date | null {
  if (value === null) return null;
  const at = new Date(value);
  if (at <= now) throw ValidationError.field('body.expiresAt', 'in_past', 'Choose a time in the future, or no expiry.');
  return at;
}

/** Keys: made, listed and revoked by their owner, and for an organisation by its owner or a Users admin (R-INT-3). */
export function createApiKeyService({ db, clock }: Deps) {
  async function listOwn(ctx: SignedInContext) {
    const rows = await keyQuery(db).where('api_keys.account_id', '=', ctx.actor.accountId).where('api_keys.kind', '=', 'practitioner').orderBy('api_keys.created_at', 'desc').orderBy('api_keys.id').execute();
    const now = clock.now();
    return { keys: rows.map((r) => toKeyView(r, now)) };
  }

  async function createOwn(ctx: SignedInContext, input: CreateOwnKeyInput) {
    const now = clock.now();
    const expiresAt = expiryOf(input.expiresAt, now);
    return inTransaction(db, async (tx) => {
      if (input.organisationId !== null) {
        const standing = await licenceStanding(tx, ctx.actor.accountId, now);
        if (!standing.sources.some((s) => s.organisationId === input.organisationId && s.blocked === null)) {
          throw ValidationError.field('body.organisationId', 'not_your_practice', 'You do not work in this practice.');
        }
      }
      const key = await issueApiKey(tx, clock, ctx, {
        kind: 'practitioner',
        accountId: ctx.actor.accountId,
        organisationId: input.organisationId,
        name: input.name,
        scopes: input.scopes,
        expiresAt,
        createdBy: ctx.actor.accountId,
      });
      return { key: await keyViewById(tx, key.id, now), token: key.token };
    });
  }

  async function revokeOwn(ctx: SignedInContext, keyId: string) {
    return inTransaction(db, async (tx) => {
      const key = await tx.selectFrom('api_keys').select('id').where('id', '=', keyId).where('account_id', '=', ctx.actor.accountId).where('kind', '=', 'practitioner').forUpdate().executeTakeFirst();
      if (!key) throw new NotFoundError('api_key');
      if (!(await revokeApiKey(tx, clock, ctx, keyId, 'revoked'))) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'api_key', targetId: keyId, details: { reason: 'already_revoked' } });
      }
      return { key: await keyViewById(tx, keyId, clock.now()) };
    });
  }

  /** The organisation's own keys and its practitioners' keys limited to it. */
  async function listOrg(ctx: OrgRequestContext) {
    const rows = await keyQuery(db).where('api_keys.organisation_id', '=', ctx.org.organisationId).orderBy('api_keys.created_at', 'desc').orderBy('api_keys.id').execute();
    const now = clock.now();
    return { keys: rows.map((r) => toKeyView(r, now)) };
  }

  async function createOrg(ctx: OrgRequestContext, input: CreateOrgKeyInput) {
    const now = clock.now();
    const expiresAt = expiryOf(input.expiresAt, now);
    return inTransaction(db, async (tx) => {
      const key = await issueApiKey(tx, clock, ctx, {
        kind: 'organisation',
        accountId: ctx.actor.accountId,
        organisationId: ctx.org.organisationId,
        name: input.name,
        scopes: ['console.read'],
        expiresAt,
        createdBy: ctx.actor.accountId,
      });
      return { key: await keyViewById(tx, key.id, now), token: key.token };
    });
  }

  async function revokeInOrg(ctx: OrgRequestContext, keyId: string) {
    return inTransaction(db, async (tx) => {
      const key = await tx.selectFrom('api_keys').select('id').where('id', '=', keyId).where('organisation_id', '=', ctx.org.organisationId).forUpdate().executeTakeFirst();
      if (!key) throw new NotFoundError('api_key');
      if (!(await revokeApiKey(tx, clock, ctx, keyId, 'revoked'))) {
        await recordAudit(tx, clock, auditActorOf(ctx), { action: 'request.unchanged', targetType: 'api_key', targetId: keyId, details: { reason: 'already_revoked' } });
      }
      return { key: await keyViewById(tx, keyId, clock.now()) };
    });
  }

  return { listOwn, createOwn, revokeOwn, listOrg, createOrg, revokeInOrg };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;

export interface ResolvedKey {
  actor: Actor;
  apiKey: ApiKeyCaller;
  org?: OrgContext;
}

const NOT_VALID = 'This API key is not valid. Check that it was copied whole, or make a new one.';

/**
 * Turns a bearer key into its caller, on every request (R-INT-3): one statement finds a live key,
 * counts the request in the key's minute and notes when and from where it was used (committed
 * asynchronously: a request must not wait on a disk flush for its own bookkeeping); then its
 * owner's standing is checked as a session's would be, so a removed access or an unpaid invoice
 * stops the key on its next request. The scope is checked last, with the caller known, so that a
 * refusal is recorded against the key.
 */
export function createApiKeyResolver(db: Db, clock: Clock, perMinute: number) {
  return async function resolveApiKey(token: string | undefined, ctx: RequestContext, scope: ApiScope, onCaller: (key: ResolvedKey) => void): Promise<ResolvedKey> {
    if (!looksLikeApiKey(token)) throw new UnauthenticatedError('unauthenticated', 'Send an API key as "Authorization: Bearer motus_…".');
    const now = clock.now();
    const windowStart = new Date(now.getTime() - 60_000);
    const hash = sha256(token);
    const { rows } = await sql<Pick<ApiKeysTable, 'id' | 'kind' | 'prefix' | 'scopes' | 'organisation_id' | 'account_id' | 'rate_count' | 'rate_window_start'>>`
      update api_keys set
        last_used_at = ${now},
        last_used_ip = ${ctx.ip},
        rate_count = case when rate_window_start is null or rate_window_start <= ${windowStart} then 1 else rate_count + 1 end,
        rate_window_start = case when rate_window_start is null or rate_window_start <= ${windowStart} then ${now} else rate_window_start end
      where token_hash = ${hash} and revoked_at is null and (expires_at is null or expires_at > ${now})
        -- This bookkeeping commits without waiting for its write-ahead log to reach the disk: a
        -- crash may forget the last fraction of a second of counts, never a change (decision 14).
        and (select set_config('synchronous_commit', 'off', true)) is not null
      returning id, kind, prefix, scopes, organisation_id, account_id, rate_count, rate_window_start`.execute(db);
    const key = rows[0];
    if (!key) {
      const known = await db.selectFrom('api_keys').select(['revoked_at', 'expires_at']).where('token_hash', '=', hash).executeTakeFirst();
      if (known?.revoked_at) throw new UnauthenticatedError('api_key_revoked', 'This API key was revoked. Ask for a new one.', { rule: 'R-INT-3' });
      if (known) throw new UnauthenticatedError('api_key_expired', 'This API key has expired. Make a new one.', { rule: 'R-INT-3' });
      throw new UnauthenticatedError('unauthenticated', NOT_VALID);
    }
    const account = await actorAccount(db, key.account_id);
    if (!account) throw new UnauthenticatedError('unauthenticated', NOT_VALID);
    const actor: Actor = {
      accountId: key.account_id,
      sessionId: null,
      email: account.email,
      name: account.name,
      isOperator: account.is_operator,
      emailVerified: account.email_verified_at !== null,
      // A key is no ambient credential: nothing to protect with a CSRF token.
      csrfToken: '',
    };
    const apiKey: ApiKeyCaller = { keyId: key.id, prefix: key.prefix, kind: key.kind, scopes: key.scopes, organisationId: key.organisation_id };
    const caller: ResolvedKey = { actor, apiKey };
    onCaller(caller);
    if (Number(key.rate_count) > perMinute) {
      const windowEnds = new Date(key.rate_window_start!).getTime() + 60_000;
      throw new RateLimitedError(Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)));
    }
    if (key.kind === 'organisation') {
      // An organisation key reads the console as far as its creator still may (owner or Users admin).
      caller.org = await resolveOrgContext(db, actor, key.organisation_id!, 'users').catch((err: unknown) => {
        if (err instanceof NotFoundError) throw new ForbiddenError('api_key_owner_left', 'The person who made this key is no longer in the organisation. Make a new key.', { rule: 'R-INT-3' });
        throw err;
      });
    } else if (key.organisation_id) {
      await requireWorkingIn(db, key.account_id, key.organisation_id, now);
    } else {
      await requireWorkingLicence(db, key.account_id, now);
    }
    if (!key.scopes.includes(scope)) {
      throw new ForbiddenError('api_key_scope', `This API key may not do this: it needs the "${scope}" scope.`, { rule: 'R-INT-3', scope });
    }
    return caller;
  };
}
