import { sql } from 'kysely';
import type { Tx } from '../platform/db/database.ts';
import type { Clock } from '../platform/clock.ts';
import { chainFor, GENESIS_HASH, recordHash } from './chain.ts';
import type { AuditActor, AuditEvent, AuditOutcome } from './events.ts';

/**
 * Which requests have written an audit record so far: the route layer opens a watch for each write
 * it runs and checks, once the handler returns, that the change left its record (R-AUD-1). Only
 * watched request ids are counted, so work outside HTTP (jobs, the operator tool) leaves nothing here.
 */
const watched = new Map<string, number>();
type WriteObserver = (route: string, audited: boolean) => void;
const observers: WriteObserver[] = [];
export const auditWatch = {
  begin(requestId: string): void {
    watched.set(requestId, 0);
  },
  /** Records written for the request since `begin`. */
  count(requestId: string): number {
    return watched.get(requestId) ?? 0;
  },
  end(requestId: string): void {
    watched.delete(requestId);
  },
  /** Hears every successful write a route made ("POST /api/patients") and whether it left a record: the audit write walk collects these. */
  observe(observer: WriteObserver): void {
    observers.push(observer);
  },
  wrote(route: string, audited: boolean): void {
    for (const o of observers) o(route, audited);
  },
};

export interface AuditEntry {
  actor: AuditActor;
  event: AuditEvent;
  outcome?: AuditOutcome;
}

/**
 * Appends one record to the audit trail inside the caller's transaction (R-AUD-2): the change and
 * its record commit together or not at all.
 */
export async function recordAudit(tx: Tx, clock: Clock, actor: AuditActor, event: AuditEvent, outcome: AuditOutcome = 'success'): Promise<void> {
  await recordAudits(tx, clock, [{ actor, event, outcome }]);
}

/**
 * Appends several records in order, in the caller's transaction. Each chain's head row is locked
 * until commit, which orders the records of one chain; a chain's records are written with one
 * insert and one head update.
 */
export async function recordAudits(tx: Tx, clock: Clock, entries: AuditEntry[]): Promise<void> {
  const byChain = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const seen = e.actor.requestId === null ? undefined : watched.get(e.actor.requestId);
    if (seen !== undefined) watched.set(e.actor.requestId!, seen + 1);
    const chain = chainFor(e.actor);
    const list = byChain.get(chain);
    if (list) list.push(e);
    else byChain.set(chain, [e]);
  }
  for (const [chain, list] of byChain) {
    const head = await sql<{ seq: number; hash: string }>`
      insert into audit_chain_heads (chain, seq, hash) values (${chain}, 0, ${GENESIS_HASH})
      on conflict (chain) do update set seq = audit_chain_heads.seq
      returning seq, hash`.execute(tx);
    let seq = Number(head.rows[0]!.seq);
    let prevHash = head.rows[0]!.hash;
    const at = clock.now();
    const rows = list.map(({ actor, event, outcome = 'success' }) => {
      seq += 1;
      const details = ('details' in event ? event.details : undefined) ?? {};
      const targetType = 'targetType' in event ? event.targetType : null;
      const targetId = 'targetId' in event ? event.targetId : null;
      const hash = recordHash({
        chain,
        chainSeq: seq,
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
        prevHash,
        apiKeyId: actor.apiKeyId ?? null,
      });
      const row = {
        chain,
        chain_seq: seq,
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
        api_key_id: actor.apiKeyId ?? null,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    // 17 values a row: batches stay well under PostgreSQL's 65,535 parameters per statement.
    for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('audit_log').values(rows.slice(i, i + 1000)).execute();
    await tx.updateTable('audit_chain_heads').set({ seq, hash: prevHash }).where('chain', '=', chain).execute();
  }
}
