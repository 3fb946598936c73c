/**
 * Keeps a form's unsaved values safe while the person types (SPEC R-SES-2).
 *
 * Every change is written at once to sessionStorage (keyed by account, editor and key) and, about
 * 600 ms after the last change, to the server. When the editor opens, a draft that differs from the
 * saved values is offered back ("Restore" / "Discard"). If saving to the server is refused because
 * the session was replaced, the sessionStorage copy stays; after the same account signs in again it
 * is pushed to the server and offered back exactly as it was typed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../sessions/session.tsx';
import {
  assertDraftAddress,
  deleteServerDraft,
  getServerDraft,
  markLocalDraftSynced,
  putServerDraft,
  readLocalDraft,
  removeLocalDraft,
  stableStringify,
  writeLocalDraft,
  type ServerDraft,
} from './draftStore.ts';

export interface DraftOffer<T> {
  data: T;
  /** When the offered values were typed or last saved (ISO time). */
  savedAt: string;
}

export type DraftStatus = 'loading' | 'idle' | 'saving' | 'saved' | 'error';

export interface UseDraftOptions<T> {
  /** The values as saved for real; a draft equal to them is no draft. */
  baseline: T;
  /** Puts restored values back into the form. */
  onRestore: (data: T) => void;
  /** Turn drafting off (for example while the form is not ready). Default true. */
  enabled?: boolean;
  /** Quiet time after the last change before the server copy is written. Default 600 ms. */
  debounceMs?: number;
}

export interface UseDraftResult<T> {
  /** A draft found when the editor opened, waiting for "Restore" or "Discard". */
  offer: DraftOffer<T> | null;
  restore: () => void;
  discard: () => Promise<void>;
  /** Forget the draft everywhere; call it after the form was saved for real. */
  clear: () => Promise<void>;
  status: DraftStatus;
  /** When the server last confirmed the draft. */
  savedAt: string | null;
}

