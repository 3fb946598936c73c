import { describe, expect, it } from 'vitest';
import { canonicalJson, chainFor, GENESIS_HASH, recordHash, type ChainedFields } from './chain.ts';

const base: ChainedFields = {
  chain: 'account:1',
  chainSeq: 1,
  at: new Date('2026-05-15T10:00:00.123Z'),
  accountId: '1',
  sessionId: null,
  organisationId: null,
  action: 'account.sign_in',
  targetType: 'session',
  targetId: 's1',
  outcome: 'success',
  ip: '127.0.0.1',
  userAgent: 'ua',
  requestId: 'r1',
  details: { b: 1, a: { d: [1, 2], c: 'x' } },
  prevHash: GENESIS_HASH,
};

describe('audit chain hashing (R-AUD-3)', () => {
  it('ignores key order, as jsonb reorders keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }));
    expect(recordHash(base)).toBe(recordHash({ ...base, details: { a: { c: 'x', d: [1, 2] }, b: 1 } }));
  });

  it('changes when any covered field changes', () => {
    const h = recordHash(base);
    const variants: Partial<ChainedFields>[] = [
      { chain: 'account:2' },
      { chainSeq: 2 },
      { at: new Date('2026-05-15T10:00:00.124Z') },
      { accountId: '2' },
      { sessionId: 's' },
      { organisationId: 'o' },
      { action: 'account.sign_out' },
      { targetType: 'account' },
      { targetId: 's2' },
      { outcome: 'failure' },
      { ip: '127.0.0.2' },
      { userAgent: 'other' },
      { requestId: 'r2' },
      { details: { b: 2, a: { d: [1, 2], c: 'x' } } },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(recordHash({ ...base, ...v }), JSON.stringify(v)).not.toBe(h);
  });

  it('chains per organisation, else per account, else the system chain', () => {
    expect(chainFor({ organisationId: 'o', accountId: 'a' })).toBe('org:o');
    expect(chainFor({ organisationId: null, accountId: 'a' })).toBe('account:a');
    expect(chainFor({ organisationId: null, accountId: null })).toBe('system');
  });
});
