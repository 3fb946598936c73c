import { describe, expect, it } from 'vitest';
import type { Db, Tx } from './database.ts';

function requiresTransaction(_tx: Tx): void {}

describe('transactions have their own type', () => {
  it('a plain database handle cannot be passed where a transaction is required (checked by the type-checker)', () => {
    const attempt = (db: Db, tx: Tx) => {
      // @ts-expect-error a plain handle is not a transaction: what must run inside one cannot be given the pool
      requiresTransaction(db);
      requiresTransaction(tx);
    };
    // The proof is the type-check stage of `npm test`: if Db became assignable to Tx, the
    // expect-error above would itself be an error.
    expect(attempt).toBeTypeOf('function');
  });
});
