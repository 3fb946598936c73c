/**
 * Errors of the FHIR interface as OperationOutcome resources (R-INT-5): the statuses and messages
 * of the app's one error handler, in the form a FHIR client reads. Motus's own error code travels
 * as a coding, so that a program can tell "api_key_expired" from "api_key_revoked".
 */
import type { FieldIssue } from '../platform/errors.ts';

export const ERROR_CODE_SYSTEM = 'urn:motus:error';

/** The FHIR issue type of an HTTP status (and of Motus's code where it says more). */
export function issueType(status: number, code: string): string {
  if (status === 400) return code === 'validation_failed' || code.startsWith('invalid') ? 'invalid' : 'processing';
  if (status === 401) return code.endsWith('_expired') ? 'expired' : 'login';
  if (status === 402) return 'business-rule';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-long';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'exception';
  return 'processing';
}

function isFieldIssues(details: unknown): details is FieldIssue[] {
  return Array.isArray(details) && details.every((d) => d && typeof d === 'object' && typeof (d as FieldIssue).path === 'string' && typeof (d as FieldIssue).message === 'string');
}

/** An id FHIR accepts ([A-Za-z0-9-.]{1,64}): a request id is a UUID, anything else is left out. */
function fhirId(value: string): string | undefined {
  return /^[A-Za-z0-9.-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * One issue per field that broke a rule (an unknown search parameter is "not supported"), each
 * diagnostics starting with the field's path ("query._count: …"), or one issue for the whole
 * refusal; its id is the request's id, which the server's log also names.
 */
export function operationOutcome(e: { status: number; code: string; message: string; details?: unknown; requestId: string }): Record<string, unknown> {
  const coding = (code: string) => ({ coding: [{ system: ERROR_CODE_SYSTEM, code }] });
  const issues = isFieldIssues(e.details) && e.details.length > 0
    ? e.details.slice(0, 50).map((d) => ({
        severity: 'error',
        code: d.code === 'unknown_field' ? 'not-supported' : issueType(e.status, e.code),
        details: { ...coding(e.code), text: d.message },
        diagnostics: `${d.path}: ${d.code === 'unknown_field' ? 'this search parameter is not supported here' : d.message}`,
      }))
    : [{ severity: 'error', code: issueType(e.status, e.code), details: { ...coding(e.code), text: e.message }, diagnostics: e.message }];
  const id = fhirId(e.requestId);
  return { resourceType: 'OperationOutcome', ...(id ? { id } : {}), issue: issues };
}
