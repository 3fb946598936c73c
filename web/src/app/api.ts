/**
 * The one way the web app talks to the server. Every call goes through `api()`, which:
 * - sends JSON with `credentials: 'same-origin'`,
 * - adds the CSRF header to every non-GET request made while signed in,
 * - turns every error answer into an `ApiError` with the server's code, message and details,
 * - tells the session layer when the server says the session is over (replaced, expired, ended),
 * - tells the workspace layer when an organisation removed the person's access (403 access_removed),
 *   holds its practitioners back until an unpaid invoice is paid (402 payment_required), or when the
 *   person holds no licence that lets them work (402 subscription_required).
 */
import type { ZodType } from 'zod';
import { fillPath, type ClientInput, type Contract, type ContractResult } from '../../../src/platform/http/contract.ts';

export interface FieldIssue {
  path: string;
  code: string;
  message: string;
}

/** Codes with which the server refuses a request because the session is over. */
export const SESSION_END_CODES = ['session_replaced', 'session_expired', 'session_ended'] as const;
export type SessionEndCode = (typeof SESSION_END_CODES)[number];

export function isSessionEndCode(code: string): code is SessionEndCode {
  return (SESSION_END_CODES as readonly string[]).includes(code);
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId ?? null;
  }

  /** Field messages of a validation error, keyed by form path ("body.practice.phone" → "practice.phone"). */
  fieldErrors(): Record<string, string> {
    if (this.code !== 'validation_failed' || !Array.isArray(this.details)) return {};
    const errors: Record<string, string> = {};
    for (const issue of this.details as FieldIssue[]) {
      if (!issue || typeof issue.path !== 'string') continue;
      const field = issue.path.replace(/^(body|query|params)\.?/, '');
      if (field && !(field in errors)) errors[field] = issue.message;
    }
    return errors;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/**
 * Whether the error carries `code`, either as its own code or as the code of one of its field
 * issues (an expired link answers 400 validation_failed with an issue coded "token_invalid").
 */
export function hasErrorCode(error: unknown, code: string): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === code) return true;
  return Array.isArray(error.details) && (error.details as FieldIssue[]).some((issue) => issue?.code === code);
}

/** A message fit to show a person, whatever went wrong. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

/**
 * The session's CSRF token, kept in the tab's storage as well, so that a page reloaded after a newer
 * sign-in replaced its session still holds the one proof that "this wasn't me" needs (R-SES-3).
 * Any script of this origin can read the token from GET /api/session anyway; no other site can.
 */
const CSRF_STORAGE_KEY = 'motus.csrfToken';
let csrfToken: string | null = readStoredCsrfToken();

