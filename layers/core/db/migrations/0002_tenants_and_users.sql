-- One tenant per WhatsApp business phone number.
CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_number_id text NOT NULL UNIQUE CHECK (phone_number_id <> ''),
  display_phone_number text NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Meta identifies a user by wa_id (the phone number) or, from 2026, by a business-scoped user id (bsuid),
-- and a user with a username may have no wa_id at all: either may be missing, never both.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  wa_id text CHECK (wa_id <> ''),
  bsuid text CHECK (bsuid <> ''),
  name text,
  locale text NOT NULL CHECK (locale ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  -- IANA name; the repository checks it against the runtime's zone database, this only its shape.
  time_zone text NOT NULL CHECK (time_zone ~ '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$'),
  country char(2) CHECK (country ~ '^[A-Z]{2}$'),
  -- A user row exists because the user wrote to us first.
  consent_status text NOT NULL DEFAULT 'opted_in' CHECK (consent_status IN ('opted_in', 'opted_out')),
  opted_in_at timestamptz DEFAULT now(),
  opted_out_at timestamptz,
  window_expires_at timestamptz,
  last_inbound_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_identified CHECK (wa_id IS NOT NULL OR bsuid IS NOT NULL),
  CONSTRAINT users_opt_out_dated CHECK (consent_status = 'opted_in' OR opted_out_at IS NOT NULL),
  CONSTRAINT users_tenant_wa_id_key UNIQUE (tenant_id, wa_id),
  CONSTRAINT users_tenant_bsuid_key UNIQUE (tenant_id, bsuid),
  -- Target of every user-owned table's (tenant_id, user_id) foreign key, which keeps a row's tenant and
  -- user consistent, and makes erasing a user one DELETE.
  CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE TRIGGER tenants_touch_updated_at BEFORE UPDATE ON tenants
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
