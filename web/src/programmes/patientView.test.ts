import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api.ts';
import { codeProblem, normaliseCode, refusalOf, sentenceCase, yearProblem } from './patientView.ts';

describe("the patient's form", () => {
  it('accepts the code however it was typed', () => {
    expect(normaliseCode(' KMPQ rstv ')).toBe('kmpqrstv');
    expect(normaliseCode('kmpq-rstv')).toBe('kmpqrstv');
    expect(codeProblem('KMPQ RSTV')).toBeNull();
  });

  it('says what is wrong with the code and the year', () => {
    expect(codeProblem('')).toBe('Enter the code from your practitioner.');
    expect(codeProblem('abc123de')).toBe('The programme code is 8 letters.');
    expect(yearProblem('')).toBe('Enter your year of birth.');
    expect(yearProblem('61')).toBe('Enter the year with four digits, like 1961.');
    expect(yearProblem(' 1961 ')).toBeNull();
  });

  it('tells a wrong code from too many attempts, with the wait', () => {
    expect(refusalOf(new ApiError(404, 'not_found', 'No such programme.'))).toEqual({ kind: 'not_found' });
    expect(refusalOf(new ApiError(429, 'rate_limited', 'Too many', { retryAfterSeconds: 125 }))).toEqual({ kind: 'throttled', wait: '3 minutes' });
    expect(refusalOf(new ApiError(429, 'rate_limited', 'Too many'))).toEqual({ kind: 'throttled', wait: 'a little while' });
    expect(refusalOf(new ApiError(0, 'network_error', 'Offline'))).toEqual({ kind: 'other', message: 'Offline' });
  });

  it('starts a sentence with a capital', () => {
    expect(sentenceCase('twice a day')).toBe('Twice a day');
  });
});
