import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';

/** argon2id in @node-rs/argon2's Algorithm enumeration. */
const ARGON2ID = 2;
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldIssue } from '../platform/errors.ts';

export interface Argon2Settings {
  memoryKiB: number;
  timeCost: number;
  /** At most this many hashes at once in this process, so that hashing never takes every core. */
  concurrency?: number;
}

/**
 * argon2id hashing (R-ACC-2), run on libuv's thread pool so the event loop keeps serving. Unknown
 * accounts are verified against a decoy hash so that a wrong email costs the same time as a wrong
 * password (R-SES-5).
 */
export class PasswordHasher {
  #decoy: Promise<string>;
  readonly settings: Argon2Settings;
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(settings: Argon2Settings) {
    this.settings = settings;
    // One core stays free for the event loop (and the database), so that a burst of sign-ins does
    // not stall every other request behind the hashing.
    this.#limit = Math.max(1, settings.concurrency ?? os.availableParallelism() - 1);
    this.#decoy = this.hash('decoy password that matches nothing');
  }

  async #slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }

  hash(password: string): Promise<string> {
    return this.#slot(() =>
      hash(password, {
        algorithm: ARGON2ID,
        memoryCost: this.settings.memoryKiB,
        timeCost: this.settings.timeCost,
        parallelism: 1,
      }),
    );
  }

  async verify(stored: string | null, password: string): Promise<boolean> {
    const target = stored ?? (await this.#decoy);
    try {
      const ok = await this.#slot(() => verify(target, password));
      return ok && stored !== null;
    } catch {
      return false;
    }
  }
}

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** R-ACC-2 beyond length: not a common password, not the person's own name or email. */
export function passwordProblem(password: string, person: { email?: string; name?: string }, path = 'body.password'): FieldIssue | null {
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return { path, code: 'password_common', message: 'This password is too common. Choose one that is hard to guess.' };
  }
  if (new Set(lower).size < 4) {
    return { path, code: 'password_repetitive', message: 'Use more different characters.' };
  }
  const local = person.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) {
    return { path, code: 'password_personal', message: 'Do not use your email address in your password.' };
  }
  const compactName = person.name?.toLowerCase().replace(/\s+/g, '');
  if (compactName && compactName.length >= 4 && lower.replace(/\s+/g, '').includes(compactName)) {
    return { path, code: 'password_personal', message: 'Do not use your name in your password.' };
  }
  return null;
}
