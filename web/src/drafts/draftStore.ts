/**
 * Where drafts live: on the server (/api/drafts/:editor/:key) and, as a safety copy that survives a
 * refused request, in this tab's sessionStorage under a key that names the account, editor and key.
 */
import { draftContracts, type DraftView } from '../../../src/drafts/schemas.ts';
import { call, isApiError } from '../app/api.ts';

const EDITOR_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const STORAGE_PREFIX = 'motus.draft.v1';

export interface LocalDraft<T = unknown> {
  data: T;
  /** When the values were typed (ISO time). */
  savedAt: string;
  /** True until the server has confirmed it holds these values. */
  pending: boolean;
}

/** A draft as the server holds it, its data read as the editor's values. */
export type ServerDraft<T = unknown> = Omit<DraftView, 'data'> & { data: T };

export function assertDraftAddress(editor: string, key: string): void {
  if (!EDITOR_PATTERN.test(editor)) throw new Error(`Invalid draft editor name: ${editor}`);
  if (!KEY_PATTERN.test(key)) throw new Error(`Invalid draft key: ${key}`);
}

export function localDraftKey(accountId: string, editor: string, key: string): string {
  return `${STORAGE_PREFIX}:${accountId}:${editor}:${key}`;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function readLocalDraft<T>(accountId: string, editor: string, key: string): LocalDraft<T> | null {
  return parseLocal<T>(storage()?.getItem(localDraftKey(accountId, editor, key)) ?? null);
}

function parseLocal<T>(raw: string | null): LocalDraft<T> | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as LocalDraft<T>;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.savedAt !== 'string' || !('data' in parsed)) return null;
    return { data: parsed.data, savedAt: parsed.savedAt, pending: parsed.pending === true };
  } catch {
    return null;
  }
}

export function writeLocalDraft<T>(accountId: string, editor: string, key: string, draft: LocalDraft<T>): void {
  try {
    storage()?.setItem(localDraftKey(accountId, editor, key), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the server copy is still attempted.
  }
}

export function removeLocalDraft(accountId: string, editor: string, key: string): void {
  try {
    storage()?.removeItem(localDraftKey(accountId, editor, key));
  } catch {
    // Nothing to do.
  }
}

/** Marks the local copy as held by the server, if it still holds the values that were sent. */
export function markLocalDraftSynced(accountId: string, editor: string, key: string, sentJson: string): void {
  const local = readLocalDraft(accountId, editor, key);
  if (local && stableStringify(local.data) === sentJson) {
    writeLocalDraft(accountId, editor, key, { ...local, pending: false });
  }
}

interface LocalEntry {
  editor: string;
  key: string;
  draft: LocalDraft;
}

function listLocalDrafts(accountId: string): LocalEntry[] {
  const store = storage();
  if (!store) return [];
  const prefix = `${STORAGE_PREFIX}:${accountId}:`;
  const entries: LocalEntry[] = [];
  for (let i = 0; i < store.length; i += 1) {
    const name = store.key(i);
    if (!name || !name.startsWith(prefix)) continue;
    const [editor, key] = name.slice(prefix.length).split(':');
    const draft = parseLocal(store.getItem(name));
    if (editor && key && draft) entries.push({ editor, key, draft });
  }
  return entries;
}

/**
 * Sends the server every local copy it has not confirmed yet (for example, values typed just before
 * the session was replaced). Called right after the person signs in again.
 */
export async function pushPendingDrafts(accountId: string): Promise<void> {
  const pending = listLocalDrafts(accountId).filter((entry) => entry.draft.pending);
  await Promise.all(
    pending.map(async ({ editor, key, draft }) => {
      try {
        await putServerDraft(editor, key, draft.data);
        markLocalDraftSynced(accountId, editor, key, stableStringify(draft.data));
      } catch {
        // Kept locally; the editor offers it back and retries when it is opened.
      }
    }),
  );
}

/**
 * Forgets this tab's copies of an account's drafts on sign-out; the server keeps its own. A copy the
 * server never confirmed stays until the tab closes, so nothing typed is lost.
 */
export function clearLocalDrafts(accountId: string): void {
  for (const { editor, key, draft } of listLocalDrafts(accountId)) {
    if (!draft.pending) removeLocalDraft(accountId, editor, key);
  }
}

function draftParams(editor: string, key: string): { editor: string; key: string } {
  assertDraftAddress(editor, key);
  return { editor, key };
}

export async function getServerDraft<T>(editor: string, key: string): Promise<ServerDraft<T> | null> {
  try {
    const answer = await call(draftContracts.get, { params: draftParams(editor, key) });
    return answer.draft as ServerDraft<T>;
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

export async function putServerDraft<T>(
  editor: string,
  key: string,
  data: T,
  options: { keepalive?: boolean } = {},
): Promise<ServerDraft<T>> {
  const answer = await call(
    draftContracts.save,
    { params: draftParams(editor, key), body: { data: data as Record<string, unknown> } },
    { keepalive: options.keepalive },
  );
  return answer.draft as ServerDraft<T>;
}

export async function deleteServerDraft(editor: string, key: string): Promise<void> {
  try {
    await call(draftContracts.discard, { params: draftParams(editor, key) });
  } catch (error) {
    if (isApiError(error) && error.status === 404) return;
    throw error;
  }
}

/** JSON with object keys sorted, so two equal values always give the same text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return item;
  });
}
