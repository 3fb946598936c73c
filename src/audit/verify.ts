import type { Db } from '../platform/db/database.ts';
import { GENESIS_HASH, recordHash } from './chain.ts';

export interface BrokenLink {
  id: number;
  chain: string;
  chainSeq: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';
}

export interface VerifyReport {
  ok: boolean;
  recordsChecked: number;
  chainsChecked: number;
  /** The earliest broken record (by id) over all chains, if any. */
  firstBroken: BrokenLink | null;
  broken: BrokenLink[];
}

const BATCH = 5000;

/**
 * Walks every chain in order and recomputes each record's hash (R-AUD-3). Reports, per chain, the
 * first record whose content, link or sequence no longer matches, and a chain whose recorded head
 * does not match its last record (records removed from the end).
 */
export async function verifyAuditChain(db: Db): Promise<VerifyReport> {
  const broken: BrokenLink[] = [];
  const heads = new Map((await db.selectFrom('audit_chain_heads').selectAll().execute()).map((h) => [h.chain, h]));
  let recordsChecked = 0;
  let cursor: { chain: string; seq: number } | null = null;
  let current: { chain: string; seq: number; hash: string; lastId: number; broken: boolean } | null = null;
  const seen = new Set<string>();

  const finishChain = () => {
    if (!current) return;
    const head = heads.get(current.chain);
    if (!current.broken && head && (Number(head.seq) !== current.seq || head.hash !== current.hash)) {
      broken.push({ id: current.lastId, chain: current.chain, chainSeq: current.seq, reason: 'head_mismatch' });
    }
  };

  for (;;) {
    let q = db.selectFrom('audit_log').selectAll().orderBy('chain').orderBy('chain_seq').limit(BATCH);
    if (cursor) {
      const c: { chain: string; seq: number } = cursor;
      q = q.where((eb) =>
        eb.or([eb('chain', '>', c.chain), eb.and([eb('chain', '=', c.chain), eb('chain_seq', '>', c.seq)])]),
      );
    }
    const rows = await q.execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      recordsChecked++;
      const seq = Number(r.chain_seq);
      if (!current || current.chain !== r.chain) {
        finishChain();
        seen.add(r.chain);
        current = { chain: r.chain, seq: 0, hash: GENESIS_HASH, lastId: r.id, broken: false };
      }
      if (!current.broken) {
        let reason: BrokenLink['reason'] | null = null;
        if (seq !== current.seq + 1) reason = 'sequence_gap';
        else if (r.prev_hash !== current.hash) reason = 'prev_hash_mismatch';
        else {
          const expected = recordHash({
            chain: r.chain,
            chainSeq: seq,
            at: r.at,
            accountId: r.account_id,
            sessionId: r.session_id,
            organisationId: r.organisation_id,
            action: r.action,
            targetType: r.target_type,
            targetId: r.target_id,
            outcome: r.outcome,
            ip: r.ip,
            userAgent: r.user_agent,
            requestId: r.request_id,
            details: r.details,
            prevHash: r.prev_hash,
            apiKeyId: r.api_key_id,
          });
          if (expected !== r.hash) reason = 'hash_mismatch';
        }
        if (reason) {
          broken.push({ id: r.id, chain: r.chain, chainSeq: seq, reason });
          current.broken = true;
        }
      }
      current.seq = seq;
      current.hash = r.hash;
      current.lastId = r.id;
    }
    const last = rows[rows.length - 1]!;
    cursor = { chain: last.chain, seq: Number(last.chain_seq) };
  }
  finishChain();
  // A head whose chain has no records at all: every record of that chain was removed.
  for (const [chain, head] of heads) {
    if (!seen.has(chain) && Number(head.seq) > 0) {
      broken.push({ id: 0, chain, chainSeq: 1, reason: 'sequence_gap' });
    }
  }
  broken.sort((a, b) => a.id - b.id);
  return {
    ok: broken.length === 0,
    recordsChecked,
    chainsChecked: seen.size,
    firstBroken: broken[0] ?? null,
    broken,
  };
}
