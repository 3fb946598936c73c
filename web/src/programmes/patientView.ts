/** Plain helpers of the patient's programme page (R-PRG-2): what they type, and why it was refused. */
import { errorMessage, isApiError } from '../app/api.ts';
import { describeWait } from '../app/format.ts';

/** What the patient typed, cleaned: "ABCD efgh" → "abcdefgh". */
export function normaliseCode(value: string): string {
  return value.replace(/[\s-]/g, '').toLowerCase();
}

export function codeProblem(value: string): string | null {
  const code = normaliseCode(value);
  if (code === '') return 'Enter the code from your practitioner.';
  return /^[a-z]{8}$/.test(code) ? null : 'The programme code is 8 letters.';
}

export function yearProblem(value: string): string | null {
  const year = value.trim();
  if (year === '') return 'Enter your year of birth.';
  return /^\d{4}$/.test(year) && Number(year) >= 1900 ? null : 'Enter the year with four digits, like 1961.';
}

export type Refusal = { kind: 'not_found' } | { kind: 'throttled'; wait: string } | { kind: 'other'; message: string };

export function refusalOf(error: unknown): Refusal {
  if (isApiError(error) && error.status === 404) return { kind: 'not_found' };
  if (isApiError(error) && error.status === 429) {
    const details = error.details as { retryAfterSeconds?: unknown } | undefined;
    return { kind: 'throttled', wait: describeWait(details?.retryAfterSeconds) };
  }
  return { kind: 'other', message: errorMessage(error) };
}

/** "twice a day" → "Twice a day". */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
