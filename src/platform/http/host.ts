import type { FastifyInstance } from 'fastify';
import { HOST_PATTERN, type Config } from '../../config.ts';
import { AppError } from '../errors.ts';

/** 421: the request named a host this server does not answer for (RFC 9110 §15.5.20). */
export class MisdirectedRequestError extends AppError {
  readonly status = 421;
}

/** Names that only a page served from this machine itself can carry in its requests. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Liveness probes call the server by whatever address their platform gives it; the answer holds nothing. */
const UNCHECKED_PATHS = new Set(['/api/health']);

interface HostRule {
  hostname: string;
  /** null: any port. */
  port: string | null;
}

/**
 * Every request must name, in its Host header, the host people use (PUBLIC_URL), a host the
 * operator allowed (ALLOWED_HOSTS), or, when the server listens on loopback only, a loopback name.
 * Anything else is answered 421 before any route runs. This is what stops DNS rebinding: a page on
 * another site whose name was pointed at this server sends that site's name as Host, so it can
 * neither read answers (the development mailbox, a signed-in page) nor write through a session.
 *
 * The raw Host header is checked, never X-Forwarded-Host: a rebinding page may set that header
 * itself, and a reverse proxy in front forwards a Host that is PUBLIC_URL's or a loopback name.
 */
export function installHostCheck(app: FastifyInstance, config: Config): void {
  const publicUrl = new URL(config.publicUrl);
  const rules: HostRule[] = [{ hostname: publicUrl.hostname, port: publicUrl.port }];
  for (const allowed of config.allowedHosts) {
    const parsed = parseHost(allowed, publicUrl.protocol);
    if (parsed) rules.push({ hostname: parsed.hostname, port: /:\d+$/.test(allowed.replace(/^\[[^\]]*\]/, '')) ? parsed.port : null });
  }
  if (config.listensOnLoopback) for (const name of LOOPBACK_NAMES) rules.push({ hostname: name, port: null });

  const allowed = (header: string | undefined): boolean => {
    if (!header) return false;
    const parsed = parseHost(header, publicUrl.protocol);
    return parsed !== null && rules.some((r) => r.hostname === parsed.hostname && (r.port === null || r.port === parsed.port));
  };

  app.addHook('onRequest', async (request) => {
    if (UNCHECKED_PATHS.has(request.url.split('?')[0] ?? '')) return;
    if (!allowed(request.headers.host)) {
      throw new MisdirectedRequestError('misdirected_request', `This server does not answer for the host this request names. Use ${config.publicUrl}.`);
    }
  });
}

/** Hostname (lower case, IPv6 in brackets) and port ('' for the scheme's default) of a Host value; null when it is not one. */
function parseHost(value: string, protocol: string): { hostname: string; port: string } | null {
  if (!HOST_PATTERN.test(value)) return null;
  try {
    const url = new URL(`${protocol}//${value}`);
    return { hostname: url.hostname.toLowerCase(), port: url.port };
  } catch {
    return null;
  }
}
