import { accountEmail } from '../accounts/data.ts';
import { recordAudit } from '../audit/record.ts';
import type { AuditActor } from '../audit/events.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/runner.ts';
import { queueEmail } from '../mail/outbox.ts';
import { actionMessage } from '../mail/template.ts';
import { patientPractice } from '../patients/data.ts';
import { inTransaction, type Tx } from '../platform/db/database.ts';
import type { AlertKind } from '../platform/db/schema.ts';
import { programmesWatchedForInactivity } from '../programmes/data.ts';
import { programmeToday } from '../programmes/items.ts';
import { patientProgrammeAccess } from '../programmes/patient-page.ts';
import { lastActivities, lastInactivityAlerts, lastPainRatings, raiseAlert, resolveAlerts } from './data.ts';
import { painRising } from './schedule.ts';

export const SWEEP_JOB = 'engagement.sweep';
const SWEEP_PAGE = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * R-ENG-6: the practitioner is told by email that something needs their attention, never what:
 * no patient name, no pain score, no message text.
 */
export async function emailAttention(tx: Tx, deps: Pick<Deps, 'clock' | 'config'>, ownerAccountId: string, what: 'alert' | 'message'): Promise<void> {
  const to = await accountEmail(tx, ownerAccountId);
  const message =
    what === 'message'
      ? actionMessage(to, 'You have a new message from a patient', ['A patient sent you a message in Motus.', 'Sign in to read it and reply.'], { url: `${deps.config.publicUrl}/`, label: 'Open Motus' })
      : actionMessage(to, 'A patient needs your attention', ['Something a patient recorded in their programme needs your attention.', 'Sign in to Motus to see who and why.'], { url: `${deps.config.publicUrl}/`, label: 'Open Motus' });
  await queueEmail(tx, deps.clock, message);
}

/** Raises an alert of `kind` unless one is open, with its record and its email. */
async function raise(tx: Tx, deps: Pick<Deps, 'clock' | 'config'>, actor: AuditActor, p: { programmeId: string; patientId: string; ownerAccountId: string }, kind: AlertKind): Promise<boolean> {
  const alertId = await raiseAlert(tx, p.programmeId, kind, deps.clock.now());
  if (!alertId) return false;
  await recordAudit(tx, deps.clock, actor, { action: 'engagement.alert_raised', targetType: 'programme', targetId: p.programmeId, details: { patientId: p.patientId, alertId, kind } });
  await emailAttention(tx, deps, p.ownerAccountId, 'alert');
  return true;
}

/**
 * After an entry: pain at or above the programme's threshold, or rising over the last three
 * ratings, raises an alert (R-ENG-6); any entry ends an open "no activity" alert.
 */
export async function alertsAfterEntry(
  tx: Tx,
  deps: Pick<Deps, 'clock' | 'config'>,
  actor: AuditActor,
  p: { programmeId: string; patientId: string; ownerAccountId: string; painAlertAt: number },
  pain: number | null,
): Promise<void> {
  await resolveAlerts(tx, p.programmeId, { kind: 'inactive' }, null, deps.clock.now());
  if (pain === null) return;
  if (pain >= p.painAlertAt) await raise(tx, deps, actor, p, 'pain_high');
  if (painRising(await lastPainRatings(tx, p.programmeId, 3))) await raise(tx, deps, actor, p, 'pain_rising');
}

/**
 * R-ENG-6: programmes with nothing recorded for their chosen number of days get a "no activity"
 * alert. Runs as a job (at most once an hour, from the app's sweep), a page of programmes at a time.
 */
export function createInactivitySweep(deps: Deps) {
  const { db, clock } = deps;
  return async function sweep(): Promise<number> {
    const today = programmeToday(deps);
    const now = clock.now();
    let raised = 0;
    let after: string | null = null;
    for (;;) {
      const page = await programmesWatchedForInactivity(db, today, after, SWEEP_PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const ids = page.map((p) => p.id);
      const [last, alerted] = await Promise.all([lastActivities(db, ids), lastInactivityAlerts(db, ids)]);
      for (const p of page) {
        // Counted from the latest of: the last entry, the assignment, the start date, and the last
        // such alert (raised, or seen to): an alert seen to is not raised again an hour later.
        const since = Math.max(last.get(p.id)?.getTime() ?? 0, p.assigned_at.getTime(), Date.parse(`${p.start_date}T00:00:00Z`), alerted.get(p.id)?.getTime() ?? 0);
        if (now.getTime() - since < p.inactivity_alert_days! * DAY_MS) continue;
        const patient = await patientPractice(db, p.patient_id);
        if (!patient) continue;
        // A programme the patient cannot record in (its practitioner cannot work now) is not "inactive".
        const access = await patientProgrammeAccess(deps, db, { state: 'active', end_date: null }, { ownerAccountId: patient.owner_account_id, organisationId: patient.organisation_id });
        if (access.readOnly) continue;
        const actor: AuditActor = { accountId: null, sessionId: null, organisationId: patient.organisation_id, ip: null, userAgent: 'engagement sweep', requestId: null };
        if (await inTransaction(db, (tx) => raise(tx, deps, actor, { programmeId: p.id, patientId: p.patient_id, ownerAccountId: patient.owner_account_id }, 'inactive'))) raised += 1;
      }
      if (page.length < SWEEP_PAGE) break;
    }
    return raised;
  };
}

/** Queues this hour's sweep (once across processes, by its dedupe key). */
export async function scheduleSweep(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  const hour = deps.clock.now().toISOString().slice(0, 13);
  await enqueueJob(deps.db, deps.clock, { kind: SWEEP_JOB, dedupeKey: `${SWEEP_JOB}:${hour}`, maxAttempts: 3 });
}
