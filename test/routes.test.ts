import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceAccessDeclarations, MissingAccessDeclarationError, routeRecords, type RouteRecord } from '../src/platform/http/access.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { Client, GOOD_PASSWORD, uniqueEmail } from './support/client.ts';

// SPEC §12 "What bad input gets" and ENGINEERING §3: every registered route is walked with bad
// input, signed in and (where the route is public) signed out. Whatever is sent, the answer is a 4xx
// with the one error body shape, never a 5xx and never a stack trace.

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** SPEC §3 and R-ORG-3: who may call a route. Organisation routes name the membership or console section they need. */
const ACCESS_KINDS = [
  'public',
  'optionalSession',
  'signedIn',
  'endedSession',
  'operator',
  'subscriber',
  'practitioner',
  'patientDevice',
  ...['patients.read', 'patients.write', 'programmes.assign', 'engagement.read', 'console.read'].map((scope) => `apiKey:${scope}`),
  ...['member', 'practitioner', 'owner', 'users', 'sharing', 'defaults', 'security', 'import', 'audit'].map((need) => `org:${need}`),
];
/** Routes anybody may call: signed in or not. */
const isOpen = (access: string) => access === 'public' || access === 'optionalSession';
const LONG = 'x'.repeat(20_000);
/** Stands for an array nested 10,000 levels deep, put into the JSON text as it is sent. */
const DEEP = '<deeply nested array>';
const DEEP_JSON = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const STACK_TRACE = [/\bat [^\n"]*\.(?:ts|js|mjs|cjs):\d+/, /\.ts:\d+/];

/** Valid bodies, so that "valid except for one unknown field" can be sent too. */
const VALID_BODIES: Record<string, () => unknown> = {
  'POST /api/auth/sign-up': () => ({ email: uniqueEmail('walk'), password: GOOD_PASSWORD, name: 'Walk Person' }),
  'POST /api/auth/sign-in': () => ({ email: uniqueEmail('nobody'), password: GOOD_PASSWORD }),
  'POST /api/auth/verify-email': () => ({ token: 'a'.repeat(43) }),
  'POST /api/auth/forgot-password': () => ({ email: uniqueEmail('nobody') }),
  'POST /api/auth/reset-password': () => ({ token: 'a'.repeat(43), password: GOOD_PASSWORD }),
  'POST /api/account/password': () => ({ currentPassword: 'not the current password', newPassword: 'another long passphrase here' }),
  'PATCH /api/account': () => ({ name: 'Walk Person' }),
  'PUT /api/drafts/:editor/:key': () => ({ data: { field: 'value' } }),
};

/** Valid path parameter values (orgId: the walker's own organisation); any other gets a fresh UUID. */
const VALID_PARAMS: Record<string, string> = { editor: 'walk', key: 'k1' };
const BAD_PARAMS = ['Not%20valid!', 'x'.repeat(150), '%00', 'caf%C3%A9'];
/**
 * Parameters checked by the access declaration itself, before validation: an organisation id that is
 * malformed is "not found", exactly like another organisation's (SPEC §12).
 */
const ACCESS_PARAMS = new Set(['orgId']);

function typesOf(schema: JsonSchema | undefined, out = new Set<string>()): Set<string> {
  if (!schema) return out;
  if (typeof schema.type === 'string') out.add(schema.type);
  else if (Array.isArray(schema.type)) for (const type of schema.type) out.add(type);
  for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) typesOf(sub, out);
  return out;
}

function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> | undefined {
  if (!schema) return undefined;
  if (schema.properties) return schema.properties;
  for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    const found = propertiesOf(sub);
    if (found) return found;
  }
  return undefined;
}

function isStrict(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.properties) return schema.additionalProperties === false;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isStrict);
}

/** Every field of a body schema, nested ones included, with its path. */
function fieldsOf(schema: JsonSchema | undefined, prefix: string[] = []): { path: string[]; schema: JsonSchema }[] {
  return Object.entries(propertiesOf(schema) ?? {}).flatMap(([name, sub]) => [{ path: [...prefix, name], schema: sub }, ...fieldsOf(sub, [...prefix, name])]);
}

