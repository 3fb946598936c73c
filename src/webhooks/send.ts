import http from 'node:http';
import https from 'node:https';
import { checkTargetUrl, guardedLookup, TargetRefused, type LookupAll } from './targets.ts';

export interface SendOutcome {
  /** The status the endpoint answered, or null when no answer came. */
  statusCode: number | null;
  /** Why it did not count as delivered, in plain words; null for a 2xx. */
  error: string | null;
}

export const SEND_TIMEOUT_MS = 10_000;
/** What is read of an answer's body before the connection is closed: nothing of it is kept. */
const MAX_ANSWER_BYTES = 64 * 1024;

export const isDelivered = (o: SendOutcome) => o.statusCode !== null && o.statusCode >= 200 && o.statusCode < 300;

function describeError(err: unknown): string {
  if (err instanceof TargetRefused) return err.message;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The host name was not found.';
  if (code === 'ECONNREFUSED') return 'The connection was refused.';
  if (code === 'ECONNRESET') return 'The connection was closed before an answer came.';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'The host could not be reached.';
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT')) return `The TLS certificate was not accepted (${code}).`;
  return String((err as Error)?.message ?? err).slice(0, 300);
}

/**
 * One POST of a webhook (R-INT-4). The address is checked again (scheme, literal addresses), the
 * socket connects only to addresses that pass the private-target rule, redirects are answers (not
 * followed: a 3xx could point anywhere), and the whole exchange ends after `timeoutMs`. Nothing of
 * the answer's body is kept.
 */
export function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: { allowPrivate: boolean; timeoutMs?: number; resolve?: LookupAll }): Promise<SendOutcome> {
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  let url: URL;
  try {
    url = checkTargetUrl(rawUrl, opts.allowPrivate);
  } catch (err) {
    return Promise.resolve({ statusCode: null, error: describeError(err) });
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let statusCode: number | null = null;
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (statusCode !== null) {
        const redirect = statusCode >= 300 && statusCode < 400;
        const ok = statusCode >= 200 && statusCode < 300;
        resolve({ statusCode, error: ok ? null : redirect ? 'The endpoint answered with a redirect, which is not followed.' : `The endpoint answered ${statusCode}.` });
      } else {
        resolve({ statusCode: null, error });
      }
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        // A connection of its own: no socket is shared between endpoints or kept open after.
        agent: false,
        lookup: guardedLookup(opts.allowPrivate, opts.resolve),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Motus-Webhooks/1.0' },
      },
      (response) => {
        statusCode = response.statusCode ?? null;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on('end', () => finish(null));
        response.on('close', () => finish(null));
        response.on('error', () => finish(null));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(`No answer within ${Math.round(timeoutMs / 1000)} seconds.`);
    }, timeoutMs);
    request.on('error', (err) => finish(describeError(err)));
    request.end(body);
  });
}
