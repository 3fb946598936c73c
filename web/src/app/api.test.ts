import { afterEach, describe, expect, it, vi } from 'vitest';
import { engagementContracts } from '../../../src/engagement/schemas.ts';
import { patientContracts } from '../../../src/patients/schemas.ts';
import { ApiError, api, call, hasErrorCode, onPaymentRequired, onSessionEnd, onSubscriptionRequired, setCsrfToken } from './api.ts';
import { safeNext } from './forms.ts';

function answer(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  onSessionEnd(null);
  onPaymentRequired(null);
  onSubscriptionRequired(null);
});

describe('api', () => {
  it('sends the CSRF token on writes made while signed in, and not on reads', async () => {
    const fetchMock = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('token-1');
    await api('/api/account', { method: 'PATCH', body: { name: 'A' } });
    await api('/api/account');
    const write = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const read = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect((write[1].headers as Record<string, string>)['x-csrf-token']).toBe('token-1');
    expect((write[1].headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(write[1].credentials).toBe('same-origin');
    expect((read[1].headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('turns the error envelope into an ApiError with field messages keyed like the form', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(400, {
        error: {
          code: 'validation_failed',
          message: 'Check the highlighted fields.',
          details: [
            { path: 'body.practice.phone', code: 'invalid', message: 'Use international format.' },
            { path: 'body.name', code: 'too_small', message: 'Enter a name.' },
          ],
        },
        requestId: 'r1',
      }),
    );
    const error = await api('/api/account', { method: 'PATCH', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fieldErrors()).toEqual({ 'practice.phone': 'Use international format.', name: 'Enter a name.' });
    expect((error as ApiError).requestId).toBe('r1');
  });

  it('reports a session-ending 401 to the session layer, but not an ordinary one', async () => {
    const heard: string[] = [];
    onSessionEnd((error) => heard.push(error.code));
    vi.stubGlobal('fetch', async (path: string) =>
      path === '/api/a'
        ? answer(401, { error: { code: 'session_replaced', message: 'Replaced', details: { ip: '10.0.0.1' } }, requestId: 'x' })
        : answer(401, { error: { code: 'invalid_credentials', message: 'Nope' }, requestId: 'y' }),
    );
    await api('/api/a').catch(() => undefined);
    await api('/api/b').catch(() => undefined);
    expect(heard).toEqual(['session_replaced']);
  });

  it('reports a 402 payment_required with the refused path, but not a missing payment method', async () => {
    const heard: string[] = [];
    onPaymentRequired((error, path) => heard.push(`${error.code} ${path}`));
    vi.stubGlobal('fetch', async (path: string) =>
      path.endsWith('/practitioner')
        ? answer(402, { error: { code: 'payment_required', message: 'Unpaid', details: { contact: { name: 'Dana', email: 'd@example.com' } } }, requestId: 'x' })
        : answer(402, { error: { code: 'payment_method_required', message: 'Add a card' }, requestId: 'y' }),
    );
    await api('/api/organisations/o-1/practitioner').catch(() => undefined);
    await api('/api/organisations/o-1/invitations', { method: 'POST', body: {} }).catch(() => undefined);
    expect(heard).toEqual(['payment_required /api/organisations/o-1/practitioner']);
  });

  it('reports a 402 subscription_required to its own listener, not to the payment-required one', async () => {
    const subscription: string[] = [];
    const payment: string[] = [];
    onSubscriptionRequired((error) => subscription.push(error.message));
    onPaymentRequired((error) => payment.push(error.code));
    vi.stubGlobal('fetch', async () =>
      answer(402, { error: { code: 'subscription_required', message: 'You have no licence to use Motus yet.', details: { ownSubscription: false } }, requestId: 'x' }),
    );
    await api('/api/patients').catch(() => undefined);
    expect(subscription).toEqual(['You have no licence to use Motus yet.']);
    expect(payment).toEqual([]);
  });

  it('finds an issue code inside a validation error', () => {
    const error = new ApiError(400, 'validation_failed', 'Bad', [{ path: 'body.token', code: 'token_invalid', message: 'Expired' }]);
    expect(hasErrorCode(error, 'token_invalid')).toBe(true);
    expect(hasErrorCode(error, 'validation_failed')).toBe(true);
    expect(hasErrorCode(error, 'not_found')).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps paths inside the app and refuses everything else', () => {
    expect(safeNext('/profile?tab=1')).toBe('/profile?tab=1');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('call', () => {
  it('builds the request from the contract: method, encoded path parameters, query and JSON body', async () => {
    const fetchMock = vi.fn(async () => answer(200, { patient: { id: 'p' } }));
    vi.stubGlobal('fetch', fetchMock);
    await call(patientContracts.update, { params: { patientId: 'a/b c' }, body: { group: 'knees' } });
    await call(patientContracts.list, { query: { search: 'Mara L', archived: 'all', limit: 20, offset: undefined } });
    const [updateUrl, update] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(updateUrl).toBe('/api/patients/a%2Fb%20c');
    expect(update.method).toBe('PATCH');
    expect(update.body).toBe(JSON.stringify({ group: 'knees' }));
    const [listUrl, list] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(listUrl).toBe('/api/patients?search=Mara+L&archived=all&limit=20');
    expect(list.method).toBe('GET');
  });
});

describe('a patient device’s bearer token (R-PRG-2)', () => {
  it('is sent as Authorization without the CSRF header or cookies, and its 401 does not end a practitioner session', async () => {
    const heard: string[] = [];
    onSessionEnd((error) => heard.push(error.code));
    setCsrfToken('practitioner-token');
    const fetchMock = vi.fn(async (path: string) =>
      path.startsWith('/api/patient/entries/')
        ? answer(401, { error: { code: 'session_ended', message: 'Signed out' }, requestId: 'z' })
        : answer(200, { ok: true }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const clientId = '0f8b9a52-3c1d-4e8a-9b7c-2d5e6f7a8b9c';
    await call(engagementContracts.home, { query: { day: '2026-12-03' } }, { bearer: 'device-token-abcdefghijklmnop' });
    const refused = await call(
      engagementContracts.record,
      { params: { clientId }, body: { day: '2026-12-03', itemIndex: 0, setsDone: 3, pain: null, difficulty: null, comment: null } },
      { bearer: 'device-token-abcdefghijklmnop' },
    ).catch((e: unknown) => e);
    const [homeUrl, home] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const [, record] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(homeUrl).toBe('/api/patient/programme?day=2026-12-03');
    expect((home.headers as Record<string, string>).authorization).toBe('Bearer device-token-abcdefghijklmnop');
    expect((record.headers as Record<string, string>).authorization).toBe('Bearer device-token-abcdefghijklmnop');
    expect((record.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect(record.method).toBe('PUT');
    expect(record.credentials).toBe('omit');
    expect(hasErrorCode(refused, 'session_ended')).toBe(true);
    expect(heard).toEqual([]);
  });
});
