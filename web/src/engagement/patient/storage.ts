/**
 * Where the patient's device keeps what it needs without a connection (R-PRG-2, R-ENG-2): its token
 * per programme, the last answer of the programme, and what was recorded but not yet sent.
 *
 * localStorage rather than IndexedDB: a write is synchronous and complete when `setItem` returns, so
 * an entry is on the phone before the page says it is; it is there in every browser (IndexedDB is
 * refused in some private modes); and the data is small (a few kilobytes: this week's plan and a
 * handful of queued entries), far below the quota. The functions take the store as a parameter so
 * the logic is tested without a browser.
 */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A store that forgets everything when the page closes: used where the browser refuses storage. */
export function memoryStore(): KeyValueStore & { keys(): string[] } {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
    keys: () => [...values.keys()],
  };
}

let fallback: KeyValueStore | null = null;

/** The browser's localStorage, or an in-memory store where storage is disabled. */
export function deviceStore(): KeyValueStore {
  try {
    const storage = window.localStorage;
    const probe = 'motus.patient.probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    fallback ??= memoryStore();
    return fallback;
  }
}

export function readJson<T>(store: KeyValueStore, key: string): T | null {
  try {
    const raw = store.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

/** False when the store refused the write (full or disabled). */
export function writeJson(store: KeyValueStore, key: string, value: unknown): boolean {
  try {
    store.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeKey(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(key);
  } catch {
    // Nothing to do.
  }
}
