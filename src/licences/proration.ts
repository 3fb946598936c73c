/**
 * R-LIC-4: billing periods are calendar months in the organisation's billing time zone. A licence
 * added on day d of a month of D days adds price × (D − d + 1) / D; one removed on day d credits the
 * same. Amounts are integer minor units, rounded half-up per line. Pure functions, no I/O.
 */

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date at `instant` in `timeZone` (an IANA name such as "Europe/Berlin"). */
/** One formatter per time zone: building one costs far more than using it. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

export function localDateIn(instant: Date, timeZone: string): LocalDate {
  let format = dayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

export function formatLocalDate(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * quantity × round(price × (D − d + 1) / D), half-up, in exact integer arithmetic (no floating point).
 * Each licence is rounded on its own, so that licences added and removed on the same day net to
 * zero however they are grouped (three bought together, removed one by one).
 */
export function proratedAmount(unitPriceMinor: number, quantity: number, date: LocalDate): number {
  if (!Number.isSafeInteger(unitPriceMinor) || unitPriceMinor < 0) throw new RangeError('price must be a non-negative integer');
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError('quantity must be a non-negative integer');
  const D = daysInMonth(date.year, date.month);
  if (date.day < 1 || date.day > D) throw new RangeError('day outside its month');
  const numerator = BigInt(unitPriceMinor) * BigInt(D - date.day + 1);
  const denominator = BigInt(D);
  // Half-up for non-negative values: floor((2n + D) / 2D).
  return Number(((2n * numerator + denominator) / (2n * denominator)) * BigInt(quantity));
}

export interface ProratedLine {
  kind: 'charge' | 'credit';
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  localDate: string;
  daysInMonth: number;
  /** Days from the date to the end of its month, inclusive: D − d + 1. */
  daysCharged: number;
}

export function prorate(kind: 'charge' | 'credit', unitPriceMinor: number, quantity: number, date: LocalDate): ProratedLine {
  const D = daysInMonth(date.year, date.month);
  return {
    kind,
    quantity,
    unitPriceMinor,
    amountMinor: proratedAmount(unitPriceMinor, quantity, date),
    localDate: formatLocalDate(date),
    daysInMonth: D,
    daysCharged: D - date.day + 1,
  };
}
