import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { routeRecords, type RouteRecord } from '../../src/platform/http/access.ts';
import type { SubjectKind } from '../../src/platform/http/contract.ts';
import type { TestApp } from './app.ts';
import { ApiKeyClient, createApiKey } from './api-keys.ts';
import type { ClinicalWorld, Who } from './clinical-world.ts';

/**
 * The visibility matrix, generated from the registered routes (R-PAT-2, SPEC §12): every route
 * whose path names a patient, programme, share, exercise or template is called with the world's
 * ids by each person, and every route under /api/organisations/:orgId by a stranger to it.
 * - Those who may not know the subject (a colleague with nothing shared, a stranger) get 404, and
 *   the answer names nothing of it.
 * - An admin without practitioner access gets 402 on practitioner routes before anything is looked up.
 * - Those who may see the subject read it: the owner always; for a patient, its programmes and its
 *   shares also the colleague it is shared with and the share group's fellow (R-SHR-1, R-SHR-3).
 *   A read answers neither 404 nor a server error (403 for a read the rule keeps to the owner).
 * - Routes called with an API key (R-INT-3) are called with each person's own key: the stranger's
 *   key, of another practice, gets 404 for every id of this one, like their session would.
 * A new route is covered as soon as it is registered; returns every answer that breaks the rule.
 */
export async function visibilityViolations(t: TestApp, w: ClinicalWorld, only?: (r: RouteRecord) => boolean): Promise<string[]> {
  const records = (routeRecords.get(t.app) ?? []).filter((r) => r.contract && (!only || only(r)));
  const ids: Record<SubjectKind, string> = { patient: w.patientId, programme: w.programmeId, share: w.shareId, exercise: w.exerciseId, template: w.templateId };
  const secrets = ['Mara', 'Matrix', 'mara@example.org', 'towel squeeze', 'knee template'];
  const wrong: string[] = [];
  const keys = new Map<Who, ApiKeyClient>();
  const keyOf = async (who: Who) => {
    let k = keys.get(who);
    if (!k) {
      k = new ApiKeyClient(t, await createApiKey(t, w.people[who].client, { name: `Walk key of ${who}` }));
      keys.set(who, k);
    }
    return k;
  };
  const call = async (who: Who, r: RouteRecord, params: Record<string, string>) => {
    const url = r.url.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? randomUUID()));
    const c = r.contract!;
    const body = c.body && c.body !== 'multipart' ? (c.example ?? {}) : undefined;
    if (r.access.startsWith('apiKey:')) return (await keyOf(who)).request(r.method as 'GET', url, body);
    return w.people[who].client.request(r.method as InjectOptions['method'], url, body);
  };
  const leaks = (body: string) => secrets.filter((s) => body.includes(s));

  for (const r of records) {
    const name = `${r.method} ${r.url}`;
    const subjects = r.contract!.subjects ?? {};
    if (Object.keys(subjects).length > 0) {
      const params = Object.fromEntries(Object.entries(subjects).map(([param, kind]) => [param, ids[kind]]));
      if (r.contract!.body && r.contract!.body !== 'multipart' && r.contract!.example === undefined) wrong.push(`${name}: its contract has no example body, so the walk cannot reach its visibility check`);
      for (const who of ['stranger', 'colleague'] as const) {
        const res = await call(who, r, params);
        if (res.statusCode !== 404) wrong.push(`${name} as ${who}: ${res.statusCode}, expected 404 — ${res.body.slice(0, 160)}`);
        else if (leaks(res.body).length > 0) wrong.push(`${name} as ${who}: the 404 names ${leaks(res.body).join(', ')}`);
      }
      if (r.access === 'practitioner') {
        const res = await call('admin', r, params);
        if (res.statusCode !== 402) wrong.push(`${name} as an admin without practitioner access: ${res.statusCode}, expected 402`);
      }
      if (r.method === 'GET') {
        const kinds = Object.values(subjects);
        const sharedToo = kinds.every((k) => k === 'patient' || k === 'programme' || k === 'share');
        for (const who of sharedToo ? (['owner', 'sharee', 'group'] as const) : (['owner'] as const)) {
          const res = await call(who, r, params);
          // A custom exercise without an uploaded image has no illustration: its 404 says so to the owner alike.
          const noImage = r.url.endsWith('/illustration') && who === 'owner';
          if (res.statusCode >= 500 || (res.statusCode === 404 && !noImage)) wrong.push(`${name} as ${who}: ${res.statusCode}, expected an answer — ${res.body.slice(0, 160)}`);
        }
      }
    }
    if (r.url.includes(':orgId')) {
      const res = await call('stranger', r, { orgId: w.orgId });
      if (res.statusCode !== 404) wrong.push(`${name} as a stranger to the organisation: ${res.statusCode}, expected 404 — ${res.body.slice(0, 160)}`);
    }
  }
  return wrong;
}
