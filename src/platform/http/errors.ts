import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError, ValidationError } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/**
 * An interface under its own path that answers errors in its own form, with the same statuses,
 * codes and messages (the FHIR interface answers an OperationOutcome, R-INT-5).
 */
export interface ErrorFormat {
  /** A path prefix such as "/fhir": that path and everything under it. */
  prefix: string;
  contentType: string;
  headers?: Readonly<Record<string, string>>;
  body(error: { status: number; code: string; message: string; details?: unknown; requestId: string }): unknown;
}

const errorFormats: ErrorFormat[] = [];

/** Errors under `format.prefix` are answered in that form (registered once per prefix, for every app of the process). */
export function answerErrorsAs(format: ErrorFormat): void {
  const i = errorFormats.findIndex((f) => f.prefix === format.prefix);
  if (i >= 0) errorFormats[i] = format;
  else errorFormats.push(format);
}

function send(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const path = reply.request.url.split('?')[0] ?? '';
  const format = errorFormats.find((f) => path === f.prefix || path.startsWith(`${f.prefix}/`));
  if (format) {
    const body = format.body({ status, code, message, ...(details === undefined ? {} : { details }), requestId: reply.request.id });
    return reply.status(status).headers({ ...format.headers }).type(format.contentType).send(JSON.stringify(body));
  }
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) }, requestId: reply.request.id };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own 4xx errors, named for people and programs alike. */
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'The request body is empty but JSON was announced.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'This content type is not accepted here.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'The content length does not match the body.'],
  FST_REQ_FILE_TOO_LARGE: [413, 'payload_too_large', 'The file is too large.'],
  FST_FILES_LIMIT: [413, 'payload_too_large', 'Too many files.'],
  FST_PARTS_LIMIT: [413, 'payload_too_large', 'Too many parts.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'unsupported_media_type', 'Expected multipart/form-data.'],
};

/** PostgreSQL errors that mean "the rules refuse this", never "the server broke". */
function databaseRefusal(err: { code?: string; constraint?: string }): [number, string, string] | null {
  switch (err.code) {
    case '23505':
      return [409, 'conflict', `This would duplicate an existing record (${err.constraint ?? 'unique'}).`];
    case '23503':
      return [409, 'conflict', `A related record is missing or still in use (${err.constraint ?? 'reference'}).`];
    case '23514':
      return [409, 'conflict', `The change breaks the rule ${err.constraint ?? 'check'}.`];
    case '22001':
      return [400, 'value_too_long', 'A value is too long.'];
    case '22P02':
    case '22007':
    case '22008':
      return [400, 'invalid_value', 'A value is not of the expected form.'];
    default:
      return null;
  }
}

/**
 * Errors the router raises before any route or hook runs (a broken percent-encoding, a path
 * parameter over the router's length limit): answered in the same shape as every other error.
 */
export function frameworkErrorHandler(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') void send(reply, 400, 'invalid_url', 'The address is not valid (broken percent-encoding).');
  else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') void send(reply, 400, 'invalid_url', 'A part of the address is too long.');
  else void send(reply, 500, 'internal_error', 'Something went wrong on our side. Please try again in a moment.');
}

export type DeniedListener = (request: FastifyRequest, error: AppError) => Promise<void>;

export function installErrorHandling(app: FastifyInstance, onDenied?: DeniedListener): void {
  app.setErrorHandler(async (err: FastifyError & { validation?: unknown }, request, reply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof AppError) {
      // Refusals are recorded (R-AUD-1); so is every refused request made with an API key, whatever
      // the reason (R-INT-3: every request made with a key is recorded against it).
      if (onDenied && (err.status === 403 || (request.ctx?.apiKey && (err.status === 402 || err.status === 429)))) {
        await onDenied(request, err).catch((e: unknown) => request.log.error({ err: e }, 'could not record a denied attempt'));
      }
      return send(reply, err.status, err.code, err.message, err.details);
    }
    if (err.validation) {
      return send(reply, 400, 'validation_failed', err.message, err.validation);
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return send(reply, known[0], known[1], known[2]);
    const db = databaseRefusal(err as { code?: string; constraint?: string });
    if (db) {
      request.log.warn({ err }, 'database refused a change');
      return send(reply, db[0], db[1], db[2], { constraint: (err as { constraint?: string }).constraint });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, err.statusCode, 'invalid_request', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, 500, 'internal_error', 'Something went wrong on our side. Please try again in a moment.');
  });

  app.setNotFoundHandler((request, reply) => send(reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
}

export { ValidationError };