const CANDIDATES: [string, unknown][] = [
  ['number', 12345],
  ['object', {}],
  ['array', ['x']],
  ['boolean', true],
  ['string', 'text'],
];

/** Values whose JSON type the field does not accept. */
function wrongValues(schema: JsonSchema): unknown[] {
  const types = typesOf(schema);
  if (types.size === 0) return [];
  return CANDIDATES.filter(([type]) => !types.has(type) && !(type === 'number' && types.has('integer'))).map(([, value]) => value);
}

function nest(pathParts: string[], value: unknown): unknown {
  return pathParts.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** A patient, a programme, and a device that opened it (R-PRG-2): answers the device's token. */
async function openProgrammeOnDevice(c: Client): Promise<string> {
  const exercise = (await c.get('/api/exercises?source=stock&limit=1')).json().exercises[0].id as string;
  const patient = (await c.post('/api/patients', { firstName: 'Walk', lastName: 'Patient', yearOfBirth: 1960 })).json().patient.id as string;
  const assigned = await c.post(`/api/patients/${patient}/programmes`, { title: 'Walk', startDate: '2026-01-01', trackPain: true, items: [{ exerciseId: exercise }] });
  const opened = await t.app.inject({ method: 'POST', url: '/api/programme-view', payload: { code: assigned.json().programme.code, yearOfBirth: 1960 } });
  return opened.json().deviceToken as string;
}

function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

function withParams(url: string, values: Record<string, string> = {}): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => values[name] ?? VALID_PARAMS[name] ?? randomUUID());
}

interface Expectation {
  status: number[];
  code?: string;
  /** Field paths that must each be named in error.details. */
  paths?: string[];
  /** Every detail must be at one of `paths` (nothing else was wrong). */
  only?: boolean;
}

interface Probe {
  what: string;
  method: string;
  url: string;
  signedIn: boolean;
  payload?: string | Buffer;
  contentType?: string;
  expect: Expectation;
}

let t: TestApp;
let walker: Client;
let deviceToken = '';
/** The walker's API keys (R-INT-3): a practitioner key with every scope, and its organisation's console key. */
let practitionerKey = '';
let organisationKey = '';
let spec: OpenApi;
let routes: RouteRecord[];
let webDir: string;
const problems: string[] = [];
let probes = 0;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motus-web-'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><head><title>Motus</title></head><body><div id="root"></div></body></html>');
  t = await createTestApp({ config: { webDir } });
  walker = new Client(t.app, { userAgent: 'route-walk' });
  const { account } = await walker.signUp();
  // The walker may call operator routes too, and owns an organisation, so that the input of those
  // routes is walked like any other.
  await t.database.db.updateTable('accounts').set({ is_operator: true, email_verified_at: t.clock.now() }).where('id', '=', account.id).execute();
  const org = await walker.post('/api/organisations', { name: 'Walk Practice' });
  if (org.statusCode === 201) VALID_PARAMS.orgId = (org.json() as { organisation: { id: string } }).organisation.id;
  // … and holds an individual subscription, so that the subscription routes look at their input too.
  await walker.post('/api/me/subscription/trial');
  // … and holds a device token of a patient's programme, so that the patient's routes are walked too.
  deviceToken = await openProgrammeOnDevice(walker);
  // … and holds API keys, so that the routes called with a key look at their input too.
  practitionerKey = (await walker.post('/api/me/api-keys', { name: 'Walk PMS', scopes: ['patients.read', 'patients.write', 'programmes.assign', 'engagement.read'], expiresAt: null, organisationId: null })).json().token;
  organisationKey = (await walker.post(`/api/organisations/${VALID_PARAMS.orgId}/api-keys`, { name: 'Walk reporting', expiresAt: null })).json().token;
  spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi;
  routes = (routeRecords.get(t.app) ?? []).filter((r) => !r.url.startsWith('/api/docs') && r.url !== '/' && r.url !== '/*');
});

afterAll(async () => {
  await t?.close();
  if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
});

