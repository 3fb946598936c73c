/**
 * The programme on the patient's device (R-ENG-1, R-ENG-2): what the server last said (kept on the
 * phone), laid over with what was recorded here and not yet sent, and the sending of it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MessageView, PatientHomeView } from '../../../../src/engagement/schemas.ts';
import type { PatientProgrammeView } from '../../../../src/programmes/schemas.ts';
import type { ApiError } from '../../app/api.ts';
import { touchDevice, type StoredDevice } from './devices.ts';
import { applySentToHome, applySentToMessages, readHome, readMessages, saveHome, saveMessages } from './homeCache.ts';
import { newClientId } from './ids.ts';
import { dismissFailed, enqueue, flushOutbox, readOutbox, type EntryBody, type OutboxOp } from './outbox.ts';
import { isSignedOut, isUnreachable, patientApi } from './patientApi.ts';
import { localDay, mergeEntries, planWeek, weekFor, type LocalEntry } from './plan.ts';
import { keepPictures } from './serviceWorker.ts';
import type { KeyValueStore } from './storage.ts';

/** How often what waits on the phone is tried again while the page is open. */
const RETRY_MS = 30_000;

export type SyncState = 'idle' | 'pending' | 'sent';

/** What the page shows before the first answer of a programme just opened with its code. */
function provisionalHome(programme: PatientProgrammeView, today: string): PatientHomeView {
  return {
    programme,
    canRecord: !programme.readOnly,
    today,
    week: planWeek(programme, today),
    entries: [],
    reminder: null,
    unreadMessages: 0,
    practice: { name: programme.practitioner.practice, logoUrl: null },
  };
}

export interface EntryValues {
  setsDone: number | null;
  pain: number | null;
  difficulty: EntryBody['difficulty'];
  comment: string | null;
}

