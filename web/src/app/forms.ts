import { ApiError } from './api.ts';

/**
 * Puts the server's field messages beside the matching inputs. Returns the message to show above
 * the form for whatever could not be placed on a field (or null when every issue found its field).
 */
export function applyServerErrors(
  form: { setErrors: (errors: Record<string, string>) => void },
  error: unknown,
  fields: readonly string[],
): string | null {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const fieldErrors = error.fieldErrors();
  const placed: Record<string, string> = {};
  let unplaced = false;
  for (const [path, message] of Object.entries(fieldErrors)) {
    if (fields.includes(path)) placed[path] = message;
    else unplaced = true;
  }
  if (Object.keys(placed).length > 0) {
    form.setErrors(placed);
    return unplaced ? error.message : null;
  }
  return error.message;
}

/** Trims text and turns an empty answer into null (which clears an optional field on the server). */
export function emptyToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Makes `next` safe to navigate to: only paths inside this app. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in') || next.startsWith('/session-replaced')) return fallback;
  return next;
}