function operationOf(route: RouteRecord): Operation | undefined {
  return spec.paths[openApiPath(route.url)]?.[route.method.toLowerCase()];
}

function bodySchemaOf(route: RouteRecord): JsonSchema | undefined {
  return operationOf(route)?.requestBody?.content?.['application/json']?.schema;
}

async function send(probe: Probe): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'user-agent': 'route-walk' };
  if (probe.signedIn) {
    // A route called with an API key gets the key; the organisation's console key for the console's.
    const keyed = probe.url.startsWith('/api/v1/') || probe.url.startsWith('/fhir/');
    headers.authorization = `Bearer ${!keyed ? deviceToken : probe.url.startsWith('/api/v1/organisation') ? organisationKey : practitionerKey}`;
    headers.cookie = walker.cookie!;
    if (probe.method !== 'GET') headers['x-csrf-token'] = walker.csrfToken!;
  }
  if (probe.contentType) headers['content-type'] = probe.contentType;
  return t.app.inject({
    method: probe.method as 'GET',
    url: probe.url,
    headers,
    ...(probe.payload !== undefined ? { payload: probe.payload } : {}),
  });
}

/** Sends one probe and writes down everything about the answer that breaks SPEC §12. */
async function check(probe: Probe): Promise<void> {
  probes += 1;
  const res = await send(probe);
  const label = `${probe.method} ${probe.url.slice(0, 80)} (${probe.signedIn ? 'signed in' : 'signed out'}; ${probe.what})`;
  const body = res.body;
  const fail = (why: string) => problems.push(`${label}: ${why} — ${res.statusCode} ${body.slice(0, 300)}`);
  if (res.statusCode >= 500) fail('server error');
  else if (!probe.expect.status.includes(res.statusCode)) fail(`expected ${probe.expect.status.join(' or ')}`);
  if (STACK_TRACE.some((re) => re.test(body))) fail('stack trace in the answer');
  if (body.includes(LONG.slice(0, 1000))) fail('the answer echoes the input');
  if (res.statusCode < 400) return;

  let json: { error?: { code?: unknown; message?: unknown; details?: unknown }; requestId?: unknown };
  try {
    json = res.json();
  } catch {
    return void fail('error body is not JSON');
  }
  if (probe.url.startsWith('/fhir/')) {
    // The FHIR interface answers errors as OperationOutcomes (R-INT-5): its Motus code, message
    // and the fields each issue names are read back and held to the same rules.
    if (!String(res.headers['content-type']).startsWith('application/fhir+json')) fail('FHIR error body is not labelled application/fhir+json');
    const oo = json as { resourceType?: unknown; id?: unknown; issue?: Array<{ details?: { coding?: Array<{ code?: unknown }>; text?: unknown }; diagnostics?: unknown }> };
    if (oo.resourceType !== 'OperationOutcome' || !Array.isArray(oo.issue) || oo.issue.length === 0) return void fail('FHIR error is not an OperationOutcome');
    const code = oo.issue[0]!.details?.coding?.[0]?.code;
    const details = code === 'validation_failed' ? oo.issue.map((i) => ({ path: String(i.diagnostics ?? '').split(': ')[0] })) : undefined;
    json = { error: { code, message: oo.issue[0]!.details?.text, ...(details ? { details } : {}) }, requestId: oo.id };
  } else if (!String(res.headers['content-type']).startsWith('application/json')) fail('error body is not labelled JSON');
  const keys = Object.keys(json ?? {}).sort().join(',');
  if (keys !== 'error,requestId') return void fail(`error body has keys ${keys}, expected error,requestId`);
  const error = json.error ?? {};
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k));
  if (typeof error.code !== 'string' || !/^[a-z_]+$/.test(error.code)) fail('error.code is not a machine-readable code');
  if (typeof error.message !== 'string' || error.message.length === 0) fail('error.message is missing');
  if (typeof json.requestId !== 'string' || json.requestId.length === 0) fail('requestId is missing');
  if (extra.length > 0) fail(`error has unexpected keys ${extra.join(',')}`);
  if (probe.expect.code && error.code !== probe.expect.code) fail(`expected code ${probe.expect.code}`);
  if (probe.expect.paths) {
    if (error.code !== 'validation_failed' || !Array.isArray(error.details)) return void fail('expected validation_failed with details');
    // A detail names a field when it is at the field or inside it ("body.sections.0").
    const named = (error.details as { path?: unknown }[]).map((d) => String(d.path));
    const covers = (detail: string, field: string) => detail === field || detail.startsWith(`${field}.`);
    const missing = probe.expect.paths.filter((p) => !named.some((n) => covers(n, p)));
    if (missing.length > 0) fail(`details do not name ${missing.join(', ')}`);
    if (probe.expect.only) {
      const others = named.filter((n) => !probe.expect.paths!.some((p) => covers(n, p)));
      if (others.length > 0) fail(`details name other fields too: ${others.join(', ')}`);
    }
  }
}

