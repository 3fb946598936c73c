import { sql, type Kysely } from 'kysely';

// Integrations (SPEC section 10): API keys (R-INT-3) and the link of a practitioner's account to a
// practice management system (R-INT-1). Audit records name the key a request was made with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_keys (
      id uuid primary key,
      -- A practitioner's key acts as its owner; an organisation's key in that organisation's
      -- console, as the person who created it may.
      kind text not null check (kind in ('practitioner', 'organisation')),
      account_id uuid not null references accounts(id) on delete cascade,
      -- A practitioner key may be limited to one practice (always, when issued for a PMS link);
      -- an organisation key always names its organisation.
      organisation_id uuid references organisations(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      -- The visible start of the key (motus_ and 8 characters): unique, shown in lists and logs.
      prefix text not null unique check (prefix ~ '^motus_[a-z0-9]{8}$'),
      -- SHA-256 of the whole key: the key itself is shown once and never stored.
      token_hash bytea not null unique,
      scopes text[] not null check (cardinality(scopes) between 1 and 5
        and scopes <@ array['patients.read', 'patients.write', 'programmes.assign', 'engagement.read', 'console.read']),
      expires_at timestamptz,
      created_by uuid not null references accounts(id) on delete cascade,
      created_at timestamptz not null,
      last_used_at timestamptz,
      last_used_ip text,
      -- R-INT-3: requests per key in the current minute (one fixed window, counted in the lookup).
      rate_window_start timestamptz,
      rate_count integer not null default 0,
      revoked_at timestamptz,
      revoked_by uuid references accounts(id) on delete set null,
      revoked_reason text check (revoked_reason in ('revoked', 'unlinked')),
      constraint api_keys_org_kind check (kind = 'practitioner' or organisation_id is not null),
      constraint api_keys_org_scopes check ((kind = 'organisation') = (scopes = array['console.read'])),
      constraint api_keys_revoked check ((revoked_at is null) = (revoked_reason is null))
    )`.execute(db);
  await sql`create index api_keys_account on api_keys (account_id, created_at desc)`.execute(db);
  // The console lists, and its admins revoke, every key of the practice: the organisation's and its practitioners'.
  await sql`create index api_keys_organisation on api_keys (organisation_id, created_at desc) where organisation_id is not null`.execute(db);

  // R-INT-1: a practitioner's account linked to their practice's PMS, after they accepted the
  // invitation; the PMS's token is kept encrypted (AES-256-GCM) with the operator's key.
  await sql`
    create table pms_links (
      id uuid primary key,
      organisation_id uuid not null references organisations(id) on delete cascade,
      account_id uuid not null references accounts(id) on delete cascade,
      pms_name text not null check (length(pms_name) between 1 and 100),
      token_ciphertext bytea not null,
      api_key_id uuid not null references api_keys(id) on delete cascade,
      created_by uuid not null references accounts(id) on delete cascade,
      created_at timestamptz not null,
      unlinked_at timestamptz,
      unlinked_by uuid references accounts(id) on delete set null
    )`.execute(db);
  await sql`create unique index pms_links_live on pms_links (organisation_id, account_id) where unlinked_at is null`.execute(db);
  // Every key list asks whether a link holds the key; the cascade from api_keys needs it too.
  await sql`create index pms_links_api_key on pms_links (api_key_id)`.execute(db);

  await sql`alter table audit_log add column api_key_id uuid`.execute(db);
  // What one key did, for an investigation of a leaked key.
  await sql`create index audit_log_api_key on audit_log (api_key_id, at) where api_key_id is not null`.execute(db);
}
