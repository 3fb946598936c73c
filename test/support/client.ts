import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

let counter = 0;
/** A unique email for each account a test creates, so tests never share data. */
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${counter}@example.org`;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

/**
 * A browser-like client for `inject()`: keeps the session cookie and sends the CSRF token on writes,
 * as the web app does.
 */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  readonly app: FastifyInstance;
  readonly userAgent: string;
  readonly ip: string;

  constructor(app: FastifyInstance, opts: { userAgent?: string; ip?: string } = {}) {
    this.app = app;
    this.userAgent = opts.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36';
    this.ip = opts.ip ?? '127.0.0.1';
  }

  async request(method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': this.userAgent,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      if (pair?.includes('motus_session=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    if (res.statusCode < 300 && res.headers['content-type']?.includes('json')) {
      const json = res.json() as { session?: { csrfToken?: string } };
      if (json?.session?.csrfToken) this.csrfToken = json.session.csrfToken;
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body);
  }
  patch(url: string, body?: unknown) {
    return this.request('PATCH', url, body);
  }
  put(url: string, body?: unknown) {
    return this.request('PUT', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }

  async signUp(email = uniqueEmail(), password = GOOD_PASSWORD, name = 'Test Person') {
    const res = await this.post('/api/auth/sign-up', { email, password, name });
    if (res.statusCode !== 201) throw new Error(`sign-up failed: ${res.statusCode} ${res.body}`);
    return { email, password, account: res.json().account as { id: string; email: string } };
  }

  async signIn(email: string, password = GOOD_PASSWORD) {
    return this.post('/api/auth/sign-in', { email, password });
  }
}
