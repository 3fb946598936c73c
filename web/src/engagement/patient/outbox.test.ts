/** R-ENG-2: what the patient records is queued on the phone and sent in order, once, whatever the connection does. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applySentToHome } from './homeCache.ts';
import { newClientId } from './ids.ts';
import { dismissFailed, enqueue, flushOutbox, readOutbox, type EntryBody, type OutboxOp } from './outbox.ts';
import { mergeEntries } from './plan.ts';
import { memoryStore } from './storage.ts';

const CODE = 'kmpqrstv';
const TOKEN = 'device-token-abcdefghijklmnop';
const NOW = new Date('2026-12-03T09:00:00Z');
const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'] as const;

function body(over: Partial<EntryBody> = {}): EntryBody {
  return { day: '2026-12-03', itemIndex: 0, setsDone: 3, pain: null, difficulty: null, comment: null, ...over };
}

function entryAnswer(clientId: string, sent: Record<string, unknown>) {
  return { entry: { clientId, day: '2026-12-03', itemIndex: 0, setsDone: 3, pain: null, difficulty: null, comment: null, ...sent, recordedAt: NOW.toISOString(), updatedAt: NOW.toISOString() }, stored: 'created' };
}

function json(status: number, payload?: unknown): Response {
  return new Response(payload === undefined ? null : JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
}

interface Seen {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

/** A fake server: answers each request with `reply`, and notes what was asked. */
function fakeFetch(reply: (seen: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetchMock = vi.fn(async (path: string, init: RequestInit) => {
    const request: Seen = {
      method: init.method ?? 'GET',
      path,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: (init.headers as Record<string, string>).authorization,
    };
    seen.push(request);
    return reply(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return seen;
}

const ok = (seen: Seen) => {
  const clientId = seen.path.split('/').pop()!;
  if (seen.method === 'DELETE') return json(204);
  if (seen.path.startsWith('/api/patient/messages/')) {
    return json(200, { message: { id: '99999999-9999-4999-8999-999999999999', clientId, author: 'patient', authorName: null, text: (seen.body as { text: string }).text, sentAt: NOW.toISOString(), read: false } });
  }
  return json(200, entryAnswer(clientId, seen.body as Record<string, unknown>));
};

afterEach(() => vi.unstubAllGlobals());

describe('the outbox of the patient’s phone (R-ENG-2)', () => {
  it('sends what was recorded in the order it was recorded, with the device token, and empties only as each is taken', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ itemIndex: 0 }), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'message', clientId: ids[1], text: 'My knee is better.' }, NOW);
    enqueue(store, CODE, { kind: 'entry', clientId: ids[2], body: body({ itemIndex: null, setsDone: null }), recordedAt: NOW.toISOString() }, NOW);
    const remainingWhenSent: number[] = [];
    const seen = fakeFetch((request) => {
      remainingWhenSent.push(readOutbox(store, CODE).ops.length);
      return ok(request);
    });

    const result = await flushOutbox({ store, code: CODE, token: TOKEN });

    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `PUT /api/patient/entries/${ids[0]}`,
      `PUT /api/patient/messages/${ids[1]}`,
      `PUT /api/patient/entries/${ids[2]}`,
    ]);
    expect(seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(seen[1]!.body).toEqual({ text: 'My knee is better.' });
    // Each item is still on the phone while it is being sent.
    expect(remainingWhenSent).toEqual([3, 2, 1]);
    expect(result).toEqual({ sent: 3, failed: [], remaining: 0, stopped: null });
    expect(readOutbox(store, CODE).ops).toEqual([]);
  });

  it('sends only the last state of an entry changed several times before it could be sent', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ setsDone: 3 }), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'entry', clientId: ids[1], body: body({ itemIndex: 1 }), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ setsDone: 2 }), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ setsDone: 2, pain: 4, difficulty: 'too_hard' }), recordedAt: NOW.toISOString() }, NOW);
    // A message is queued once, however often the same one is handed over.
    enqueue(store, CODE, { kind: 'message', clientId: ids[2], text: 'Hello' }, NOW);
    enqueue(store, CODE, { kind: 'message', clientId: ids[2], text: 'Hello' }, NOW);
    expect(readOutbox(store, CODE).ops.map((o) => o.clientId)).toEqual([ids[1], ids[0], ids[2]]);

    const seen = fakeFetch(ok);
    await flushOutbox({ store, code: CODE, token: TOKEN });

    expect(seen.map((s) => s.path.split('/').pop())).toEqual([ids[1], ids[0], ids[2]]);
    expect(seen[1]!.body).toEqual(body({ setsDone: 2, pain: 4, difficulty: 'too_hard' }));
  });

  it('turns an entry made and taken back offline into one undo; an undo of an entry the server never got is done', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'unentry', clientId: ids[0], day: '2026-12-03' }, NOW);
    expect(mergeEntries([], readOutbox(store, CODE).ops)).toEqual([]);
    const seen = fakeFetch(() => json(404, { error: { code: 'not_found', message: 'Not found.' } }));

    const result = await flushOutbox({ store, code: CODE, token: TOKEN });

    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([`DELETE /api/patient/entries/${ids[0]}`]);
    expect(result.sent).toBe(1);
    expect(readOutbox(store, CODE)).toEqual({ ops: [], failed: [], nextSeq: 3 });
  });

  it('keeps everything, in order, while the server cannot be reached or fails, and sends it once it can', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'entry', clientId: ids[1], body: body({ itemIndex: 1 }), recordedAt: NOW.toISOString() }, NOW);

    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await flushOutbox({ store, code: CODE, token: TOKEN })).toEqual({ sent: 0, failed: [], remaining: 2, stopped: 'unreachable' });

    // A server error stops the round too: the second entry is not sent before the first.
    let calls = 0;
    fakeFetch((request) => (++calls === 1 ? ok(request) : json(503, { error: { code: 'unavailable', message: 'Try later.' } })));
    expect(await flushOutbox({ store, code: CODE, token: TOKEN })).toMatchObject({ sent: 1, remaining: 1, stopped: 'unreachable' });
    expect(readOutbox(store, CODE).ops.map((o) => o.clientId)).toEqual([ids[1]]);

    const seen = fakeFetch(ok);
    expect(await flushOutbox({ store, code: CODE, token: TOKEN })).toMatchObject({ sent: 1, remaining: 0, stopped: null });
    expect(seen.map((s) => s.path.split('/').pop())).toEqual([ids[1]]);
  });

  it('keeps the queue when the device was signed out, for when the programme is opened again', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW);
    fakeFetch(() => json(401, { error: { code: 'device_signed_out', message: 'Signed out.' } }));
    expect(await flushOutbox({ store, code: CODE, token: TOKEN })).toMatchObject({ sent: 0, remaining: 1, stopped: 'signed_out' });
    expect(readOutbox(store, CODE).ops).toHaveLength(1);
  });

  it('sets a refusal that can never succeed aside with the server’s words, and goes on with the rest', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW);
    enqueue(store, CODE, { kind: 'message', clientId: ids[1], text: 'Can I swim?' }, NOW);
    const seen = fakeFetch((request) =>
      request.path.includes('/entries/') ? json(409, { error: { code: 'programme_read_only', message: 'This programme has ended.' } }) : ok(request),
    );

    const result = await flushOutbox({ store, code: CODE, token: TOKEN });

    expect(seen).toHaveLength(2);
    expect(result.sent).toBe(1);
    expect(result.failed).toMatchObject([{ status: 409, code: 'programme_read_only', message: 'This programme has ended.', op: { clientId: ids[0] } }]);
    const state = readOutbox(store, CODE);
    expect(state.ops).toEqual([]);
    expect(state.failed).toHaveLength(1);
    // It stays until the patient has read it.
    dismissFailed(store, CODE, state.failed[0]!.op.seq);
    expect(readOutbox(store, CODE).failed).toEqual([]);
  });

  it('does not drop a change made while the previous state of the same entry was on its way', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ setsDone: 3 }), recordedAt: NOW.toISOString() }, NOW);
    const seen = fakeFetch((request) => {
      // The patient changes the entry while the first PUT is answered.
      if (seen.length === 1) enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body({ setsDone: 1 }), recordedAt: NOW.toISOString() }, NOW);
      return ok(request);
    });
    const taken: OutboxOp[] = [];

    await flushOutbox({ store, code: CODE, token: TOKEN, onSent: (op) => taken.push(op) });

    expect(seen.map((s) => (s.body as EntryBody).setsDone)).toEqual([3, 1]);
    expect(taken.map((op) => op.seq)).toEqual([1, 2]);
    expect(readOutbox(store, CODE).ops).toEqual([]);
  });

  it('runs one round at a time, and once more for what was queued during it', async () => {
    const store = memoryStore();
    enqueue(store, CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen = fakeFetch(async (request) => {
      if (seen.length === 1) await gate;
      return ok(request);
    });
    const first = flushOutbox({ store, code: CODE, token: TOKEN });
    enqueue(store, CODE, { kind: 'entry', clientId: ids[1], body: body({ itemIndex: 1 }), recordedAt: NOW.toISOString() }, NOW);
    const second = flushOutbox({ store, code: CODE, token: TOKEN });
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(seen.map((s) => s.path.split('/').pop())).toEqual([ids[0], ids[1]]);
  });

  it('keeps the phone’s copy of the week current with what the server took', () => {
    const home = { entries: [] } as unknown as Parameters<typeof applySentToHome>[0];
    const op = enqueue(memoryStore(), CODE, { kind: 'entry', clientId: ids[0], body: body(), recordedAt: NOW.toISOString() }, NOW)!;
    const withEntry = applySentToHome(home, op, { kind: 'entry', entry: entryAnswer(ids[0], {}).entry as never });
    expect(withEntry.entries.map((e) => e.clientId)).toEqual([ids[0]]);
    const undo = { ...op, kind: 'unentry', day: '2026-12-03' } as OutboxOp;
    expect(applySentToHome(withEntry, undo, { kind: 'unentry' }).entries).toEqual([]);
  });
});

describe('client ids', () => {
  it('are version 4 UUIDs, also where randomUUID is missing (plain http)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newClientId()).toMatch(uuid);
    const made = new Set(Array.from({ length: 50 }, () => newClientId({ getRandomValues: (a) => crypto.getRandomValues(a) })));
    expect(made.size).toBe(50);
    for (const id of made) expect(id).toMatch(uuid);
  });
});
