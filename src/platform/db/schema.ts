import type { ColumnType, Generated } from 'kysely';

/** Column types of the Motus database, as the migrations define them. */
export interface PracticeDetails {
  name?: string;
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
}

export interface AccountsTable {
  id: string;
  email: string;
  name: string;
  profession: string | null;
  phone: string | null;
  practice: ColumnType<PracticeDetails, PracticeDetails | string, PracticeDetails | string>;
  password_hash: string;
  email_verified_at: Date | null;
  password_reset_required: Generated<boolean>;
  is_operator: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}

export interface AccountLogosTable {
  account_id: string;
  mime_type: string;
  data: Buffer;
  updated_at: Date;
}

/** R-ORG-4: the organisation's logo, a Practice default. */
export interface OrganisationLogosTable {
  organisation_id: string;
  mime_type: string;
  data: Buffer;
  updated_at: Date;
}

export type SessionEndReason =
  | 'signed_out'
  | 'replaced'
  | 'expired'
  | 'password_reset'
  | 'password_changed'
  | 'reported_not_me';

export interface SessionsTable {
  id: string;
  account_id: string;
  token_hash: Buffer;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
  replaced_by: string | null;
}

export interface AccountTokensTable {
  id: string;
  account_id: string;
  purpose: 'verify_email' | 'reset_password';
  token_hash: Buffer;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface DraftsTable {
  account_id: string;
  editor: string;
  object_key: string;
  data: ColumnType<unknown, string, string>;
  created_at: Date;
  updated_at: Date;
}

export interface ThrottleCountersTable {
  key: string;
  window_start: Date;
  count: number;
}

export interface OutboxEmailsTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: Date;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Date | null;
  headers: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

/** Recent sends per throttled key (an invitation's recipient, an organisation): epoch milliseconds, oldest first. */
export interface MailThrottleTable {
  key: string;
  sent: ColumnType<number[], string | undefined, string>;
  updated_at: Date;
}

export interface AuditLogTable {
  id: Generated<number>;
  chain: string;
  chain_seq: number;
  at: Date;
  account_id: string | null;
  session_id: string | null;
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  /** R-INT-3: the API key the request was made with. */
  api_key_id: ColumnType<string | null, string | null | undefined, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export type AdminSection = 'users' | 'sharing' | 'defaults' | 'security' | 'import' | 'audit';
export type MembershipState = 'invited' | 'active' | 'access_removed' | 'removed' | 'declined' | 'expired' | 'revoked';

export interface OrganisationsTable {
  id: string;
  name: string;
  owner_account_id: string;
  billing_mode: 'card' | 'manual';
  currency: string;
  licence_price_minor: number;
  billing_time_zone: string;
  billing_contact_email: string | null;
  practice: ColumnType<PracticeDetails, string, string>;
  status: Generated<'active' | 'payment_required'>;
  licences_purchased: Generated<number>;
  licences_assigned: Generated<number>;
  licences_reserved: Generated<number>;
  credit_minor: Generated<number>;
  kind: Generated<'organisation' | 'subscription'>;
  trial_ends_at: Date | null;
  /** Local dates (YYYY-MM-DD) in the billing time zone. */
  paid_from: string | null;
  ends_on: string | null;
  end_reason: 'cancelled' | 'joined_organisation' | null;
  share_patients: Generated<boolean>;
  share_content: Generated<boolean>;
  content_account_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface MembershipsTable {
  id: string;
  organisation_id: string;
  account_id: string | null;
  email: string;
  name: string;
  state: MembershipState;
  practitioner: boolean;
  is_admin: Generated<boolean>;
  admin_sections: ColumnType<AdminSection[], AdminSection[] | undefined, AdminSection[]>;
  invited_by: string | null;
  invitation_token_hash: Buffer | null;
  invitation_expires_at: Date | null;
  invited_at: Date;
  joined_at: Date | null;
  ended_at: Date | null;
  access_removed_at: Date | null;
  /** R-SHR-1: in the organisation's share group. */
  in_share_group: Generated<boolean>;
  /** R-SHR-2: receives the content account's exercises and templates. */
  receives_content: Generated<boolean>;
  updated_at: Date;
}

export type LedgerCause = 'invitation' | 'access_granted' | 'bulk_purchase' | 'licences_removed' | 'subscription_started' | 'subscription_credit';

export interface LicenceLedgerTable {
  id: string;
  organisation_id: string;
  kind: 'charge' | 'credit';
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
  currency: string;
  local_date: string;
  days_in_month: number;
  cause: LedgerCause;
  membership_id: string | null;
  description: string;
  actor_account_id: string | null;
  invoice_id: string | null;
  created_at: Date;
}

export interface PaymentMethodsTable {
  id: string;
  organisation_id: string;
  gateway: string;
  gateway_token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  role: 'primary' | 'backup';
  created_at: Date;
  removed_at: Date | null;
}

export interface OwnershipTransfersTable {
  id: string;
  organisation_id: string;
  from_account_id: string;
  to_account_id: string;
  state: 'pending' | 'accepted' | 'declined' | 'cancelled';
  created_at: Date;
  decided_at: Date | null;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  scope: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Date;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  dedupe_key: string | null;
  run_at: Date;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  state: Generated<'pending' | 'done' | 'failed'>;
  created_at: Date;
  finished_at: Date | null;
}

export interface InvoiceCounterTable {
  id: Generated<boolean>;
  next_number: number;
}

export type InvoiceStatus = 'due' | 'paid' | 'failed' | 'nothing_due';

export interface InvoicesTable {
  id: string;
  organisation_id: string;
  number: number;
  kind: 'monthly' | 'interim';
  period: string | null;
  issued_at: Date;
  local_date: string;
  currency: string;
  subtotal_minor: number;
  credit_applied_minor: number;
  total_minor: number;
  credit_carried_minor: number;
  collection: 'card' | 'manual';
  status: InvoiceStatus;
  paid_at: Date | null;
}

export interface InvoiceLinesTable {
  id: string;
  invoice_id: string;
  position: number;
  kind: 'licences' | 'charge' | 'credit' | 'credit_applied';
  description: string;
  quantity: number | null;
  unit_price_minor: number | null;
  amount_minor: number;
  local_date: string | null;
  ledger_id: string | null;
}

export interface PaymentAttemptsTable {
  id: string;
  invoice_id: string;
  attempt: number;
  round: number | null;
  reference: string;
  payment_method_id: string | null;
  amount_minor: number;
  status: 'started' | 'succeeded' | 'failed';
  failure_reason: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface TestGatewayChargesTable {
  reference: string;
  token: string;
  amount_minor: number;
  currency: string;
  outcome: string;
  created_at: Date;
}

export type PatientGender = 'female' | 'male' | 'diverse' | 'unknown';

export interface PatientsTable {
  id: string;
  owner_account_id: string;
  /** The organisation or subscription the patient is treated in (null: none recorded). */
  organisation_id: string | null;
  first_name: string;
  last_name: string;
  year_of_birth: number;
  gender: PatientGender | null;
  email: string | null;
  mobile: string | null;
  external_id: string | null;
  diagnosis_code: string | null;
  patient_group: string | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ExerciseDefaults {
  sets: number;
  reps?: number;
  holdSeconds?: number;
  durationSeconds?: number;
  restSeconds: number;
}

export interface ExercisesTable {
  id: string;
  slug: string | null;
  owner_account_id: string | null;
  name: string;
  body_region: string;
  equipment: ColumnType<string[], string[] | undefined, string[]>;
  kind: string;
  description: string;
  steps: ColumnType<string[], string[] | undefined, string[]>;
  defaults: ColumnType<ExerciseDefaults, string, string>;
  image_mime: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  image: Buffer | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** One exercise of a programme or template, with its parameters (R-PRG-1). */
export interface ProgrammeItem {
  exerciseId: string;
  sets: number | null;
  reps: number | null;
  durationSeconds: number | null;
  holdSeconds: number | null;
  restSeconds: number | null;
  timesPerDay: number | null;
  daysPerWeek: number | null;
  weekdays: number[] | null;
  instructions: string | null;
}

export type ProgrammeState = 'active' | 'disabled' | 'ended';

export interface ProgrammesTable {
  id: string;
  patient_id: string;
  title: string;
  state: ProgrammeState;
  disabled_reason: 'access_removed' | null;
  disabled_by_membership_id: string | null;
  code: string;
  start_date: string;
  end_date: string | null;
  track_adherence: boolean;
  track_pain: boolean;
  /** R-ENG-6: pain at or above this raises an alert. */
  pain_alert_at: Generated<number>;
  /** R-ENG-6: this many days without an entry raise an alert; null: never. */
  inactivity_alert_days: ColumnType<number | null, number | null | undefined, number | null>;
  items: ColumnType<ProgrammeItem[], string, string>;
  assigned_by: string | null;
  assigned_at: Date;
  ended_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ProgrammeTemplatesTable {
  id: string;
  owner_account_id: string;
  title: string;
  track_adherence: boolean;
  track_pain: boolean;
  items: ColumnType<ProgrammeItem[], string, string>;
  created_at: Date;
  updated_at: Date;
}

export interface PatientSharesTable {
  id: string;
  patient_id: string;
  from_account_id: string;
  to_account_id: string;
  organisation_id: string;
  created_at: Date;
  ended_at: Date | null;
  end_reason: 'ended' | 'left_organisation' | 'transferred' | null;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface PatientImportsTable {
  id: string;
  organisation_id: string;
  requested_by: string;
  target_membership_id: string;
  file_name: string | null;
  csv: string;
  status: 'pending' | 'done' | 'failed';
  rows_total: number | null;
  created_count: number | null;
  updated_count: number | null;
  rejected: ColumnType<RejectedRow[] | null, string | null, string | null>;
  created_at: Date;
  finished_at: Date | null;
}

export interface Database {
  accounts: AccountsTable;
  account_logos: AccountLogosTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  drafts: DraftsTable;
  throttle_counters: ThrottleCountersTable;
  outbox_emails: OutboxEmailsTable;
  mail_throttle: MailThrottleTable;
  audit_log: AuditLogTable;
  audit_chain_heads: AuditChainHeadsTable;
  organisations: OrganisationsTable;
  organisation_logos: OrganisationLogosTable;
  memberships: MembershipsTable;
  licence_ledger: LicenceLedgerTable;
  payment_methods: PaymentMethodsTable;
  ownership_transfers: OwnershipTransfersTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  invoice_counter: InvoiceCounterTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  payment_attempts: PaymentAttemptsTable;
  test_gateway_charges: TestGatewayChargesTable;
  patients: PatientsTable;
  exercises: ExercisesTable;
  programmes: ProgrammesTable;
  programme_templates: ProgrammeTemplatesTable;
  patient_shares: PatientSharesTable;
  patient_imports: PatientImportsTable;
  programme_devices: ProgrammeDevicesTable;
  programme_entries: ProgrammeEntriesTable;
  programme_messages: ProgrammeMessagesTable;
  programme_reminders: ProgrammeRemindersTable;
  engagement_alerts: EngagementAlertsTable;
  api_keys: ApiKeysTable;
  pms_links: PmsLinksTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type WebhookEventType = 'programme.assigned' | 'session.recorded' | 'pain.reported' | 'message.received' | 'patient.transferred' | 'practitioner.access_removed';

/** R-INT-4: where a practitioner's or an organisation's events are sent; the secret is kept encrypted. */
export interface WebhookEndpointsTable {
  id: string;
  account_id: string | null;
  organisation_id: string | null;
  url: string;
  description: Generated<string>;
  events: WebhookEventType[];
  secret_ciphertext: Buffer;
  previous_secret_ciphertext: Buffer | null;
  previous_secret_expires_at: Date | null;
  secret_rotated_at: Date | null;
  enabled: Generated<boolean>;
  disabled_at: Date | null;
  disabled_reason: 'by_owner' | 'failing' | null;
  failing_since: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** R-INT-4: one event for one endpoint, sent until a 2xx answer or three days. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: Generated<number>;
  rounds: Generated<number>;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** R-INT-4: the delivery log, one row per attempt. */
export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempted_at: Date;
  trigger: 'scheduled' | 'resend';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** R-INT-3: an API key, stored only as the hash of the key. */
export interface ApiKeysTable {
  id: string;
  kind: 'practitioner' | 'organisation';
  account_id: string;
  organisation_id: string | null;
  name: string;
  prefix: string;
  token_hash: Buffer;
  scopes: ApiScopeName[];
  expires_at: Date | null;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  last_used_ip: string | null;
  rate_window_start: Date | null;
  rate_count: Generated<number>;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_reason: 'revoked' | 'unlinked' | null;
}

export type ApiScopeName = 'patients.read' | 'patients.write' | 'programmes.assign' | 'engagement.read' | 'console.read';

/** R-INT-1: a practitioner's account linked to a PMS; the PMS's token is kept encrypted. */
export interface PmsLinksTable {
  id: string;
  organisation_id: string;
  account_id: string;
  pms_name: string;
  token_ciphertext: Buffer;
  api_key_id: string;
  created_by: string;
  created_at: Date;
  unlinked_at: Date | null;
  unlinked_by: string | null;
}

/** R-PRG-2: a device that opened a programme; its token and feed address are stored only hashed. */
export interface ProgrammeDevicesTable {
  id: string;
  programme_id: string;
  patient_id: string;
  token_hash: Buffer;
  feed_hash: Buffer | null;
  label: string;
  created_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
  revoked_reason: 'signed_out' | 'practitioner' | null;
}

export type Difficulty = 'too_easy' | 'about_right' | 'too_hard';

/** R-ENG-1, R-ENG-2: one thing the patient recorded, once per client id. */
export interface ProgrammeEntriesTable {
  id: string;
  programme_id: string;
  client_id: string;
  day: string;
  item_index: number | null;
  exercise_id: string | null;
  sets_done: number | null;
  pain: number | null;
  difficulty: Difficulty | null;
  comment: string | null;
  device_id: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** R-ENG-5: a message of a programme's thread. */
export interface ProgrammeMessagesTable {
  id: string;
  seq: Generated<number>;
  programme_id: string;
  client_id: string;
  author: 'patient' | 'practice';
  author_account_id: string | null;
  device_id: string | null;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

/** R-ENG-4: the patient's reminder: weekdays (1 = Monday) and a local time in their time zone. */
export interface ProgrammeRemindersTable {
  programme_id: string;
  weekdays: number[];
  at_time: string;
  time_zone: string;
  email: string;
  unsubscribe_hash: Buffer;
  next_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type AlertKind = 'pain_high' | 'pain_rising' | 'inactive';

/** R-ENG-6: something that needs the practitioner's attention. */
export interface EngagementAlertsTable {
  id: string;
  programme_id: string;
  kind: AlertKind;
  raised_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
}
