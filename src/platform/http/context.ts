import type { AuditActor } from '../../audit/events.ts';
import type { OrgContext } from '../../organisations/access.ts';
import type { ApiScope } from './contract.ts';

/** The signed-in person behind a request, reloaded from the database on every request (R-SES-6). */
export interface Actor {
  accountId: string;
  /** Null only when the operator tool acts on a person's behalf (demo data, imports). */
  sessionId: string | null;
  email: string;
  name: string;
  isOperator: boolean;
  emailVerified: boolean;
  csrfToken: string;
}

/** Who is acting and from where: the first argument of every service function. */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  actor: Actor | null;
  /** Set on organisation routes (/api/organisations/:orgId/…) once the membership is checked. */
  org?: OrgContext;
  /** Set on patientDevice routes once the device's token is checked. */
  device?: PatientDevice;
  /** Set on apiKey:… routes once the key is checked (R-INT-3). */
  apiKey?: ApiKeyCaller;
}

/** The API key behind a request (R-INT-3): every record the request writes names it. */
export interface ApiKeyCaller {
  keyId: string;
  /** The visible start of the key (`motus_ab12cd34`), as lists show it. */
  prefix: string;
  /** A practitioner's key acts as its owner; an organisation's key in that organisation's console. */
  kind: 'practitioner' | 'organisation';
  scopes: readonly ApiScope[];
  /**
   * The practice the key works in: a practitioner key issued for a PMS link (or created in a
   * practice) sees only that practice's patients; null means every practice of its owner.
   */
  organisationId: string | null;
}

/**
 * A request made with an API key: the actor is the key's owner (a practitioner key) or the person
 * who created it (an organisation key), reloaded and checked on every request, with no session.
 */
export interface ApiKeyContext extends SignedInContext {
  apiKey: ApiKeyCaller;
}

/** An organisation key's request (console.read): the organisation context as its creator's sections allow. */
export interface OrgApiKeyContext extends ApiKeyContext {
  org: OrgContext;
}

/** A patient's device that opened one programme (R-PRG-2): it acts for that programme alone. */
export interface PatientDevice {
  deviceId: string;
  programmeId: string;
  patientId: string;
  /** The practice the patient is treated in: the audit records of the device go to its trail. */
  organisationId: string | null;
  ownerAccountId: string;
}

/** A request from a patient's device: no account, one programme. */
export interface PatientDeviceContext extends RequestContext {
  actor: null;
  device: PatientDevice;
}

/** A request with a live session: routes declared signedIn, endedSession, operator or practitioner. */
export interface SignedInContext extends RequestContext {
  actor: Actor;
}

/** A request in an organisation (org:… routes) or in the caller's own subscription (subscriber). */
export interface OrgRequestContext extends SignedInContext {
  org: OrgContext;
}

/** A public route: the session is not looked at. */
export interface PublicContext extends RequestContext {
  actor: null;
}

export function auditActorOf(ctx: RequestContext, overrides: Partial<AuditActor> = {}): AuditActor {
  return {
    accountId: ctx.actor?.accountId ?? null,
    sessionId: ctx.actor?.sessionId ?? null,
    // An organisation key's refusals happen before ctx.org is set: they belong to its organisation's trail all the same.
    organisationId: ctx.org?.organisationId ?? ctx.device?.organisationId ?? (ctx.apiKey?.kind === 'organisation' ? ctx.apiKey.organisationId : null),
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    apiKeyId: ctx.apiKey?.keyId ?? null,
    ...overrides,
  };
}

/** A context for work started outside HTTP (operator tool, jobs). */
export function systemContext(label: string): RequestContext {
  return { requestId: `${label}:${Date.now()}`, ip: null, userAgent: label, actor: null };
}
