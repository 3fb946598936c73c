/**
 * One contract per endpoint: what a route takes and what it answers, declared once. The server
 * registers its routes from these (src/platform/http/route.ts), the OpenAPI description shows them,
 * and the web app's typed client (`call` in web/src/app/api.ts) calls them. This module holds no I/O and
 * imports nothing but zod, so the browser bundle can import it.
 */
import type { z, ZodType } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a member needs in an organisation: any membership, practitioner access, the owner, or one console section (R-ORG-3). */
export type OrgNeed = 'member' | 'practitioner' | 'owner' | 'users' | 'sharing' | 'defaults' | 'security' | 'import' | 'audit';
export type OrgAccess = `org:${OrgNeed}`;

/**
 * Who may call a route. Every route declares one; the handler's context type follows from it
 * (`ContextFor` in route.ts), so a handler cannot use what its declaration does not guarantee.
 * - public: anybody, signed in or not (the session is not looked at).
 * - optionalSession: anybody; a live session (with its CSRF token on writes) makes them the actor.
 * - signedIn: a live session.
 * - endedSession: a session that a newer sign-in replaced, with that session's own CSRF token
 *   ("this wasn't me", R-SES-3); a live session is refused with 409 session_not_replaced.
 * - operator: a live session of an operator account.
 * - subscriber: a live session of someone with an individual subscription of their own (section 7);
 *   the subscription becomes the request's organisation context.
 * - practitioner: a live session of someone whose licence lets them work now (an organisation or a
 *   subscription; R-PRA-4, R-SUB-1, R-LIC-7). Patients, exercises and programmes need it.
 * - org:…: a route under /api/organisations/:orgId with the caller's checked membership there.
 * - patientDevice: a patient's device holding the token it was given when it opened a programme
 *   with the code and year of birth (R-PRG-2), sent as `Authorization: Bearer …`; the context names
 *   the programme and nothing else.
 * - apiKey:…: a Motus API key (R-INT-3) sent as `Authorization: Bearer motus_…`, holding the named
 *   scope. Practitioner keys act as their owner (patients, programmes, engagement); organisation keys
 *   act in their organisation's console sections (console.read). A key follows its owner's standing.
 * SCIM clients will be a further kind, with its own context.
 */
export type Access = 'public' | 'optionalSession' | 'signedIn' | 'endedSession' | 'operator' | 'subscriber' | 'practitioner' | 'patientDevice' | OrgAccess | ApiKeyAccess;

/** What an API key may do (R-INT-3). */
export type ApiScope = 'patients.read' | 'patients.write' | 'programmes.assign' | 'engagement.read' | 'console.read';
export const API_SCOPES: readonly ApiScope[] = ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read', 'console.read'];
/** Scopes a practitioner's key may hold; an organisation's key holds console.read only. */
export const PRACTITIONER_SCOPES: readonly ApiScope[] = ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'];
export type ApiKeyAccess = `apiKey:${ApiScope}`;

export const ORG_NEEDS: readonly OrgNeed[] = ['member', 'practitioner', 'owner', 'users', 'sharing', 'defaults', 'security', 'import', 'audit'];

export const ACCESS_KINDS: readonly Access[] = [
  'public',
  'optionalSession',
  'signedIn',
  'endedSession',
  'operator',
  'subscriber',
  'practitioner',
  'patientDevice',
  ...ORG_NEEDS.map((need): OrgAccess => `org:${need}`),
  ...API_SCOPES.map((scope): ApiKeyAccess => `apiKey:${scope}`),
];

export function isApiKeyAccess(access: Access): access is ApiKeyAccess {
  return access.startsWith('apiKey:');
}

/**
 * What a path parameter of a patient-bearing route names, so that the visibility rule (R-PAT-2) is
 * applied to it and the generated visibility walk can fill it in: start-up refuses a route with
 * such a parameter that does not say.
 */
export type SubjectKind = 'patient' | 'programme' | 'share' | 'exercise' | 'template';

/** Path parameters that always name a subject, and the kind each names. */
export const SUBJECT_PARAMS: Readonly<Record<string, SubjectKind>> = {
  patientId: 'patient',
  programmeId: 'programme',
  shareId: 'share',
  exerciseId: 'exercise',
  templateId: 'template',
};

/** Success statuses a route may answer with. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/** An answer that is not JSON (a page, an image, a file): its media type and a description. */
export interface RawResponse {
  readonly raw: string;
  readonly description: string;
}

export interface Contract {
  readonly method: Method;
  /** Fastify's path syntax: /api/patients/:patientId */
  readonly path: string;
  readonly access: Access;
  readonly summary: string;
  readonly description?: string;
  /** The operation's name in the OpenAPI description, which generated clients name their functions by. */
  readonly operationId?: string;
  readonly tags: readonly string[];
  readonly params?: ZodType;
  readonly query?: ZodType;
  /** A JSON body, or 'multipart' for an upload read by the handler itself. */
  readonly body?: ZodType | 'multipart';
  /** The success status (default 200; 204 answers no body). */
  readonly status?: SuccessStatus;
  /** The answer on success: a zod schema for JSON (the server replies through it), or a raw media type. */
  readonly response: ZodType | RawResponse | null;
  /** The subject each patient-bearing path parameter names (see SUBJECT_PARAMS). */
  readonly subjects?: Readonly<Record<string, SubjectKind>>;
  /**
   * A write that records nothing in the audit trail must say why (R-AUD-1); every other write's
   * success is checked to have left a record carrying its request id.
   */
  readonly unaudited?: string;
  /** A valid example body, shown in the OpenAPI description and sent by the generated walks. */
  readonly example?: unknown;
}

/** Declares a contract, keeping its literal types for the server and the web client. */
export function defineContract<const C extends Contract>(contract: C): C {
  return contract;
}

type Infer<S> = S extends ZodType ? z.output<S> : undefined;
type InferIn<S> = S extends ZodType ? z.input<S> : undefined;

/** What the server's handler receives (after validation and defaults). */
export interface ContractInput<C extends Contract> {
  params: Infer<C['params']>;
  query: Infer<C['query']>;
  body: C['body'] extends ZodType ? z.output<C['body']> : undefined;
}

/** What a client sends (before defaults). */
export type ClientInput<C extends Contract> = (C['params'] extends ZodType ? { params: InferIn<C['params']> } : { params?: undefined }) &
  (C['query'] extends ZodType ? { query?: InferIn<C['query']> } : { query?: undefined }) &
  (C['body'] extends ZodType ? { body: InferIn<C['body']> } : C['body'] extends 'multipart' ? { form: FormData } : { body?: undefined });

/** What a route answers on success, as the server produces it. */
export type ContractOutput<C extends Contract> = C['response'] extends ZodType ? z.output<C['response']> : C['response'] extends null ? void : unknown;

/** What a client reads from the answer. Response schemas are plain (no transforms), so it is what the server produced. */
export type ContractResult<C extends Contract> = C['response'] extends ZodType ? z.output<C['response']> : C['response'] extends null ? undefined : unknown;

export function isRawResponse(response: Contract['response']): response is RawResponse {
  return response !== null && typeof response === 'object' && 'raw' in response && typeof (response as RawResponse).raw === 'string';
}

/** The path of a contract with its parameters filled in (each one URI-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}
