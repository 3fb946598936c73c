import type { AuditActor } from '../../audit/events.ts';
import type { OrgContext } from '../../organisations/access.ts';

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
    organisationId: ctx.org?.organisationId ?? ctx.device?.organisationId ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    ...overrides,
  };
}

/** A context for work started outside HTTP (operator tool, jobs). */
export function systemContext(label: string): RequestContext {
  return { requestId: `${label}:${Date.now()}`, ip: null, userAgent: label, actor: null };
}
