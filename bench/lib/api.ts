/** Small HTTP helpers for setting up benchmark data through Motus's own API. */

/** The password of every account a benchmark creates. */
export const BENCH_PASSWORD = 'benchmark passphrase that is long';

/** A signed-in session: the cookie to send, and the CSRF token that unsafe methods need. */
export interface BenchSession {
  accountId: string;
  cookie: string;
  csrf: string;
}

export async function api(base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${url}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

export async function signUp(base: string, email: string, name: string): Promise<BenchSession> {
  const r = await api(base, 'POST', '/api/auth/sign-up', { email, password: BENCH_PASSWORD, name });
  if (r.status !== 201) throw new Error(`sign-up failed: ${r.status} ${JSON.stringify(r.json)}`);
  return { accountId: r.json.account.id as string, cookie: r.cookie!, csrf: r.json.session.csrfToken as string };
}

export async function signIn(base: string, email: string): Promise<BenchSession> {
  const r = await api(base, 'POST', '/api/auth/sign-in', { email, password: BENCH_PASSWORD });
  if (r.status !== 200) throw new Error(`sign-in of ${email} failed: ${r.status} ${JSON.stringify(r.json)}`);
  return { accountId: r.json.account.id as string, cookie: r.cookie!, csrf: r.json.session.csrfToken as string };
}

/** Runs `work` over `items`, at most `concurrency` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
