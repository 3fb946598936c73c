/** R-LIC-1/3: the licence pool's arithmetic. Pure; the database enforces the same invariant. */
export interface Pool {
  purchased: number;
  assigned: number;
  reserved: number;
}

export function freeLicences(p: Pool): number {
  return p.purchased - p.assigned - p.reserved;
}

/** How many licences must be bought so that `wanted` more can be assigned or reserved. */
export function licencesToBuy(p: Pool, wanted: number): number {
  return Math.max(0, wanted - freeLicences(p));
}

/** R-LIC-3: the purchased count never drops below assigned + reserved. */
export function canRemoveLicences(p: Pool, quantity: number): boolean {
  return quantity > 0 && p.purchased - quantity >= p.assigned + p.reserved;
}

export function monthlyTotalMinor(p: Pool, unitPriceMinor: number): number {
  return p.purchased * unitPriceMinor;
}
