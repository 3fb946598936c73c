import { describe, expect, it } from 'vitest';
import { PasswordHasher, passwordProblem } from './passwords.ts';
import { emailSchema, passwordSchema, phoneSchema } from './schemas.ts';

describe('password rules (R-ACC-2)', () => {
  it('needs 12 to 256 characters', () => {
    expect(passwordSchema.safeParse('a'.repeat(11)).success).toBe(false);
    expect(passwordSchema.safeParse('abcdefghijkl').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(128)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });

  it('refuses common, repetitive and personal passwords', () => {
    expect(passwordProblem('password1234', {})?.code).toBe('password_common');
    expect(passwordProblem('qwertyuiop123', {})?.code).toBe('password_common');
    expect(passwordProblem('aaaaaaaaaaaaaaab', {})?.code).toBe('password_repetitive');
    expect(passwordProblem('jane.doe-rocks-2026', { email: 'jane.doe@example.org' })?.code).toBe('password_personal');
    expect(passwordProblem('Jane Doe physio 2026', { name: 'Jane Doe' })?.code).toBe('password_personal');
    expect(passwordProblem('correct horse battery staple', { email: 'jane@example.org', name: 'Jane Doe' })).toBeNull();
  });

  it('hashes with argon2id and verifies; a missing account never verifies', async () => {
    const hasher = new PasswordHasher({ memoryKiB: 19456, timeCost: 2 });
    const h = await hasher.hash('correct horse battery staple');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(h, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(h, 'correct horse battery stapler')).toBe(false);
    expect(await hasher.verify(null, 'decoy password that matches nothing')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
  });
});

describe('account fields (R-ACC-1)', () => {
  it('normalises emails: trimmed, lower case', () => {
    expect(emailSchema.parse('  Ann.Smith@Example.ORG ')).toBe('ann.smith@example.org');
    expect(emailSchema.safeParse('not-an-email').success).toBe(false);
  });

  it('takes phone numbers in international format only', () => {
    expect(phoneSchema.parse('+44 20 7946 0958')).toBe('+442079460958');
    expect(phoneSchema.parse('+1 (415) 555-0100')).toBe('+14155550100');
    expect(phoneSchema.safeParse('020 7946 0958').success).toBe(false);
    expect(phoneSchema.safeParse('+0123456789').success).toBe(false);
  });
});
