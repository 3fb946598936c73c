import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../app/api.ts';
import {
  clearLocalDrafts,
  localDraftKey,
  pushPendingDrafts,
  readLocalDraft,
  stableStringify,
  writeLocalDraft,
} from './draftStore.ts';

class MemoryStorage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
}

beforeEach(() => {
  vi.stubGlobal('window', { sessionStorage: new MemoryStorage() });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('stableStringify', () => {
  it('gives equal values the same text whatever the key order', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(
      stableStringify({ a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 }),
    );
  });
});

describe('local drafts', () => {
  it('keeps copies per account, editor and key', () => {
    writeLocalDraft('acc-1', 'profile', 'me', { data: { name: 'A' }, savedAt: '2026-01-01T00:00:00Z', pending: true });
    expect(readLocalDraft('acc-1', 'profile', 'me')?.data).toEqual({ name: 'A' });
    expect(readLocalDraft('acc-2', 'profile', 'me')).toBeNull();
    expect(localDraftKey('acc-1', 'profile', 'me')).toContain('acc-1');
  });

  it('pushes copies the server never confirmed, then marks them confirmed', async () => {
    const sent: Array<{ url: string; body: string; csrf: string | undefined }> = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      sent.push({ url, body: String(init.body), csrf: (init.headers as Record<string, string>)['x-csrf-token'] });
      return new Response(JSON.stringify({ draft: { editor: 'profile', key: 'me', data: {}, updatedAt: 'now' } }), { status: 200 });
    });
    setCsrfToken('new-token');
    writeLocalDraft('acc-1', 'profile', 'me', { data: { name: 'Typed' }, savedAt: '2026-01-01T00:00:00Z', pending: true });
    writeLocalDraft('acc-1', 'notes', 'n1', { data: { text: 'Saved' }, savedAt: '2026-01-01T00:00:00Z', pending: false });
    writeLocalDraft('acc-2', 'profile', 'me', { data: { name: 'Other' }, savedAt: '2026-01-01T00:00:00Z', pending: true });

    await pushPendingDrafts('acc-1');

    expect(sent).toEqual([{ url: '/api/drafts/profile/me', body: JSON.stringify({ data: { name: 'Typed' } }), csrf: 'new-token' }]);
    expect(readLocalDraft('acc-1', 'profile', 'me')?.pending).toBe(false);
    expect(readLocalDraft('acc-2', 'profile', 'me')?.pending).toBe(true);
  });

  it('forgets confirmed copies on sign-out but keeps unconfirmed work', () => {
    writeLocalDraft('acc-1', 'profile', 'me', { data: { name: 'Typed' }, savedAt: 't', pending: true });
    writeLocalDraft('acc-1', 'notes', 'n1', { data: { text: 'Saved' }, savedAt: 't', pending: false });
    clearLocalDrafts('acc-1');
    expect(readLocalDraft('acc-1', 'profile', 'me')).not.toBeNull();
    expect(readLocalDraft('acc-1', 'notes', 'n1')).toBeNull();
  });
});
