import type { Database } from './schema.ts';

/**
 * Which module owns each table: only code under that path queries it; every other capability calls
 * the owner's functions (ENGINEERING §3). Keyed by the schema's own table names, so a new table
 * does not type-check until it is given an owner. A path is a folder or file under src/.
 * test/ownership.test.ts reads every query in src/ and fails on one outside its table's owner.
 */
export const TABLE_OWNERS: { readonly [T in keyof Database]: string } = {
  accounts: 'accounts',
  account_logos: 'accounts',
  account_tokens: 'accounts',
  sessions: 'sessions',
  drafts: 'drafts',
  throttle_counters: 'platform/throttle.ts',
  idempotency_keys: 'platform/idempotency.ts',
  outbox_emails: 'mail',
  mail_throttle: 'mail',
  audit_log: 'audit',
  audit_chain_heads: 'audit',
  jobs: 'jobs',
  organisations: 'organisations',
  organisation_logos: 'organisations',
  ownership_transfers: 'organisations',
  memberships: 'memberships',
  licence_ledger: 'licences',
  payment_methods: 'billing',
  invoice_counter: 'billing',
  invoices: 'billing',
  invoice_lines: 'billing',
  payment_attempts: 'billing',
  test_gateway_charges: 'billing',
  patients: 'patients',
  exercises: 'exercises',
  programmes: 'programmes',
  programme_templates: 'programmes',
  patient_shares: 'sharing',
  patient_imports: 'imports',
  programme_devices: 'engagement',
  programme_entries: 'engagement',
  programme_messages: 'engagement',
  programme_reminders: 'engagement',
  engagement_alerts: 'engagement',
  api_keys: 'integrations',
  pms_links: 'integrations',
  webhook_endpoints: 'webhooks',
  webhook_deliveries: 'webhooks',
  webhook_attempts: 'webhooks',
};

/** Whether `file` (a path under src/, with forward slashes) lies under the owner path `owner`. */
export function isUnder(file: string, owner: string): boolean {
  return owner.endsWith('.ts') ? file === owner : file === owner || file.startsWith(`${owner}/`);
}