function refused(paths: string[], only = false): Expectation {
  return { status: [400], code: 'validation_failed', paths, only };
}

/** The bad bodies a route with a body schema gets. */
function bodyProbes(route: RouteRecord, signedIn: boolean): Probe[] {
  const url = withParams(route.url);
  const base = { method: route.method, url, signedIn };
  const json = (what: string, value: unknown, expect: Expectation): Probe => ({
    ...base,
    what,
    payload: JSON.stringify(value).replace(JSON.stringify(DEEP), DEEP_JSON),
    contentType: 'application/json',
    expect,
  });
  const schema = bodySchemaOf(route);
  const fields = fieldsOf(schema);
  const sample = VALID_BODIES[`${route.method} ${route.url}`]?.();
  const out: Probe[] = [
    json('unknown field', { extra: 'x' }, refused(['body.extra'])),
    json('JSON array', [], refused(['body'])),
    json('JSON array of the object', [sample ?? {}], refused(['body'])),
    json('JSON null', null, refused(['body'])),
    json('JSON string', 'text', refused(['body'])),
    json('JSON number', 12345, refused(['body'])),
    { ...base, what: 'invalid JSON', payload: '{"email": "a@', contentType: 'application/json', expect: { status: [400], code: 'invalid_json' } },
    { ...base, what: 'empty JSON', payload: '', contentType: 'application/json', expect: { status: [400], code: 'invalid_json' } },
    { ...base, what: 'text/plain body', payload: 'email=a@example.org', contentType: 'text/plain', expect: { status: [400, 415] } },
    { ...base, what: 'XML body', payload: '<email>a@example.org</email>', contentType: 'application/xml', expect: { status: [415], code: 'unsupported_media_type' } },
    {
      ...base,
      what: 'body over 1 MB',
      payload: JSON.stringify({ extra: 'y'.repeat(1_100_000) }),
      contentType: 'application/json',
      expect: { status: [413], code: 'payload_too_large' },
    },
  ];
  if (sample !== undefined) out.push(json('valid body with one unknown field', { ...(sample as object), extra: 'x' }, refused(['body.extra'], true)));

  // Wrong types, for every field at once: each round gives each field another wrong JSON type.
  const objects = [{ path: [] as string[], schema }, ...fields.filter((f) => propertiesOf(f.schema))];
  for (const node of objects) {
    const children = Object.entries(propertiesOf(node.schema) ?? {});
    for (let round = 0; round < 4; round++) {
      const body: Record<string, unknown> = {};
      const paths: string[] = [];
      for (const [name, sub] of children) {
        const wrong = wrongValues(sub);
        if (wrong.length === 0) continue;
        body[name] = wrong[round % wrong.length];
        paths.push(['body', ...node.path, name].join('.'));
      }
      if (paths.length > 0) out.push(json(`wrong types (round ${round + 1}) in ${['body', ...node.path].join('.')}`, nest(node.path, body), refused(paths)));
    }
    if (node.path.length > 0 && isStrict(node.schema)) {
      out.push(json(`unknown field in ${node.path.join('.')}`, nest([...node.path, 'extra'], 'x'), refused([['body', ...node.path, 'extra'].join('.')])));
    }
  }
  for (const field of fields) {
    const at = ['body', ...field.path].join('.');
    const types = typesOf(field.schema);
    const freeObject = types.has('object') && !propertiesOf(field.schema);
    // A 20,000-character string in each field; a field that holds a whole file (a CSV import) gets
    // one character more than its own limit instead.
    const max = (field.schema as { maxLength?: number }).maxLength;
    const long = max !== undefined && max >= LONG.length ? 'x'.repeat(max + 1) : LONG;
    out.push(json(`${long.length.toLocaleString('en')} characters in ${field.path.join('.')}`, nest(field.path, long), refused([at])));
    // A value nested 10,000 levels deep (inside the object, for fields that hold any object).
    out.push(json(`deeply nested value in ${field.path.join('.')}`, nest(field.path, freeObject ? { nested: DEEP } : DEEP), refused([at])));
    // U+0000, which no text column can store.
    if (types.has('string')) out.push(json(`U+0000 in ${field.path.join('.')}`, nest(field.path, 'ab\u0000cd'), refused([at])));
    if (freeObject) {
      out.push(json(`U+0000 inside ${field.path.join('.')}`, nest(field.path, { text: 'ab\u0000cd' }), refused([`${at}.text`])));
      out.push(json(`U+0000 in a key of ${field.path.join('.')}`, nest(field.path, { 'a\u0000b': 1 }), refused([`${at}.a\u0000b`])));
    }
  }
  return out;
}

