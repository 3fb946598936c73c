/**
 * What the patient recorded that the server has not confirmed yet (R-ENG-2: nothing recorded is
 * lost). Every entry, change, "undo" and message is written to the phone first (see storage.ts for
 * why localStorage), then sent in the order it was made: on page load, when the browser comes back
 * online, on a timer, and right after it is made. An item leaves the queue only when the server
 * answered 2xx, or with a refusal that can never succeed (a programme made read-only, R-ENG-3):
 * that one is kept aside and shown to the patient, never silently dropped. Sending twice is safe:
 * each entry and message carries the client id the phone made for it, and the server stores one
 * entry per client id however often it arrives.
 */
import { engagementContracts, type EntryInput, type EntryView, type MessageView } from '../../../../src/engagement/schemas.ts';
import { ApiError, call } from '../../app/api.ts';
import { readJson, removeKey, writeJson, type KeyValueStore } from './storage.ts';

export type EntryBody = Required<EntryInput>;

export type OutboxChange =
  | { kind: 'entry'; clientId: string; body: EntryBody; recordedAt: string }
  | { kind: 'unentry'; clientId: string; day: string }
  | { kind: 'message'; clientId: string; text: string };

export type OutboxOp = OutboxChange & { seq: number; queuedAt: string };

export interface FailedOp {
  op: OutboxOp;
  status: number;
  code: string;
  /** The server's own sentence. */
  message: string;
  at: string;
}

export interface OutboxState {
  ops: OutboxOp[];
  failed: FailedOp[];
  nextSeq: number;
}

const PREFIX = 'motus.patient.outbox.v1';

/** Keyed by programme code, so what waits survives a sign-out and goes once the programme is opened again. */
export function outboxKey(code: string): string {
  return `${PREFIX}:${code}`;
}

export function readOutbox(store: KeyValueStore, code: string): OutboxState {
  const saved = readJson<Partial<OutboxState>>(store, outboxKey(code));
  return {
    ops: Array.isArray(saved?.ops) ? saved.ops : [],
    failed: Array.isArray(saved?.failed) ? saved.failed : [],
    nextSeq: typeof saved?.nextSeq === 'number' ? saved.nextSeq : 1,
  };
}

/** The sequence keeps counting when the queue is empty, so a late answer never removes a newer item. */
function writeOutbox(store: KeyValueStore, code: string, state: OutboxState): boolean {
  return writeJson(store, outboxKey(code), state);
}

/**
 * Puts a change in the queue and answers the queued item (null when the phone refused to store it).
 * A change of an entry replaces whatever is still queued for the same client id (only its last
 * state matters, and it goes after everything queued before it); a message is queued once.
 */
export function enqueue(store: KeyValueStore, code: string, change: OutboxChange, now: Date): OutboxOp | null {
  const state = readOutbox(store, code);
  if (change.kind === 'message') {
    const queued = state.ops.find((op) => op.kind === 'message' && op.clientId === change.clientId);
    if (queued) return queued;
  }
  const op = { ...change, seq: state.nextSeq, queuedAt: now.toISOString() } as OutboxOp;
  const ops = change.kind === 'message' ? state.ops : state.ops.filter((o) => o.kind === 'message' || o.clientId !== change.clientId);
  const stored = writeOutbox(store, code, { ...state, ops: [...ops, op], nextSeq: state.nextSeq + 1 });
  return stored ? op : null;
}

/** Takes one item out of the queue: only that very item, not a newer change of the same entry. */
function removeOp(store: KeyValueStore, code: string, seq: number): void {
  const state = readOutbox(store, code);
  writeOutbox(store, code, { ...state, ops: state.ops.filter((o) => o.seq !== seq) });
}

function setAside(store: KeyValueStore, code: string, failed: FailedOp): void {
  const state = readOutbox(store, code);
  writeOutbox(store, code, { ...state, ops: state.ops.filter((o) => o.seq !== failed.op.seq), failed: [...state.failed, failed] });
}

/** The patient has read the notice of a change that could not be saved. */
export function dismissFailed(store: KeyValueStore, code: string, seq: number): void {
  const state = readOutbox(store, code);
  writeOutbox(store, code, { ...state, failed: state.failed.filter((f) => f.op.seq !== seq) });
}

/** Forgets everything queued for a programme (signing this device out on purpose). */
export function discardOutbox(store: KeyValueStore, code: string): void {
  removeKey(store, outboxKey(code));
}

