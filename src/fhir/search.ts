/**
 * FHIR search parameters (R-INT-5), read without I/O: dates with their prefixes, identifiers,
 * references and tokens, and the page cursor. Every value that cannot be read is a 400 naming its
 * parameter; a well-formed value that can name nothing here (another system, an id that is no
 * Motus id) matches nothing, as FHIR search expects.
 */
import { ValidationError } from '../platform/errors.ts';

/** A search parameter as Fastify hands it over: repeated parameters arrive as an array. */
export type RawParam = string | string[] | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function bad(name: string, message: string): ValidationError {
  return ValidationError.field(`query.${name}`, 'invalid_search_value', message);
}

/** The values of a parameter that may be repeated (each repeat narrows the search: AND). */
function values(name: string, raw: RawParam, max: number): string[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > max) throw bad(name, `Give ${name} at most ${max} times.`);
  return list;
}

/** The value of a parameter given once, split at commas into alternatives (OR). */
function alternatives(name: string, raw: RawParam, max = 20): string[] | null {
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw bad(name, `Give ${name} once; separate alternatives with commas.`);
  const parts = raw.split(',');
  if (parts.length > max) throw bad(name, `Give at most ${max} alternatives for ${name}.`);
  if (parts.some((p) => p.trim() === '')) throw bad(name, `${name} has an empty alternative.`);
  return parts.map((p) => p.trim());
}

type Prefix = 'eq' | 'ge' | 'gt' | 'le' | 'lt';
const PREFIXES: readonly Prefix[] = ['eq', 'ge', 'gt', 'le', 'lt'];

function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const head = value.slice(0, 2) as Prefix;
  return PREFIXES.includes(head) ? { prefix: head, rest: value.slice(2) } : { prefix: 'eq', rest: value };
}

/** Times from `from` (included) to `before` (excluded); null is open. */
export interface TimeWindow {
  from: Date | null;
  before: Date | null;
}

const INSTANT = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The span a FHIR date or dateTime names, at its own precision: "2026" is the whole year,
 * "2026-12-02T10:15Z" that minute. A date or time without a zone is read in UTC.
 */
export function spanOf(name: string, value: string): { start: Date; end: Date } {
  const m = INSTANT.exec(value);
  if (!m) throw bad(name, `${name}: "${value.slice(0, 40)}" is not a FHIR date such as 2026-12-02 or 2026-12-02T10:15:00Z.`);
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const milli = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  const check = new Date(local);
  const real =
    year >= 1 &&
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  let offset = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (zh > 14 || zm > 59) throw bad(name, `${name}: "${zone}" is not a time zone offset.`);
    offset = sign * (zh * 60 + zm) * 60_000;
  }
  if (!real) throw bad(name, `${name}: "${value.slice(0, 40)}" is not a real date.`);
  const start = local - offset;
  let end: number;
  if (mo === undefined) end = Date.UTC(year + 1, 0, 1) - offset;
  else if (d === undefined) end = Date.UTC(year, month, 1) - offset;
  else if (h === undefined) end = start + 24 * 3_600_000;
  else if (s === undefined) end = start + 60_000;
  else if (ms === undefined) end = start + 1000;
  else end = start + 1;
  return { start: new Date(start), end: new Date(end) };
}

function narrow(w: TimeWindow, from: Date | null, before: Date | null): TimeWindow {
  return {
    from: from && (!w.from || from > w.from) ? from : w.from,
    before: before && (!w.before || before < w.before) ? before : w.before,
  };
}

/**
 * `_lastUpdated` (repeatable): each value with its prefix narrows the window, e.g.
 * `_lastUpdated=ge2026-12-01&_lastUpdated=lt2026-12-08`. `gt2026-12-01` is after that whole day.
 */
export function timeWindow(name: string, raw: RawParam): TimeWindow {
  let w: TimeWindow = { from: null, before: null };
  for (const value of values(name, raw, 4)) {
    const { prefix, rest } = splitPrefix(value);
    const { start, end } = spanOf(name, rest);
    if (prefix === 'eq') w = narrow(w, start, end);
    else if (prefix === 'ge') w = narrow(w, start, null);
    else if (prefix === 'gt') w = narrow(w, end, null);
    else if (prefix === 'lt') w = narrow(w, null, start);
    else w = narrow(w, null, end);
  }
  return w;
}

