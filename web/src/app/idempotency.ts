/**
 * Idempotency keys for requests that buy or remove licences (R-LIC-8). One key per dialog
 * submission: a repeat of the same request (a retry after a lost answer) carries the same key, so
 * the server charges at most once; a changed request gets a new key.
 */

/** A random key of 32 hex digits (also where crypto.randomUUID is unavailable, outside HTTPS). */
export function newIdempotencyKey(random: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(16);
  random(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface IdempotencyKeeper {
  /** The key for this request body: the same as last time when the body is the same. */
  keyFor(body: unknown): string;
  /** Forget the last key (after the request went through, or the dialog closed). */
  reset(): void;
}

export function idempotencyKeeper(make: () => string = () => newIdempotencyKey()): IdempotencyKeeper {
  let last: { body: string; key: string } | null = null;
  return {
    keyFor(body) {
      const text = JSON.stringify(body ?? null);
      if (last && last.body === text) return last.key;
      last = { body: text, key: make() };
      return last.key;
    },
    reset() {
      last = null;
    },
  };
}
