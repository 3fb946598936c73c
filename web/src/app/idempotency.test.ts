import { describe, expect, it } from 'vitest';
import { idempotencyKeeper, newIdempotencyKey } from './idempotency.ts';

describe('idempotency keys', () => {
  it('are 32 hex digits the server accepts', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });

  it('repeat for the same request and change with it', () => {
    let n = 0;
    const keeper = idempotencyKeeper(() => `key-${++n}`);
    expect(keeper.keyFor({ name: 'Jane', confirmedChargeMinor: 900 })).toBe('key-1');
    expect(keeper.keyFor({ name: 'Jane', confirmedChargeMinor: 900 })).toBe('key-1');
    expect(keeper.keyFor({ name: 'Jane', confirmedChargeMinor: 950 })).toBe('key-2');
    keeper.reset();
    expect(keeper.keyFor({ name: 'Jane', confirmedChargeMinor: 950 })).toBe('key-3');
  });
});
