import { sql, type Kysely } from 'kysely';

// Organisations, memberships and invitations, the licence pool with its ledger, payment methods,
// ownership transfers and idempotency keys (SPEC sections 4-6).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisations (
      id uuid primary key,
      name text not null check (length(name) between 1 and 200),
      owner_account_id uuid not null references accounts(id),
      billing_mode text not null check (billing_mode in ('card', 'manual')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      licence_price_minor integer not null check (licence_price_minor >= 0),
      billing_time_zone text not null,
      billing_contact_email text,
      practice jsonb not null default '{}'::jsonb,
      status text not null default 'active' check (status in ('active', 'payment_required')),
      licences_purchased integer not null default 0 check (licences_purchased >= 0),
      -- Kept by the memberships trigger below; the check makes over-assignment impossible (R-LIC-3, R-LIC-9).
      licences_assigned integer not null default 0 check (licences_assigned >= 0),
      licences_reserved integer not null default 0 check (licences_reserved >= 0),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint organisations_licences_within_pool check (licences_assigned + licences_reserved <= licences_purchased)
    )`.execute(db);

  await sql`
    create table memberships (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      account_id uuid references accounts(id),
      email text not null check (email = lower(btrim(email))),
      name text not null check (length(name) between 1 and 200),
      state text not null check (state in ('invited', 'active', 'access_removed', 'removed', 'declined', 'expired', 'revoked')),
      practitioner boolean not null,
      is_admin boolean not null default false,
      admin_sections text[] not null default '{}',
      invited_by uuid references accounts(id),
      invitation_token_hash bytea,
      invitation_expires_at timestamptz,
      invited_at timestamptz not null,
      joined_at timestamptz,
      ended_at timestamptz,
      access_removed_at timestamptz,
      updated_at timestamptz not null,
      constraint memberships_sections_known check (admin_sections <@ array['users', 'sharing', 'defaults', 'security', 'import', 'audit']::text[]),
      constraint memberships_invited_has_token check (state <> 'invited' or (invitation_token_hash is not null and invitation_expires_at is not null)),
      constraint memberships_joined_has_account check (state not in ('active', 'access_removed') or account_id is not null)
    )`.execute(db);
  // One current membership per person and organisation; ended ones stay as history.
  await sql`create unique index memberships_one_current on memberships (organisation_id, email) where state in ('invited', 'active', 'access_removed')`.execute(db);
  await sql`create unique index memberships_token on memberships (invitation_token_hash) where invitation_token_hash is not null`.execute(db);
  await sql`create index memberships_account on memberships (account_id) where account_id is not null`.execute(db);
  await sql`create index memberships_org_state on memberships (organisation_id, state, name)`.execute(db);

  // assigned = active members with practitioner access; reserved = open invitations for practitioners.
  await sql`
    create function membership_licence_use(state text, practitioner boolean) returns table (assigned int, reserved int)
    language sql immutable as $$
      select (case when practitioner and state = 'active' then 1 else 0 end),
             (case when practitioner and state = 'invited' then 1 else 0 end)
    $$`.execute(db);
  await sql`
    create function memberships_count_licences() returns trigger language plpgsql as $$
    declare
      old_a int := 0; old_r int := 0; new_a int := 0; new_r int := 0;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        select assigned, reserved into old_a, old_r from membership_licence_use(old.state, old.practitioner);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        select assigned, reserved into new_a, new_r from membership_licence_use(new.state, new.practitioner);
      end if;
      if tg_op = 'UPDATE' and old.organisation_id <> new.organisation_id then
        raise exception 'a membership cannot move to another organisation';
      end if;
      if new_a - old_a <> 0 or new_r - old_r <> 0 then
        update organisations
           set licences_assigned = licences_assigned + (new_a - old_a),
               licences_reserved = licences_reserved + (new_r - old_r)
         where id = coalesce(new.organisation_id, old.organisation_id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger memberships_licence_counts after insert or update or delete on memberships
    for each row execute function memberships_count_licences()`.execute(db);

  // R-LIC-4: every change of the purchased count is a prorated charge or credit, naming its cause.
  await sql`
    create table licence_ledger (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      kind text not null check (kind in ('charge', 'credit')),
      quantity integer not null check (quantity > 0),
      unit_price_minor integer not null check (unit_price_minor >= 0),
      amount_minor integer not null check (amount_minor >= 0),
      currency text not null,
      local_date date not null,
      days_in_month integer not null check (days_in_month between 28 and 31),
      cause text not null check (cause in ('invitation', 'access_granted', 'bulk_purchase', 'licences_removed')),
      -- Deferred: a licence bought for an invitation is written before the membership that uses it.
      membership_id uuid references memberships(id) deferrable initially deferred,
      description text not null,
      actor_account_id uuid references accounts(id),
      invoice_id uuid,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index licence_ledger_org_date on licence_ledger (organisation_id, local_date)`.execute(db);

  await sql`
    create table payment_methods (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      gateway text not null,
      gateway_token text not null,
      brand text not null,
      last4 text not null check (last4 ~ '^[0-9]{4}$'),
      exp_month integer not null check (exp_month between 1 and 12),
      exp_year integer not null check (exp_year between 2000 and 2100),
      role text not null check (role in ('primary', 'backup')),
      created_at timestamptz not null,
      removed_at timestamptz
    )`.execute(db);
  await sql`create unique index payment_methods_one_per_role on payment_methods (organisation_id, role) where removed_at is null`.execute(db);

  await sql`
    create table ownership_transfers (
      id uuid primary key,
      organisation_id uuid not null references organisations(id),
      from_account_id uuid not null references accounts(id),
      to_account_id uuid not null references accounts(id),
      state text not null check (state in ('pending', 'accepted', 'declined', 'cancelled')),
      created_at timestamptz not null,
      decided_at timestamptz
    )`.execute(db);
  await sql`create unique index ownership_transfers_one_pending on ownership_transfers (organisation_id) where state = 'pending'`.execute(db);

  // R-LIC-8: the first answer to a request with an Idempotency-Key, stored with the change.
  await sql`
    create table idempotency_keys (
      account_id uuid not null references accounts(id),
      key text not null,
      scope text not null,
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null,
      primary key (account_id, key)
    )`.execute(db);
  await sql`create index idempotency_keys_created on idempotency_keys (created_at)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('This migration cannot be reverted');
}