/** What the server answered for a sent item: the stored entry or message; nothing for an undo. */
export type SentResult = { kind: 'entry'; entry: EntryView } | { kind: 'unentry' } | { kind: 'message'; message: MessageView };

export type Sender = (op: OutboxOp, token: string) => Promise<SentResult>;

/** Sends one queued item through its route (R-ENG-1, R-ENG-5) with the device's token. */
export const sendOp: Sender = async (op, token) => {
  const options = { bearer: token };
  if (op.kind === 'entry') {
    const { entry } = await call(engagementContracts.record, { params: { clientId: op.clientId }, body: op.body }, options);
    return { kind: 'entry', entry };
  }
  if (op.kind === 'unentry') {
    await call(engagementContracts.unrecord, { params: { clientId: op.clientId } }, options);
    return { kind: 'unentry' };
  }
  const { message } = await call(engagementContracts.patientSend, { params: { clientId: op.clientId }, body: { text: op.text } }, options);
  return { kind: 'message', message };
};

type Outcome = { kind: 'done' } | { kind: 'later'; signedOut: boolean } | { kind: 'never'; status: number; code: string; message: string };

/** Whether a refused item may succeed later (no connection, a busy or failing server, a signed-out device) or never. */
export function outcomeOf(error: unknown, op: OutboxOp): Outcome {
  if (!(error instanceof ApiError)) return { kind: 'later', signedOut: false };
  const { status } = error;
  // Taking back an entry the server never got (or already forgot) is done.
  if (op.kind === 'unentry' && status === 404) return { kind: 'done' };
  if (status === 401) return { kind: 'later', signedOut: true };
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return { kind: 'later', signedOut: false };
  return { kind: 'never', status, code: error.code, message: error.message };
}

export interface FlushResult {
  sent: number;
  failed: FailedOp[];
  remaining: number;
  /** Why sending stopped with items left: no connection or server trouble, or the device is signed out. */
  stopped: 'unreachable' | 'signed_out' | null;
}

export interface FlushOptions {
  store: KeyValueStore;
  code: string;
  token: string;
  send?: Sender;
  now?: () => Date;
  /** Hears each item the server took, with its answer, so the page can keep its copy of the programme current. */
  onSent?: (op: OutboxOp, result: SentResult | null) => void;
}

const running = new Map<string, { promise: Promise<FlushResult>; again: boolean }>();

/**
 * Sends the queue of one programme in order, one item at a time. Called while a send is under way,
 * it runs once more after it, so an item queued meanwhile is not left waiting for the timer.
 */
export function flushOutbox(options: FlushOptions): Promise<FlushResult> {
  const current = running.get(options.code);
  if (current) {
    current.again = true;
    return current.promise;
  }
  const slot = { promise: null as unknown as Promise<FlushResult>, again: false };
  slot.promise = (async () => {
    let result = await flushOnce(options);
    while (slot.again && result.stopped === null) {
      slot.again = false;
      const next = await flushOnce(options);
      result = { ...next, sent: result.sent + next.sent, failed: [...result.failed, ...next.failed] };
    }
    return result;
  })().finally(() => running.delete(options.code));
  running.set(options.code, slot);
  return slot.promise;
}

async function flushOnce({ store, code, token, send = sendOp, now = () => new Date(), onSent }: FlushOptions): Promise<FlushResult> {
  let sent = 0;
  const failed: FailedOp[] = [];
  const tried = new Set<number>();
  for (;;) {
    const op = readOutbox(store, code).ops[0];
    if (!op || tried.has(op.seq)) break;
    tried.add(op.seq);
    let result: SentResult | null = null;
    let outcome: Outcome;
    try {
      result = await send(op, token);
      outcome = { kind: 'done' };
    } catch (error) {
      outcome = outcomeOf(error, op);
    }
    if (outcome.kind === 'done') {
      removeOp(store, code, op.seq);
      sent += 1;
      onSent?.(op, result);
    } else if (outcome.kind === 'never') {
      const aside: FailedOp = { op, status: outcome.status, code: outcome.code, message: outcome.message, at: now().toISOString() };
      setAside(store, code, aside);
      failed.push(aside);
    } else {
      return { sent, failed, remaining: readOutbox(store, code).ops.length, stopped: outcome.signedOut ? 'signed_out' : 'unreachable' };
    }
  }
  return { sent, failed, remaining: readOutbox(store, code).ops.length, stopped: null };
}
