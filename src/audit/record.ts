import { sql } from 'kysely';
import type { Tx } from '../platform/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import { chainFor, GENESIS_HASH, recordHash } from './chain.ts';
import type { AuditActor, AuditEvent, AuditOutcome } from './events.ts';

/**
 * Appends one record to the audit trail inside the caller's transaction (R-AUD-2): the change and
 * its record commit together or not at all. The chain head row is locked until commit, which
 * orders the records of one chain.
 */
export async function recordAudit(
  tx: Tx,
  clock: Clock,
  actor: AuditActor,
  event: AuditEvent,
  outcome: AuditOutcome = 'success',
): Promise<void> {
  const chain = chainFor(actor);
  const head = await sql<{ seq: number; hash: string }>`
    insert into audit_chain_heads (chain, seq, hash) values (${chain}, 0, ${GENESIS_HASH})
    on conflict (chain) do update set seq = audit_chain_heads.seq
    returning seq, hash`.execute(tx);
  const prev = head.rows[0]!;
  const chainSeq = Number(prev.seq) + 1;
  const at = clock.now();
  const details = ('details' in event ? event.details : undefined) ?? {};
  const targetType = 'targetType' in event ? event.targetType : null;
  const targetId = 'targetId' in event ? event.targetId : null;
  const fields = {
    chain,
    chainSeq,
    at,
    accountId: actor.accountId,
    sessionId: actor.sessionId,
    organisationId: actor.organisationId,
    action: event.action,
    targetType,
    targetId,
    outcome,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
    details,
    prevHash: prev.hash,
  };
  const hash = recordHash(fields);
  await tx
    .insertInto('audit_log')
    .values({
      chain,
      chain_seq: chainSeq,
      at,
      account_id: actor.accountId,
      session_id: actor.sessionId,
      organisation_id: actor.organisationId,
      action: event.action,
      target_type: targetType,
      target_id: targetId,
      outcome,
      ip: actor.ip,
      user_agent: actor.userAgent,
      request_id: actor.requestId,
      details: JSON.stringify(details),
      prev_hash: prev.hash,
      hash,
    })
    .execute();
  await tx.updateTable('audit_chain_heads').set({ seq: chainSeq, hash }).where('chain', '=', chain).execute();
}
