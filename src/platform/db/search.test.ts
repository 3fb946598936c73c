import { describe, expect, it } from 'vitest';
import { containsPattern } from './search.ts';

describe('containsPattern', () => {
  it('escapes the LIKE wildcards and lower-cases the search', () => {
    expect(containsPattern('Ann')).toBe('%ann%');
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
