import type { AuditActor } from '../../audit/events.ts';

/** The signed-in person behind a request, reloaded from the database on every request (R-SES-6). */
export interface Actor {
  accountId: string;
  sessionId: string;
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
}

export function auditActorOf(ctx: RequestContext, overrides: Partial<AuditActor> = {}): AuditActor {
  return {
    accountId: ctx.actor?.accountId ?? null,
    sessionId: ctx.actor?.sessionId ?? null,
    organisationId: null,
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

/** The signed-in actor, for services behind routes declared signed-in (the hook guarantees it). */
export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new Error('A signed-in route ran without an actor');
  return ctx.actor;
}