function readStoredCsrfToken(): string | null {
  try {
    return window.sessionStorage.getItem(CSRF_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  try {
    if (token) window.sessionStorage.setItem(CSRF_STORAGE_KEY, token);
    else window.sessionStorage.removeItem(CSRF_STORAGE_KEY);
  } catch {
    // Storage unavailable: the in-memory copy still serves this page.
  }
}

/** The CSRF token of the session this page last held, if any. */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

type SessionEndListener = (error: ApiError) => void;
let sessionEndListener: SessionEndListener | null = null;

/** The session layer registers here to hear about 401s that end the session. */
export function onSessionEnd(listener: SessionEndListener | null): void {
  sessionEndListener = listener;
}

/** The code with which an organisation refuses a person whose access it removed (R-PRA-4). */
export const ACCESS_REMOVED_CODE = 'access_removed';

/** Hears a refusal that stops the person's work, with the path of the request that was refused. */
export type RefusalListener = (error: ApiError, requestPath: string) => void;
let accessRemovedListener: RefusalListener | null = null;

/** The workspace layer registers here to hear about 403 access_removed from any request. */
export function onAccessRemoved(listener: RefusalListener | null): void {
  accessRemovedListener = listener;
}

/** The code with which an organisation with an unpaid invoice refuses its practitioners (R-LIC-7). */
export const PAYMENT_REQUIRED_CODE = 'payment_required';

let paymentRequiredListener: RefusalListener | null = null;

/** The workspace layer registers here to hear about 402 payment_required from any request (its path names the organisation). */
export function onPaymentRequired(listener: RefusalListener | null): void {
  paymentRequiredListener = listener;
}

/** The code with which practitioner routes refuse a person who holds no working licence (R-PRA-4, R-SUB-1). */
export const SUBSCRIPTION_REQUIRED_CODE = 'subscription_required';

let subscriptionRequiredListener: RefusalListener | null = null;

/** The workspace layer registers here to hear about 402 subscription_required from any request. */
export function onSubscriptionRequired(listener: RefusalListener | null): void {
  subscriptionRequiredListener = listener;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON body. */
  body?: unknown;
  /** A multipart body (file uploads); the browser sets the content type. */
  form?: FormData;
  signal?: AbortSignal;
  /** Send the CSRF header (default: whenever a token is known and the method is not GET). */
  csrf?: boolean;
  /**
   * Whether a session-ending 401 should be reported to the session layer (default true).
   * The session probe and public pages turn this off where they handle the answer themselves.
   */
  reportSessionEnd?: boolean;
  /** Let the request outlive the page (used to save a draft while the tab closes). */
  keepalive?: boolean;
  /** Extra request headers, such as `Idempotency-Key` on requests that buy or remove licences. */
  headers?: Record<string, string>;
  /**
   * A patient device's own token (R-PRG-2), sent as `Authorization: Bearer …`. Such a request sends
   * no cookie and no CSRF header, and its refusals are the patient page's to handle: the session and
   * workspace layers never hear of them.
   */
  bearer?: string;
}

export async function api<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const bearer = options.bearer;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const sendCsrf = !bearer && (options.csrf ?? method !== 'GET');
  if (sendCsrf && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: bearer ? 'omit' : 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', "Motus can't be reached. Check your connection and try again.");
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (response.ok) return payload as T;

  const error = toApiError(response.status, payload);
  if (bearer) throw error;
  if (
    response.status === 401 &&
    isSessionEndCode(error.code) &&
    options.reportSessionEnd !== false &&
    sessionEndListener
  ) {
    sessionEndListener(error);
  }
  if (response.status === 403 && error.code === ACCESS_REMOVED_CODE && accessRemovedListener) {
    accessRemovedListener(error, path);
  }
  if (response.status === 402 && error.code === PAYMENT_REQUIRED_CODE && paymentRequiredListener) {
    paymentRequiredListener(error, path);
  }
  if (response.status === 402 && error.code === SUBSCRIPTION_REQUIRED_CODE && subscriptionRequiredListener) {
    subscriptionRequiredListener(error, path);
  }
  throw error;
}

function toApiError(status: number, payload: unknown): ApiError {
  const envelope = payload as { error?: { code?: unknown; message?: unknown; details?: unknown }; requestId?: unknown };
  const err = envelope?.error;
  const requestId = typeof envelope?.requestId === 'string' ? envelope.requestId : null;
  if (err && typeof err.code === 'string') {
    const message = typeof err.message === 'string' && err.message ? err.message : fallbackMessage(status);
    return new ApiError(status, err.code, message, err.details, requestId);
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status), undefined, requestId);
}

function fallbackMessage(status: number): string {
  if (status === 413) return 'That file is too large.';
  if (status === 415) return 'That file type is not supported.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'Motus ran into a problem. Please try again in a moment.';
  return 'Something went wrong. Please try again.';
}

export type CallOptions = Omit<ApiOptions, 'method' | 'body' | 'form'>;

/**
 * Calls a route through its contract (src/<capability>/schemas.ts): the path, method, input and
 * answer types come from the server's own declaration, so the web app cannot drift from it.
 */
export function call<const C extends Contract>(contract: C, ...[input, options]: CallArgs<C>): Promise<ContractResult<C>> {
  const given = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; form?: FormData };
  let path = fillPath(contract.path, given.params);
  const search = queryString(given.query);
  if (search) path += `?${search}`;
  return api<ContractResult<C>>(path, { ...options, method: contract.method, body: given.body, form: given.form });
}

type NeedsInput<C extends Contract> = C['params'] extends ZodType ? true : C['body'] extends ZodType | 'multipart' ? true : false;
type CallArgs<C extends Contract> = NeedsInput<C> extends true ? [input: ClientInput<C>, options?: CallOptions] : [input?: ClientInput<C>, options?: CallOptions];

/** A query string of the defined, non-empty values, in the order given. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.set(key, String(value));
  }
  return params.toString();
}
