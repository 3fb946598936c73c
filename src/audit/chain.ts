import { sha256Hex } from '../platform/crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record's hash covers: everything it says, plus the hash of the record before it. */
export interface ChainedFields {
  chain: string;
  chainSeq: number;
  at: Date;
  accountId: string | null;
  sessionId: string | null;
  organisationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
  /** R-INT-3: the API key of the request; covered by the hash only when there is one. */
  apiKeyId?: string | null;
}

/** JSON with object keys sorted at every depth, so that jsonb's own key order cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function recordHash(f: ChainedFields): string {
  // Records made before API keys existed have no key: their field list, and so their hash, is unchanged.
  const keyed = f.apiKeyId ? [f.apiKeyId] : [];
  return sha256Hex(
    canonicalJson([
      f.chain,
      f.chainSeq,
      f.at.toISOString(),
      f.accountId,
      f.sessionId,
      f.organisationId,
      f.action,
      f.targetType,
      f.targetId,
      f.outcome,
      f.ip,
      f.userAgent,
      f.requestId,
      f.details ?? {},
      f.prevHash,
      ...keyed,
    ]),
  );
}

/** Records are chained per tenant, so that tenants do not queue behind one another's writes. */
export function chainFor(actor: { organisationId: string | null; accountId: string | null }): string {
  if (actor.organisationId) return `org:${actor.organisationId}`;
  if (actor.accountId) return `account:${actor.accountId}`;
  return 'system';
}
