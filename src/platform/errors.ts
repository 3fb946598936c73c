/**
 * The error classes services throw. One handler (platform/http/errors.ts) maps them to HTTP with
 * one body shape: { error: { code, message, details? }, requestId }.
 */
export interface FieldIssue {
  /** Where the problem is, e.g. "body.practice.phone". */
  path: string;
  code: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | FieldIssue[] | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown> | FieldIssue[]) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/**
 * At most this many problems are listed in one answer; the rest are counted in a last entry, so
 * that a body with thousands of faults gets a short answer, not one that lists each (SPEC §12).
 */
export const MAX_REPORTED_ISSUES = 20;

export class ValidationError extends AppError {
  readonly status = 400;
  /** `total`: how many problems were found, when more were found than `issues` holds. */
  constructor(issues: FieldIssue[], message?: string, total = issues.length) {
    const listed = issues.slice(0, MAX_REPORTED_ISSUES);
    const unlisted = Math.max(total, issues.length) - listed.length;
    super('validation_failed', message ?? describeIssues(listed, unlisted), unlisted > 0 ? [...listed, unlistedIssues(listed, unlisted)] : listed);
  }
  static field(path: string, code: string, message: string): ValidationError {
    return new ValidationError([{ path, code, message }]);
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(code = 'forbidden', message = 'You are not allowed to do this.', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(what = 'resource') {
    super('not_found', `No such ${what}.`);
  }
}

/** A rule of SPEC.md refuses the change; `rule` names it (e.g. "R-LIC-3"). */
export class ConflictError extends AppError {
  readonly status = 409;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class PaymentRequiredError extends AppError {
  readonly status = 402;
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  constructor(message: string) {
    super('unsupported_media_type', message);
  }
}

export class UnprocessableError extends AppError {
  readonly status = 422;
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly retryAfterSeconds: number;
  /** `message` and `code` name what the caller waits for, where a limit is not about attempts. */
  constructor(retryAfterSeconds: number, message = 'Too many attempts. Please wait a little and try again.', code = 'rate_limited', details: Record<string, unknown> = {}) {
    super(code, message, { ...details, retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function describeIssues(listed: FieldIssue[], unlisted: number): string {
  const first = listed[0];
  if (!first) return 'The request is not valid.';
  const others = listed.length - 1 + unlisted;
  const more = others > 0 ? ` (and ${others.toLocaleString('en')} more)` : '';
  return `${first.path}: ${first.message}${more}`;
}

/** The entry that stands for the problems not listed, at the part of the request they are in. */
function unlistedIssues(listed: FieldIssue[], unlisted: number): FieldIssue & { count: number } {
  const part = listed[listed.length - 1]?.path.split('.')[0] || 'body';
  const what = unlisted === 1 ? 'problem is' : 'problems are';
  return { path: part, code: 'more_issues', message: `${unlisted.toLocaleString('en')} more ${what} not listed.`, count: unlisted };
}
