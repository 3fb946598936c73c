import { describe, expect, it } from 'vitest';
import { isPhone, isWebsite, normalisePhone, normaliseWebsite, passwordProblem, profileSchema } from './schemas.ts';

describe('passwordProblem', () => {
  it('mirrors the server rules', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem('abababababab')).toMatch(/different characters/);
    expect(passwordProblem('my jordan.lee secret', { email: 'jordan.lee@example.org' })).toMatch(/email/);
    expect(passwordProblem('hello jordanlee 2024', { name: 'Jordan Lee' })).toMatch(/name/);
    expect(passwordProblem('quiet harbour window seven', { email: 'jordan.lee@example.org', name: 'Jordan Lee' })).toBeNull();
  });
});

describe('phone and website', () => {
  it('accepts international numbers as people type them', () => {
    expect(normalisePhone('+44 (20) 7946-0958')).toBe('+442079460958');
    expect(isPhone('+44 20 7946 0958')).toBe(true);
    expect(isPhone('020 7946 0958')).toBe(false);
  });

  it('adds https:// to a bare web address', () => {
    expect(normaliseWebsite('riverside.example')).toBe('https://riverside.example');
    expect(normaliseWebsite('http://riverside.example')).toBe('http://riverside.example');
    expect(isWebsite('riverside.example')).toBe(true);
    expect(isWebsite('not a site')).toBe(false);
  });
});

describe('profileSchema', () => {
  it('names the field of each problem', () => {
    const result = profileSchema.safeParse({
      name: '',
      profession: '',
      phone: '12',
      practice: { name: '', address: '', phone: '', email: 'nope', website: '' },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['name', 'phone', 'practice.email']);
  });
});
