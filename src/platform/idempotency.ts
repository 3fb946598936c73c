import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { canonicalJson } from '../audit/chain.ts';
import { sha256Hex } from './crypto.ts';
import type { Clock } from './clock.ts';
import { inTransaction, type Db, type Tx } from './db/database.ts';
import { UnprocessableError, ValidationError } from './errors.ts';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Stored answers are kept at least this long (R-LIC-8 asks for 24 hours). */
const KEEP_MS = 48 * 60 * 60 * 1000;

/** Sends an idempotent result, telling a replay apart with the `idempotent-replayed` header. */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>) {
  return reply.status(result.status).header('idempotent-replayed', String(result.replayed)).send(result.body);
}

/** The request's Idempotency-Key header (R-LIC-8), checked by `idempotent` where it is used. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
}

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,200}$/.test(key)) {
    throw ValidationError.field('headers.idempotency-key', 'invalid_format', 'Use 8 to 200 letters, digits, and _ . : -');
  }
  return key;
}

/**
 * R-LIC-8: runs `work` in one transaction together with the record of its answer. A repeat with the
 * same key and body returns the first answer without running again; the same key with another body
 * is refused (422). A concurrent repeat waits on the key's unique index until the first commits.
 * Failures are not stored: the transaction, key included, rolls back, so a retry runs again.
 */
export async function idempotent<T>(
  db: Db,
  clock: Clock,
  opts: { accountId: string; key: string | undefined; scope: string; request: unknown },
  work: (tx: Tx) => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const key = checkIdempotencyKey(opts.key);
  if (!key) {
    const r = await inTransaction(db, work);
    return { ...r, replayed: false };
  }
  const requestHash = sha256Hex(canonicalJson({ scope: opts.scope, request: opts.request }));
  return inTransaction(db, async (tx) => {
    const now = clock.now();
    const claimed = await sql<{ key: string }>`
      insert into idempotency_keys (account_id, key, scope, request_hash, status_code, response, created_at)
      values (${opts.accountId}, ${key}, ${opts.scope}, ${requestHash}, 0, 'null'::jsonb, ${now})
      on conflict (account_id, key) do nothing
      returning key`.execute(tx);
    if (claimed.rows.length === 0) {
      const stored = await tx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status_code', 'response', 'created_at'])
        .where('account_id', '=', opts.accountId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (stored.request_hash !== requestHash) {
        throw new UnprocessableError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request.', { rule: 'R-LIC-8' });
      }
      return { status: stored.status_code, body: stored.response as T, replayed: true };
    }
    const result = await work(tx);
    await tx
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body ?? null) })
      .where('account_id', '=', opts.accountId)
      .where('key', '=', key)
      .execute();
    await tx
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', opts.accountId)
      .where('created_at', '<', new Date(now.getTime() - KEEP_MS))
      .execute();
    return { ...result, replayed: false };
  });
}