export function useDraft<T extends object>(
  editor: string,
  key: string,
  current: T,
  options: UseDraftOptions<T>,
): UseDraftResult<T> {
  assertDraftAddress(editor, key);
  const { account } = useSession();
  const accountId = account?.id ?? null;
  const enabled = (options.enabled ?? true) && accountId !== null;
  const debounceMs = options.debounceMs ?? 600;

  const [ready, setReady] = useState(false);
  const [offer, setOffer] = useState<DraftOffer<T> | null>(null);
  const [status, setStatus] = useState<DraftStatus>('loading');
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const currentJson = stableStringify(current);
  const baselineJson = stableStringify(options.baseline);

  // The latest values, readable from timers and cleanup without re-running effects.
  const latest = useRef({ current, currentJson, baselineJson, accountId });
  latest.current = { current, currentJson, baselineJson, accountId };
  const onRestoreRef = useRef(options.onRestore);
  onRestoreRef.current = options.onRestore;

  /** The values the server is known to hold (or the saved values when it holds no draft). */
  const syncedJson = useRef<string | null>(null);
  /** Whether the server may hold a draft for this editor. */
  const serverHasDraft = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const cancelTimer = () => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
  };

  /** Brings the server in line with the form: PUT the values, or DELETE when they equal the saved ones. */
  const sync = useCallback(
    async (opts: { keepalive?: boolean } = {}) => {
      timer.current = null;
      const { current: data, currentJson: json, baselineJson: saved, accountId: owner } = latest.current;
      if (!owner || json === syncedJson.current) return;
      if (mounted.current) setStatus('saving');
      try {
        if (json === saved) {
          if (serverHasDraft.current) await deleteServerDraft(editor, key);
          serverHasDraft.current = false;
          removeLocalDraft(owner, editor, key);
          syncedJson.current = json;
          if (mounted.current) {
            setStatus('idle');
            setSavedAt(null);
          }
        } else {
          const draft = await putServerDraft(editor, key, data, opts);
          serverHasDraft.current = true;
          markLocalDraftSynced(owner, editor, key, json);
          syncedJson.current = json;
          if (mounted.current) {
            setStatus('saved');
            setSavedAt(draft?.updatedAt ?? new Date().toISOString());
          }
        }
      } catch {
        // The sessionStorage copy stays pending; the next change (or the next sign-in) retries.
        if (mounted.current) setStatus('error');
      }
    },
    [editor, key],
  );

  // Load: compare the server draft with this tab's copy and offer the newer one back.
  useEffect(() => {
    if (!enabled || !accountId) return;
    let cancelled = false;
    setReady(false);
    setOffer(null);
    setStatus('loading');
    syncedJson.current = null;

    void (async () => {
      const local = readLocalDraft<T>(accountId, editor, key);
      let server: ServerDraft<T> | null = null;
      let serverKnown = true;
      try {
        server = await getServerDraft<T>(editor, key);
      } catch {
        serverKnown = false;
      }
      if (cancelled) return;

      let candidate: { data: T; savedAt: string; push: boolean } | null = null;
      const localTime = local ? Date.parse(local.savedAt) : Number.NaN;
      const serverTime = server ? Date.parse(server.updatedAt) : Number.NaN;
      if (local && (!server || local.pending || !(serverTime > localTime))) {
        candidate = { data: local.data, savedAt: local.savedAt, push: serverKnown && (local.pending || !server) };
      } else if (server) {
        candidate = { data: server.data, savedAt: server.updatedAt, push: false };
      }
      serverHasDraft.current = server !== null;

      const saved = latest.current.baselineJson;
      if (candidate && stableStringify(candidate.data) !== saved) {
        const candidateJson = stableStringify(candidate.data);
        if (candidate.push) {
          try {
            await putServerDraft(editor, key, candidate.data);
            serverHasDraft.current = true;
            markLocalDraftSynced(accountId, editor, key, candidateJson);
          } catch {
            // Still offered from this tab's copy.
          }
          if (cancelled) return;
        }
        syncedJson.current = candidateJson;
        setOffer({ data: candidate.data, savedAt: candidate.savedAt });
        setStatus('idle');
      } else {
        // Nothing to offer: a leftover equal to the saved values is removed.
        if (local) removeLocalDraft(accountId, editor, key);
        if (server) {
          try {
            await deleteServerDraft(editor, key);
          } catch {
            // Harmless: it equals the saved values and is never offered.
          }
          serverHasDraft.current = false;
        }
        if (cancelled) return;
        syncedJson.current = saved;
        setStatus('idle');
      }
      setReady(true);
    })();

    return () => {
      cancelled = true;
    };
  }, [enabled, accountId, editor, key]);

  // Save while typing. Paused while an offer waits for an answer, so the offer stays as it was.
  useEffect(() => {
    if (!enabled || !ready || offer || !accountId) return;
    if (currentJson === syncedJson.current) return;
    if (currentJson === baselineJson) {
      removeLocalDraft(accountId, editor, key);
      if (!serverHasDraft.current) {
        syncedJson.current = currentJson;
        cancelTimer();
        setStatus('idle');
        return;
      }
    } else {
      writeLocalDraft(accountId, editor, key, {
        data: latest.current.current,
        savedAt: new Date().toISOString(),
        pending: true,
      });
    }
    cancelTimer();
    timer.current = setTimeout(() => void sync(), debounceMs);
  }, [currentJson, baselineJson, enabled, ready, offer, accountId, editor, key, debounceMs, sync]);

  // Leaving the editor (or the page) sends what is still waiting for the debounce.
  useEffect(() => {
    if (!enabled) return;
    const onPageHide = () => {
      if (timer.current !== null) {
        cancelTimer();
        void sync({ keepalive: true });
      }
    };
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      if (timer.current !== null) {
        cancelTimer();
        void sync();
      }
    };
  }, [enabled, sync]);

  const restore = useCallback(() => {
    if (!offer) return;
    syncedJson.current = stableStringify(offer.data);
    onRestoreRef.current(offer.data);
    setOffer(null);
  }, [offer]);

  const discard = useCallback(async () => {
    cancelTimer();
    setOffer(null);
    const owner = latest.current.accountId;
    if (owner) removeLocalDraft(owner, editor, key);
    syncedJson.current = latest.current.baselineJson;
    setStatus('idle');
    setSavedAt(null);
    try {
      await deleteServerDraft(editor, key);
      serverHasDraft.current = false;
    } catch {
      // The server copy equals nothing the person wants; it is cleaned up on the next save.
    }
  }, [editor, key]);

  const clear = useCallback(async () => {
    cancelTimer();
    setOffer(null);
    const owner = latest.current.accountId;
    if (owner) removeLocalDraft(owner, editor, key);
    syncedJson.current = latest.current.currentJson;
    setStatus('idle');
    setSavedAt(null);
    try {
      await deleteServerDraft(editor, key);
      serverHasDraft.current = false;
    } catch {
      // A leftover equal to the saved values is never offered and is removed on the next visit.
    }
  }, [editor, key]);

  return { offer, restore, discard, clear, status, savedAt };
}