/** Calendar days from `from` to `to`, both included; null is open. */
export interface DayWindow {
  from: string | null;
  to: string | null;
}

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `date` of an Observation (repeatable): the day the patient recorded it for. Only dates are taken
 * (a year, a month or a day): a patient's entry belongs to a calendar day, not to an instant.
 */
export function dayWindow(name: string, raw: RawParam): DayWindow {
  let w: DayWindow = { from: null, to: null };
  for (const value of values(name, raw, 4)) {
    const { prefix, rest } = splitPrefix(value);
    if (!DATE_ONLY.test(rest)) throw bad(name, `${name}: "${value.slice(0, 40)}" is not a date such as 2026, 2026-12 or 2026-12-02 (entries are recorded per day).`);
    const { start, end } = spanOf(name, rest);
    const first = dayOf(start.getTime());
    const last = dayOf(end.getTime() - 1);
    const after = dayOf(end.getTime());
    const before = dayOf(start.getTime() - 1);
    const from = prefix === 'eq' || prefix === 'ge' ? first : prefix === 'gt' ? after : null;
    const to = prefix === 'eq' || prefix === 'le' ? last : prefix === 'lt' ? before : null;
    w = { from: from && (!w.from || from > w.from) ? from : w.from, to: to && (!w.to || to < w.to) ? to : w.to };
  }
  return w;
}

/**
 * `patient` (or a reference of the same kind): `Patient/<id>` or a bare id, with alternatives
 * separated by commas. Null when the parameter is absent; ids that are no Motus id match nothing.
 */
export function referenceIds(name: string, raw: RawParam, type: string): string[] | null {
  const list = alternatives(name, raw);
  if (!list) return null;
  return list
    .map((v) => {
      const slash = v.lastIndexOf('/');
      if (slash < 0) return v;
      const prefix = v.slice(0, slash);
      if (prefix !== type && !prefix.endsWith(`/${type}`)) throw bad(name, `${name} takes a ${type} reference, such as ${type}/<id>.`);
      return v.slice(slash + 1);
    })
    .filter(isUuid)
    .map((id) => id.toLowerCase());
}

/** One `system|value` of a token parameter: a null system matches any system, a null value any value. */
export interface Token {
  system: string | null;
  /** The system was given as empty (`|value`): only values without a system match. */
  noSystem: boolean;
  value: string | null;
}

/** A token parameter (`identifier`, `code`): `value`, `system|value`, `|value` or `system|`, comma-separated alternatives. */
export function tokens(name: string, raw: RawParam): Token[] | null {
  const list = alternatives(name, raw);
  if (!list) return null;
  return list.map((v) => {
    const bar = v.indexOf('|');
    if (bar < 0) return { system: null, noSystem: false, value: v };
    const system = v.slice(0, bar);
    const value = v.slice(bar + 1);
    if (system === '' && value === '') throw bad(name, `${name}: "|" alone names nothing.`);
    return { system: system === '' ? null : system, noSystem: system === '', value: value === '' ? null : value };
  });
}

/**
 * The opaque place of a page: the last row's change time and key, base64url JSON. The time is
 * PostgreSQL's own text of it (microseconds), so that no row is skipped or repeated where a
 * JavaScript date would round it to milliseconds.
 */
export interface Place {
  at: string;
  key: string;
}

const PLACE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export function encodeCursor(place: Place): string {
  return Buffer.from(JSON.stringify({ u: place.at, k: place.key }), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | undefined): Place | null {
  if (raw === undefined) return null;
  const wrong = () => ValidationError.field('query.cursor', 'invalid_cursor', 'This cursor is not one Motus gave out: start again without it.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw wrong();
  }
  if (!value || typeof value !== 'object') throw wrong();
  const { u, k } = value as { u?: unknown; k?: unknown };
  if (typeof u !== 'string' || typeof k !== 'string' || k.length > 100 || !/^[A-Za-z0-9.-]+$/.test(k)) throw wrong();
  if (!PLACE_TIME.test(u) || Number.isNaN(new Date(u).getTime())) throw wrong();
  return { at: u, key: k };
}
