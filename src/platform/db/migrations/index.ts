import type { Migration } from 'kysely';
import * as foundation from './2026-11-22-01-foundation.ts';
import * as organisations from './2026-11-22-02-organisations.ts';
import * as billing from './2026-11-22-03-billing.ts';
import * as subscriptions from './2026-11-22-04-subscriptions.ts';
import * as clinical from './2026-11-22-05-clinical.ts';
import * as patientImports from './2026-11-22-06-patient-imports.ts';
import * as patientPractice from './2026-11-22-07-patient-practice.ts';
import * as engagement from './2026-12-03-08-engagement.ts';
import * as integrations from './2026-12-03-09-integrations.ts';
import * as webhooks from './2026-12-03-10-webhooks.ts';
import * as mailThrottle from './2026-12-04-02-mail-throttle.ts';

/** Every migration, in order. Names are ISO dates so that they sort as they were written. */
export const migrations: Record<string, Migration> = {
  '2026-11-22-01-foundation': foundation,
  '2026-11-22-02-organisations': organisations,
  '2026-11-22-03-billing': billing,
  '2026-11-22-04-subscriptions': subscriptions,
  '2026-11-22-05-clinical': clinical,
  '2026-11-22-06-patient-imports': patientImports,
  '2026-11-22-07-patient-practice': patientPractice,
  '2026-12-03-08-engagement': engagement,
  '2026-12-03-09-integrations': integrations,
  '2026-12-03-10-webhooks': webhooks,
  '2026-12-04-02-mail-throttle': mailThrottle,
};
