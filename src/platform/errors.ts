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

export class ValidationError extends AppError {
  readonly status = 400;
  constructor(issues: FieldIssue[], message = describeIssues(issues)) {
    super('validation_failed', message, issues);
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
  constructor(retryAfterSeconds: number) {
    super('rate_limited', 'Too many attempts. Please wait a little and try again.', { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function describeIssues(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'The request is not valid.';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${first.path}: ${first.message}${more}`;
}
