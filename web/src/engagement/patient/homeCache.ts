/**
 * The last answers of the server kept on the phone (R-ENG-2), so the programme opens without a
 * connection: the programme with this week's plan and entries, and the thread with the practice.
 * The service worker never stores /api answers; the page keeps these itself, per programme code.
 */
import type { MessageView, PatientHomeView } from '../../../../src/engagement/schemas.ts';
import type { OutboxOp, SentResult } from './outbox.ts';
import { readJson, removeKey, writeJson, type KeyValueStore } from './storage.ts';

const HOME = 'motus.patient.home.v1';
const MESSAGES = 'motus.patient.messages.v1';

export interface SavedHome {
  home: PatientHomeView;
  /** When the server gave it. */
  savedAt: string;
}

export function readHome(store: KeyValueStore, code: string): SavedHome | null {
  const saved = readJson<SavedHome>(store, `${HOME}:${code}`);
  return saved && saved.home && Array.isArray(saved.home.entries) ? saved : null;
}

export function saveHome(store: KeyValueStore, code: string, saved: SavedHome): void {
  writeJson(store, `${HOME}:${code}`, saved);
}

export function readMessages(store: KeyValueStore, code: string): MessageView[] {
  const saved = readJson<MessageView[]>(store, `${MESSAGES}:${code}`);
  return Array.isArray(saved) ? saved : [];
}

export function saveMessages(store: KeyValueStore, code: string, messages: MessageView[]): void {
  writeJson(store, `${MESSAGES}:${code}`, messages);
}

/** Drops what the phone shows of a programme (its plan and thread); the queue is the outbox's. */
export function forgetProgrammeCopy(store: KeyValueStore, code: string): void {
  removeKey(store, `${HOME}:${code}`);
  removeKey(store, `${MESSAGES}:${code}`);
}

/** The programme's copy after the server took a queued entry or undo: it now holds what was sent. */
export function applySentToHome(home: PatientHomeView, op: OutboxOp, result: SentResult | null): PatientHomeView {
  if (op.kind === 'entry' && result?.kind === 'entry') {
    const entries = home.entries.filter((e) => e.clientId !== op.clientId);
    return { ...home, entries: [...entries, result.entry] };
  }
  if (op.kind === 'unentry') return { ...home, entries: home.entries.filter((e) => e.clientId !== op.clientId) };
  return home;
}

/** The thread after the server took a message: its copy replaces the queued one. */
export function applySentToMessages(messages: MessageView[], result: SentResult | null): MessageView[] {
  if (result?.kind !== 'message') return messages;
  return [...messages.filter((m) => m.clientId !== result.message.clientId), result.message].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}