export function useProgramme(store: KeyValueStore, device: StoredDevice, opened: PatientProgrammeView | null, onSignedOut: () => void) {
  const { code, token } = device;
  const [today, setToday] = useState(() => localDay(new Date()));
  /** The last change could not be kept on this phone (its storage is full or refused): said, never silent. */
  const [notKept, setNotKept] = useState(false);
  const [saved, setSaved] = useState(() => readHome(store, code));
  const [home, setHome] = useState<PatientHomeView | null>(() => saved?.home ?? (opened ? provisionalHome(opened, today) : null));
  const [fresh, setFresh] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [outboxVersion, setOutboxVersion] = useState(0);
  const [sentSomething, setSentSomething] = useState(false);
  const [messages, setMessages] = useState<MessageView[]>(() => readMessages(store, code));
  const [messagesLoaded, setMessagesLoaded] = useState(false);
  const signedOutRef = useRef(onSignedOut);
  signedOutRef.current = onSignedOut;

  const outbox = useMemo(() => {
    void outboxVersion;
    return readOutbox(store, code);
  }, [store, code, outboxVersion]);

  const signedOut = useCallback(() => signedOutRef.current(), []);

  const keepHome = useCallback(
    (next: PatientHomeView) => {
      const copy = { home: next, savedAt: new Date().toISOString() };
      saveHome(store, code, copy);
      setSaved(copy);
      setHome(next);
    },
    [store, code],
  );

  const refresh = useCallback(async () => {
    const day = localDay(new Date());
    setToday(day);
    try {
      const answer = await patientApi.home(token, day);
      keepHome(answer);
      keepPictures(answer.programme.items.map((item) => item.exercise?.illustrationUrl));
      setFresh(true);
      setUnreachable(false);
      setLoadError(null);
      touchDevice(store, code, new Date(), { title: answer.programme.title, firstName: answer.programme.patientFirstName });
    } catch (error) {
      if (isSignedOut(error)) return signedOut();
      if (isUnreachable(error)) setUnreachable(true);
      else setLoadError(error as ApiError);
    }
  }, [token, store, code, keepHome, signedOut]);

  const onSent = useCallback(
    (op: OutboxOp, result: Parameters<typeof applySentToHome>[2]) => {
      if (op.kind === 'message') {
        const thread = applySentToMessages(readMessages(store, code), result);
        saveMessages(store, code, thread);
        setMessages(thread);
        return;
      }
      const current = readHome(store, code);
      if (current) {
        const next = applySentToHome(current.home, op, result);
        saveHome(store, code, { ...current, home: next });
        setSaved({ ...current, home: next });
        setHome(next);
      }
    },
    [store, code],
  );

  const flush = useCallback(async () => {
    if (readOutbox(store, code).ops.length === 0) return;
    const result = await flushOutbox({ store, code, token, onSent });
    setOutboxVersion((v) => v + 1);
    if (result.sent > 0) setSentSomething(true);
    if (result.stopped === 'signed_out') return signedOut();
    setUnreachable(result.stopped === 'unreachable');
  }, [store, code, token, onSent, signedOut]);

  // On opening: send what waits, then ask for the programme (so its answer holds what was sent).
  useEffect(() => {
    void flush().then(refresh);
  }, [flush, refresh]);

  // Back online, back to the page, a new day, and a timer while something waits.
  useEffect(() => {
    const online = () => void flush().then(refresh);
    const visible = () => {
      if (document.visibilityState === 'visible') online();
    };
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    const tick = window.setInterval(() => {
      const day = localDay(new Date());
      setToday((previous) => {
        if (previous !== day) void refresh();
        return day;
      });
      if (readOutbox(store, code).ops.length > 0) void flush();
    }, RETRY_MS);
    return () => {
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
      window.clearInterval(tick);
    };
  }, [flush, refresh, store, code]);

  const change = useCallback(
    (op: Parameters<typeof enqueue>[2]) => {
      const queued = enqueue(store, code, op, new Date());
      setNotKept(queued === null);
      setOutboxVersion((v) => v + 1);
      void flush();
      return queued !== null;
    },
    [store, code, flush],
  );

  /** Records an exercise (itemIndex) or the whole session (null) today, or changes an entry of today. */
  const record = useCallback(
    (itemIndex: number | null, values: EntryValues, existing?: LocalEntry) => {
      const clientId = existing?.clientId ?? newClientId();
      const day = existing?.day ?? localDay(new Date());
      const comment = values.comment?.trim() ? values.comment.trim().slice(0, 1000) : null;
      const ok = change({ kind: 'entry', clientId, body: { day, itemIndex, setsDone: values.setsDone, pain: values.pain, difficulty: values.difficulty, comment }, recordedAt: existing?.recordedAt ?? new Date().toISOString() });
      return ok ? clientId : null;
    },
    [change],
  );

  const undo = useCallback((entry: LocalEntry) => change({ kind: 'unentry', clientId: entry.clientId, day: entry.day }), [change]);

  const sendMessage = useCallback((text: string) => change({ kind: 'message', clientId: newClientId(), text: text.trim().slice(0, 2000) }), [change]);

  const loadMessages = useCallback(async () => {
    try {
      const { messages: thread } = await patientApi.messages(token);
      saveMessages(store, code, thread);
      setMessages(thread);
      setMessagesLoaded(true);
      setHome((h) => (h ? { ...h, unreadMessages: 0 } : h));
    } catch (error) {
      if (isSignedOut(error)) return signedOut();
      setMessagesLoaded(false);
      if (isUnreachable(error)) setUnreachable(true);
      throw error;
    }
  }, [token, store, code, signedOut]);

  const dismiss = useCallback(
    (seq: number) => {
      dismissFailed(store, code, seq);
      setOutboxVersion((v) => v + 1);
    },
    [store, code],
  );

  const entries = useMemo(() => mergeEntries(home?.entries ?? [], outbox.ops), [home, outbox]);
  const week = useMemo(() => (home ? weekFor(home, today) : []), [home, today]);
  const waiting = outbox.ops.filter((op) => op.kind !== 'message').length;
  const waitingMessages = outbox.ops.filter((op): op is Extract<OutboxOp, { kind: 'message' }> => op.kind === 'message');
  const sync: SyncState = outbox.ops.length > 0 ? 'pending' : sentSomething ? 'sent' : 'idle';

  return {
    home,
    /** When the shown programme was last given by the server (null before the first answer). */
    savedAt: saved?.savedAt ?? null,
    fresh,
    unreachable,
    loadError,
    today,
    week,
    entries,
    waiting,
    waitingMessages,
    failed: outbox.failed,
    notKept,
    sync,
    messages,
    messagesLoaded,
    record,
    undo,
    sendMessage,
    loadMessages,
    dismiss,
    refresh,
    keepHome,
  };
}

export type ProgrammeState = ReturnType<typeof useProgramme>;