function queryProbes(route: RouteRecord, signedIn: boolean): Probe[] {
  const url = withParams(route.url);
  const base = { method: route.method, signedIn };
  const params = (operationOf(route)?.parameters ?? []).filter((p) => p.in === 'query');
  const out: Probe[] = [{ ...base, what: 'unknown query key', url: `${url}?extra=1`, expect: refused(['query.extra']) }];
  for (const p of params) {
    out.push({ ...base, what: `20,000 characters in ?${p.name}`, url: `${url}?${p.name}=${LONG}`, expect: refused([`query.${p.name}`]) });
    if (!typesOf(p.schema).has('array')) {
      out.push({ ...base, what: `?${p.name} given twice`, url: `${url}?${p.name}=1&${p.name}=2`, expect: refused([`query.${p.name}`]) });
    }
  }
  return out;
}

function paramProbes(route: RouteRecord, signedIn: boolean): Probe[] {
  const sample = VALID_BODIES[`${route.method} ${route.url}`]?.();
  const body = route.hasBody ? { payload: JSON.stringify(sample ?? {}), contentType: 'application/json' } : {};
  const out: Probe[] = [];
  for (const name of paramNames(route.url)) {
    const expect = ACCESS_PARAMS.has(name) ? { status: [404], code: 'not_found' } : refused([`params.${name}`]);
    for (const bad of BAD_PARAMS) {
      out.push({ method: route.method, signedIn, ...body, what: `:${name} = ${bad.slice(0, 20)}`, url: withParams(route.url, { [name]: bad }), expect });
    }
    // Addresses the router itself refuses: a broken percent-encoding, and a parameter over the
    // router's length limit (a GET may fall through to the web app's catch-all, which answers 404).
    out.push({ method: route.method, signedIn, ...body, what: `:${name} badly percent-encoded`, url: withParams(route.url, { [name]: '%E0%A4%A' }), expect: { status: [400] } });
    out.push({ method: route.method, signedIn, ...body, what: `:${name} over 200 characters`, url: withParams(route.url, { [name]: 'x'.repeat(250) }), expect: { status: route.method === 'GET' ? [400, 404] : [400] } });
  }
  return out;
}

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['accounts', 'sessions', 'account_tokens', 'account_logos', 'drafts', 'outbox_emails', 'audit_log']) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.db);
    counts[table] = r.rows[0]!.n;
  }
  return counts;
}

