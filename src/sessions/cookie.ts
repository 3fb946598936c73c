import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** R-SES-4: HttpOnly, SameSite, and Secure (with the __Host- prefix) outside local http. */
export function sessionCookieName(config: Config): string {
  return config.cookieSecure ? '__Host-motus_session' : 'motus_session';
}

export function readSessionToken(config: Config, request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(config)];
}

export function setSessionCookie(config: Config, reply: FastifyReply, token: string, expires: Date): void {
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    secure: config.cookieSecure,
    sameSite: 'lax',
    expires,
  });
}

export function clearSessionCookie(config: Config, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(config), { path: '/', httpOnly: true, secure: config.cookieSecure, sameSite: 'lax' });
}