describe('every route is walked with bad input (SPEC §12, ENGINEERING §3)', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await tableCounts();
  });

  it('walks more than 15 routes, each declaring who may call it', () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routeRecords.get(t.app) ?? []) expect(ACCESS_KINDS, `${route.method} ${route.url}`).toContain(route.access);
    // The walk reaches the routes that take input.
    expect(routes.filter((r) => r.hasBody).length).toBeGreaterThanOrEqual(5);
    expect(routes.some((r) => r.hasQuery)).toBe(true);
    expect(routes.some((r) => r.hasParams)).toBe(true);
  });

  it('bodies: unknown fields, wrong types, arrays, 20,000-character strings, invalid JSON and other content types get 400/413/415 naming the field', async () => {
    problems.length = 0;
    let fieldsWalked = 0;
    for (const route of routes.filter((r) => r.hasBody)) {
      fieldsWalked += fieldsOf(bodySchemaOf(route)).length;
      for (const signedIn of isOpen(route.access) ? [true, false] : [true]) {
        for (const probe of bodyProbes(route, signedIn)) await check(probe);
      }
    }
    // Routes without a body schema still refuse a body that is not JSON, before they run. A route for
    // a replaced session refuses the walker's live one first, before looking at the input (R-SES-3).
    for (const route of routes.filter((r) => !r.hasBody && r.method !== 'GET')) {
      const expect: Expectation = route.access === 'endedSession' ? { status: [409], code: 'session_not_replaced' } : { status: [400], code: 'invalid_json' };
      await check({ method: route.method, url: withParams(route.url), signedIn: true, what: 'invalid JSON', payload: '{"x": ', contentType: 'application/json', expect });
    }
    expect(fieldsWalked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it('queries: unknown keys, wrong types and over-long values get 400 naming the key', async () => {
    problems.length = 0;
    const withQuery = routes.filter((r) => r.hasQuery);
    expect(withQuery.length).toBeGreaterThan(0);
    for (const route of withQuery) {
      for (const signedIn of isOpen(route.access) ? [true, false] : [true]) {
        for (const probe of queryProbes(route, signedIn)) await check(probe);
      }
    }
    expect(problems).toEqual([]);
  });

  it('path parameters: malformed values get 400 naming the parameter; broken addresses get 400 in the same shape', async () => {
    problems.length = 0;
    const withParamsRoutes = routes.filter((r) => r.hasParams);
    expect(withParamsRoutes.length).toBeGreaterThan(0);
    for (const route of withParamsRoutes) {
      for (const signedIn of isOpen(route.access) ? [true, false] : [true]) {
        for (const probe of paramProbes(route, signedIn)) await check(probe);
      }
    }
    expect(problems).toEqual([]);
  });

  it('signed in, plain requests to routes without input get an answer, never a 5xx or a 401', async () => {
    problems.length = 0;
    for (const route of routes.filter((r) => r.method === 'GET' && !r.hasQuery && !r.hasParams)) {
      await check({ method: 'GET', url: route.url, signedIn: true, what: 'plain', expect: { status: [200, 404] } });
    }
    expect(problems).toEqual([]);
  });

  it('signed out, every route that is not public answers 401 before looking at the input', async () => {
    problems.length = 0;
    const guarded = routes.filter((r) => !isOpen(r.access));
    expect(guarded.length).toBeGreaterThan(5);
    const unauthenticated: Expectation = { status: [401], code: 'unauthenticated' };
    for (const route of guarded) {
      const url = withParams(route.url);
      await check({ method: route.method, url, signedIn: false, what: 'no input', expect: unauthenticated });
      if (route.method !== 'GET') {
        await check({ method: route.method, url, signedIn: false, what: 'invalid JSON', payload: '{"x": ', contentType: 'application/json', expect: unauthenticated });
        await check({ method: route.method, url, signedIn: false, what: 'unknown field', payload: '{"extra": 1}', contentType: 'application/json', expect: unauthenticated });
      }
      if (route.hasQuery) await check({ method: route.method, url: `${url}?extra=1`, signedIn: false, what: 'unknown query key', expect: unauthenticated });
      if (route.hasParams) await check({ method: route.method, url: withParams(route.url, Object.fromEntries(paramNames(route.url).map((n) => [n, 'Not%20valid!']))), signedIn: false, what: 'bad params', expect: unauthenticated });
    }
    expect(problems).toEqual([]);
  });

  it('the walk wrote nothing and the walker is still signed in', async () => {
    expect(probes).toBeGreaterThan(100);
    expect(await tableCounts()).toEqual(before);
    const me = await walker.get('/api/session');
    expect(me.statusCode).toBe(200);
  });
});

describe('access declarations (ENGINEERING §3)', () => {
  it('a route registered without config.access stops start-up, naming the route', async () => {
    const app = Fastify({ logger: false });
    enforceAccessDeclarations(app);
    app.get('/declared', { config: { access: 'public' } }, async () => ({ ok: true }));
    app.post('/forgot-to-declare', async () => ({ ok: true }));
    const ready = app.ready();
    await expect(ready).rejects.toBeInstanceOf(MissingAccessDeclarationError);
    await expect(ready).rejects.toThrow('POST /forgot-to-declare');
    await app.close().catch(() => {});
  });

  it('a route declaring an access kind that does not exist stops start-up too', async () => {
    const app = Fastify({ logger: false });
    enforceAccessDeclarations(app);
    app.get('/typo', { config: { access: 'everyone' as 'public' } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/GET.*\/typo/);
    await app.close().catch(() => {});
  });

  it('an app whose routes all declare access starts and records each route with its access', async () => {
    const app = Fastify({ logger: false });
    enforceAccessDeclarations(app);
    app.get('/a', { config: { access: 'public' } }, async () => ({ ok: true }));
    app.post('/b', { config: { access: 'signedIn' } }, async () => ({ ok: true }));
    await app.ready();
    expect(routeRecords.get(app)).toEqual([
      { method: 'GET', url: '/a', access: 'public', hasBody: false, hasQuery: false, hasParams: false },
      { method: 'POST', url: '/b', access: 'signedIn', hasBody: false, hasQuery: false, hasParams: false },
    ]);
    await app.close();
  });
});

describe('security headers', () => {
  for (const url of ['/api/health', '/', '/api/no-such-route']) {
    it(`GET ${url} carries a strict content security policy, nosniff and a referrer policy`, async () => {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(url === '/api/no-such-route' ? 404 : 200);
      const csp = String(res.headers['content-security-policy']);
      const directives = csp.split(';').map((d) => d.trim());
      expect(directives).toContain("script-src 'self'");
      expect(directives).toContain("frame-ancestors 'none'");
      expect(directives).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(directives.find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toMatch(/no-referrer|same-origin|strict-origin/);
    });
  }

  it('/ serves the web app page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
  });
});

describe('API description and health', () => {
  it('GET /api/openapi.json is OpenAPI 3.1 and describes the sign-in body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const signIn = doc.paths['/api/auth/sign-in']?.post;
    const schema = signIn?.requestBody?.content?.['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['email', 'password']));
    expect(schema?.additionalProperties).toBe(false);
  });

  it('every route in the description has a response schema for its success status, and every registered API route is in it', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApi & {
      paths: Record<string, Record<string, { responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }> }>>;
    };
    const missing: string[] = [];
    for (const [p, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        const described = success.some(([status, r]) => status === '204' || Object.values(r.content ?? {}).some((c) => c.schema !== undefined));
        if (!described) missing.push(`${method.toUpperCase()} ${p}`);
      }
    }
    expect(missing, 'operations without a response schema for their success status').toEqual([]);
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const undocumented = routes.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json').map((r) => `${r.method} ${openApiPath(r.url)}`).filter((k) => !documented.has(k));
    expect(undocumented, 'API routes missing from the description').toEqual([]);
  });

  it('GET /api/docs answers an HTML page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.toLowerCase()).toContain('<!doctype html>');
  });

  it('GET /api/health answers 200 {status: "ok"} and is not cached', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('an unknown /api route, or a known one with another method, gets 404 in the error shape (not the web page)', async () => {
    for (const [method, url] of [['GET', '/api/no-such-route'], ['POST', '/api/no/such/route'], ['DELETE', '/api/health'], ['GET', '/api/']] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['error', 'requestId']);
      expect(body.error).toMatchObject({ code: 'not_found', message: expect.any(String) });
      expect(res.body).not.toContain('<div id="root">');
    }
  });
});
