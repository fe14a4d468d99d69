// Generated from the .sql files in this folder by generate-index.ts: do not edit. After adding or
// changing a migration, run: npx tsx layers/core/db/migrations/generate-index.ts
//
// The SQL is embedded as strings so that esbuild bundles it into the Lambda like any other code, with no
// files to copy next to the bundle; jest loads it the same way. The .sql files stay the source of truth, and
// a test fails when this file falls out of step with them.
import { type MigrationSource } from '../migrate';

export const migrationSources: readonly MigrationSource[] = [
  {
    file: '0001_extensions_and_roles.sql',
    sql: `-- pgvector: long-term memory search (user_memory.embedding).
CREATE EXTENSION IF NOT EXISTS vector;

-- The application connects through this role. It owns nothing, so row-level security always applies to it.
-- NOLOGIN: in production the migrate function grants it to a login user; locally the PGlite adapter
-- switches to it in every transaction. Roles belong to the whole cluster, hence the existence check.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'chasqui_app') THEN
    CREATE ROLE chasqui_app NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO chasqui_app;
-- Already the default from Postgres 15; older servers let every role create objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The transaction's scope, set per transaction by the adapters with set_config(..., true). An unset or
-- empty setting is NULL, and NULL matches no row: with no user set, no user-owned row is visible.
CREATE FUNCTION app_current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN NULLIF(current_setting('app.tenant_id', true), '')::uuid;

CREATE FUNCTION app_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN NULLIF(current_setting('app.user_id', true), '')::uuid;

CREATE FUNCTION app_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
`,
  },
  {
    file: '0002_tenants_and_users.sql',
    sql: `-- One tenant per WhatsApp business phone number.
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
`,
  },
  {
    file: '0003_messages.sql',
    sql: `-- Inbound and outbound WhatsApp messages. tenant_id and user_id default to the transaction's scope.
CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  -- Meta delivers webhooks at least once: the unique wamid makes a redelivery harmless.
  wamid text UNIQUE CHECK (wamid <> ''),
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  type text NOT NULL CHECK (type <> ''),
  body text,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL,
  status_updated_at timestamptz,
  error jsonb,
  context_wamid text,
  pricing_category text,
  pricing_type text,
  cost_usd numeric(12, 6) CHECK (cost_usd >= 0),
  -- An outbound send intent is recorded before calling the Graph API, which assigns the wamid; a retried
  -- send finds its intent by this key instead of sending twice.
  idempotency_key text UNIQUE CHECK (idempotency_key <> ''),
  -- Meta's timestamp for inbound messages; the time of the send intent for outbound ones.
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- clock_timestamp, not now(): a message and its reply recorded in one transaction must still sort in order.
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT messages_status_valid CHECK (
    (direction = 'in' AND status = 'received')
    OR (direction = 'out' AND status IN ('pending', 'sent', 'delivered', 'read', 'failed'))
  ),
  CONSTRAINT messages_inbound_has_wamid CHECK (direction = 'out' OR wamid IS NOT NULL),
  CONSTRAINT messages_outbound_identifiable CHECK (
    direction = 'in' OR wamid IS NOT NULL OR idempotency_key IS NOT NULL
  )
);

CREATE INDEX messages_user_created_idx ON messages (user_id, created_at);
CREATE TRIGGER messages_touch_updated_at BEFORE UPDATE ON messages
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();

-- Meta sends statuses out of order and may skip some (read without delivered). A status only ever moves
-- forward: pending < sent < delivered < read. failed is terminal, but cannot replace read: a message the
-- user has read did reach them.
CREATE FUNCTION app_message_status_advances(current_status text, next_status text) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  progression CONSTANT text[] := ARRAY['pending', 'sent', 'delivered', 'read'];
BEGIN
  IF next_status IS NULL OR NOT (next_status = ANY (progression) OR next_status = 'failed') THEN
    RAISE EXCEPTION 'unknown outbound message status: %', next_status USING ERRCODE = 'check_violation';
  END IF;
  IF current_status = 'failed' THEN
    RETURN false;
  END IF;
  IF next_status = 'failed' THEN
    RETURN current_status <> 'read';
  END IF;
  RETURN array_position(progression, next_status) > array_position(progression, current_status);
END
$$;
`,
  },
  {
    file: '0004_assistant_data.sql',
    sql: `-- What the assistant's tools keep for a user. Every table carries tenant_id and user_id, defaulting to the
-- transaction's scope, with a foreign key to users that cascades: erasing a user is one DELETE.

CREATE TABLE reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  text text NOT NULL CHECK (btrim(text) <> ''),
  due_at timestamptz NOT NULL,
  time_zone text NOT NULL CHECK (time_zone ~ '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$'),
  recurrence text CHECK (recurrence <> ''),
  -- The EventBridge Scheduler schedule that fires this reminder.
  schedule_name text UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'done', 'cancelled')),
  -- Bumped on every reschedule: a schedule that fires for an older version is stale and does nothing.
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  source_wamid text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reminders_status_due_idx ON reminders (status, due_at);
CREATE INDEX reminders_user_due_idx ON reminders (user_id, due_at);

CREATE TABLE calendar_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  title text NOT NULL CHECK (btrim(title) <> ''),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  location text,
  notes text,
  status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
  source_wamid text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT calendar_events_ends_after_start CHECK (ends_at > starts_at)
);
CREATE INDEX calendar_events_user_starts_idx ON calendar_events (user_id, starts_at);

CREATE TABLE expenses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  -- Four decimals: some currencies have three minor digits, and nothing should be rounded silently.
  amount numeric(18, 4) NOT NULL CHECK (amount > 0),
  -- ISO 4217; char(3) pads a shorter code with spaces, which the pattern then rejects.
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  category text NOT NULL CHECK (btrim(category) <> ''),
  description text,
  occurred_at timestamptz NOT NULL,
  source_wamid text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX expenses_user_occurred_idx ON expenses (user_id, occurred_at);

CREATE TABLE user_memory (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  kind text NOT NULL CHECK (kind <> ''),
  content text NOT NULL CHECK (btrim(content) <> ''),
  -- Null until embedded, so a memory survives an embedding provider outage and is filled in later.
  embedding vector(1536),
  embedding_model text,
  embedding_dim integer,
  -- 'simple': users write Spanish and English, and a one-language stemmer would mangle the other.
  content_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT user_memory_embedding_described CHECK (
    (embedding IS NULL AND embedding_model IS NULL AND embedding_dim IS NULL)
    OR (embedding IS NOT NULL AND embedding_model <> '' AND embedding_dim = vector_dims(embedding))
  )
);
-- pgvector's recommended build parameters (m = 16, ef_construction = 64); FACTS.md, pgvector HNSW.
CREATE INDEX user_memory_embedding_idx ON user_memory
  USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX user_memory_content_tsv_idx ON user_memory USING gin (content_tsv);
CREATE INDEX user_memory_user_created_idx ON user_memory (user_id, created_at);

CREATE TABLE preferences (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  value jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT preferences_user_key_key UNIQUE (user_id, key)
);

CREATE TRIGGER reminders_touch_updated_at BEFORE UPDATE ON reminders
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER calendar_events_touch_updated_at BEFORE UPDATE ON calendar_events
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER expenses_touch_updated_at BEFORE UPDATE ON expenses
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER user_memory_touch_updated_at BEFORE UPDATE ON user_memory
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER preferences_touch_updated_at BEFORE UPDATE ON preferences
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
`,
  },
  {
    file: '0005_operations.sql',
    sql: `-- What the system records about its own work: model usage and cost, tool calls, failed records.

CREATE TABLE ai_usage (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  provider text NOT NULL CHECK (provider <> ''),
  model text NOT NULL CHECK (model <> ''),
  input_tokens integer NOT NULL CHECK (input_tokens >= 0),
  output_tokens integer NOT NULL CHECK (output_tokens >= 0),
  cache_read_tokens integer NOT NULL DEFAULT 0 CHECK (cache_read_tokens >= 0),
  cache_write_tokens integer NOT NULL DEFAULT 0 CHECK (cache_write_tokens >= 0),
  cost_usd numeric(12, 6) NOT NULL CHECK (cost_usd >= 0),
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  outcome text NOT NULL CHECK (outcome <> ''),
  message_wamid text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ai_usage_user_created_idx ON ai_usage (user_id, created_at);
-- The daily spend alarm and the cost dashboard read every user's usage by day.
CREATE INDEX ai_usage_created_idx ON ai_usage (created_at);

CREATE TABLE tool_executions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  message_wamid text NOT NULL CHECK (message_wamid <> ''),
  tool text NOT NULL CHECK (tool <> ''),
  call_index integer NOT NULL CHECK (call_index >= 0),
  input jsonb NOT NULL,
  output jsonb,
  status text NOT NULL CHECK (status IN ('ok', 'error', 'invalid')),
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  -- A redelivered message replays its tool calls: each call's effect happens once.
  CONSTRAINT tool_executions_call_key UNIQUE (message_wamid, tool, call_index)
);
CREATE INDEX tool_executions_user_created_idx ON tool_executions (user_id, created_at);

-- Records that exhausted their retries. A poison record may name no tenant or user we know, so both are
-- optional; with a user, the tenant is required and the row is erased with the user.
CREATE TABLE dead_letters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT app_current_tenant_id() REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid DEFAULT app_current_user_id(),
  source text NOT NULL CHECK (source <> ''),
  reason text NOT NULL CHECK (reason <> ''),
  payload jsonb NOT NULL,
  receive_count integer NOT NULL DEFAULT 0 CHECK (receive_count >= 0),
  last_error text,
  redrive_count integer NOT NULL DEFAULT 0 CHECK (redrive_count >= 0),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'redriven', 'parked', 'resolved')),
  -- The queue's message id: recording the same failed record twice is a no-op.
  external_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT dead_letters_user_has_tenant CHECK (user_id IS NULL OR tenant_id IS NOT NULL),
  CONSTRAINT dead_letters_source_external_id_key UNIQUE (source, external_id)
);
CREATE INDEX dead_letters_status_created_idx ON dead_letters (status, created_at);

CREATE TRIGGER ai_usage_touch_updated_at BEFORE UPDATE ON ai_usage
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER tool_executions_touch_updated_at BEFORE UPDATE ON tool_executions
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
CREATE TRIGGER dead_letters_touch_updated_at BEFORE UPDATE ON dead_letters
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();
`,
  },
  {
    file: '0006_row_level_security.sql',
    sql: `-- Who may see what. chasqui_app gets only the statements the application runs, and row-level security
-- narrows every one of them to the transaction's tenant and user.
--
-- FORCE makes the table owner subject to the policies too. The owner (whoever runs the migrations) gets an
-- explicit owner_all policy instead: operators and the SECURITY DEFINER identity functions need every row,
-- and a visible policy says so where an implicit owner bypass would not.

GRANT SELECT ON tenants TO chasqui_app;
-- No INSERT on users: a user is created by app_resolve_user, which knows the user before any scope does.
GRANT SELECT, UPDATE, DELETE ON users TO chasqui_app;
GRANT SELECT, INSERT, UPDATE ON messages TO chasqui_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON reminders, calendar_events, expenses, user_memory, preferences
  TO chasqui_app;
GRANT SELECT, INSERT ON ai_usage TO chasqui_app;
GRANT SELECT, INSERT, UPDATE ON tool_executions, dead_letters TO chasqui_app;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON tenants TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant_scope ON tenants FOR SELECT TO chasqui_app USING (id = app_current_tenant_id());

-- A user sees only its own row.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON users TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON users TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND id = app_current_user_id());

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON messages TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON messages TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON reminders TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON reminders TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE calendar_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_events FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON calendar_events TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON calendar_events TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE expenses ENABLE ROW LEVEL SECURITY;
ALTER TABLE expenses FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON expenses TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON expenses TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE user_memory ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_memory FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON user_memory TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON user_memory TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON preferences TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON preferences TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE ai_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON ai_usage TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON ai_usage TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

ALTER TABLE tool_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE tool_executions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON tool_executions TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON tool_executions TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

-- A failure can be recorded with no scope at all, or for the current tenant and user, never for another;
-- reading and updating stay within the scope. Operators work on every dead letter as the owner.
ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letters FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON dead_letters TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY record_unscoped_or_own ON dead_letters FOR INSERT TO chasqui_app
  WITH CHECK (
    (tenant_id IS NULL OR tenant_id = app_current_tenant_id())
    AND (user_id IS NULL OR user_id = app_current_user_id())
  );
CREATE POLICY read_own ON dead_letters FOR SELECT TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());
CREATE POLICY update_own ON dead_letters FOR UPDATE TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());
`,
  },
  {
    file: '0007_identity_functions.sql',
    sql: `-- Identity resolution runs before any scope exists (the user id is what it finds out), so it cannot run under
-- the application's row-level security. These functions run as their owner, the migration user, whose
-- owner_all policy admits them; each does one narrow job, and only chasqui_app may call them. The pinned
-- search_path stops a caller from substituting its own objects for the tables they use.

-- The tenant for a business phone number, created on first sight.
CREATE FUNCTION app_upsert_tenant(p_phone_number_id text, p_display_phone_number text) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  found_id uuid;
BEGIN
  INSERT INTO tenants (phone_number_id, display_phone_number)
  VALUES (p_phone_number_id, p_display_phone_number)
  ON CONFLICT (phone_number_id) DO UPDATE SET display_phone_number = EXCLUDED.display_phone_number
    WHERE tenants.display_phone_number IS DISTINCT FROM EXCLUDED.display_phone_number
  RETURNING id INTO found_id;
  IF found_id IS NULL THEN
    -- Nothing changed, so the upsert returned no row.
    SELECT id INTO found_id FROM tenants WHERE phone_number_id = p_phone_number_id;
  END IF;
  RETURN found_id;
END
$$;

-- The user behind an inbound message: matched by wa_id, else by bsuid, created on first contact. An id
-- that becomes known later (Meta adding a bsuid to a wa_id user, or the reverse) is filled in, unless
-- another user of the tenant already holds it. Defaults apply only to a new user.
CREATE FUNCTION app_resolve_user(
  p_tenant_id uuid,
  p_wa_id text,
  p_bsuid text,
  p_profile_name text,
  p_default_locale text,
  p_default_time_zone text,
  p_default_country text
) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  found_id uuid;
BEGIN
  IF p_wa_id IS NULL AND p_bsuid IS NULL THEN
    RAISE EXCEPTION 'a user needs a wa_id or a bsuid' USING ERRCODE = 'check_violation';
  END IF;

  -- A concurrent resolution of the same new user makes our insert a no-op; the next lookup finds its row.
  FOR attempt IN 1..3 LOOP
    SELECT id INTO found_id FROM users WHERE tenant_id = p_tenant_id AND wa_id = p_wa_id;
    IF found_id IS NULL THEN
      SELECT id INTO found_id FROM users WHERE tenant_id = p_tenant_id AND bsuid = p_bsuid;
    END IF;

    IF found_id IS NOT NULL THEN
      UPDATE users SET
        wa_id = CASE
          WHEN users.wa_id IS NULL AND NOT EXISTS (
            SELECT FROM users other WHERE other.tenant_id = p_tenant_id AND other.wa_id = p_wa_id
          ) THEN p_wa_id
          ELSE users.wa_id
        END,
        bsuid = CASE
          WHEN users.bsuid IS NULL AND NOT EXISTS (
            SELECT FROM users other WHERE other.tenant_id = p_tenant_id AND other.bsuid = p_bsuid
          ) THEN p_bsuid
          ELSE users.bsuid
        END,
        name = COALESCE(p_profile_name, users.name)
      WHERE users.id = found_id
        AND ((users.wa_id IS NULL AND p_wa_id IS NOT NULL)
          OR (users.bsuid IS NULL AND p_bsuid IS NOT NULL)
          OR (p_profile_name IS NOT NULL AND users.name IS DISTINCT FROM p_profile_name));
      RETURN found_id;
    END IF;

    INSERT INTO users (tenant_id, wa_id, bsuid, name, locale, time_zone, country)
    VALUES (p_tenant_id, p_wa_id, p_bsuid, p_profile_name, p_default_locale, p_default_time_zone,
      p_default_country)
    ON CONFLICT DO NOTHING
    RETURNING id INTO found_id;
    IF found_id IS NOT NULL THEN
      RETURN found_id;
    END IF;
  END LOOP;

  RAISE EXCEPTION 'could not resolve the user: concurrent changes' USING ERRCODE = 'serialization_failure';
END
$$;

REVOKE ALL ON FUNCTION app_upsert_tenant(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_resolve_user(uuid, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_upsert_tenant(text, text) TO chasqui_app;
GRANT EXECUTE ON FUNCTION app_resolve_user(uuid, text, text, text, text, text, text) TO chasqui_app;
`,
  },
  {
    file: '0008_budgets_and_send_intents.sql',
    sql: `-- The global daily LLM budget needs everyone's spend, which row-level security hides from the application
-- role. This function returns only the total, never a row, so the budget check needs no wider access.
CREATE FUNCTION app_total_ai_cost_since(p_since timestamptz) RETURNS numeric
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT COALESCE(sum(cost_usd), 0) FROM ai_usage WHERE created_at >= p_since
$$;

REVOKE ALL ON FUNCTION app_total_ai_cost_since(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_total_ai_cost_since(timestamptz) TO chasqui_app;

-- A send intent that Meta refused is deleted so a retry can send it (see discardSendIntent).
GRANT DELETE ON messages TO chasqui_app;
`,
  },
  {
    file: '0009_memory_search.sql',
    sql: `-- Long-term memory search (issue #8).

-- The embedding model and its width come from configuration (EMBEDDING_MODEL, EMBEDDING_DIMENSIONS), and
-- each row records both, so the column no longer fixes a width: vector(1536) would make a 512-wide model a
-- schema change. An HNSW index needs a fixed width, so every supported width gets its own partial
-- expression index, and a search names its width (\`embedding::vector(1536)\` … \`WHERE embedding_dim = 1536\`)
-- so that only vectors of that width are ever compared. The widths match SUPPORTED_EMBEDDING_DIMENSIONS in
-- layers/core/ports/embedder.ts. An index over rows of another width is empty and costs nothing.
DROP INDEX user_memory_embedding_idx;
ALTER TABLE user_memory ALTER COLUMN embedding TYPE vector;
-- pgvector's recommended build parameters (m = 16, ef_construction = 64); FACTS.md, pgvector HNSW.
CREATE INDEX user_memory_embedding_384_idx ON user_memory
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
  WHERE embedding_dim = 384;
CREATE INDEX user_memory_embedding_512_idx ON user_memory
  USING hnsw ((embedding::vector(512)) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
  WHERE embedding_dim = 512;
CREATE INDEX user_memory_embedding_768_idx ON user_memory
  USING hnsw ((embedding::vector(768)) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
  WHERE embedding_dim = 768;
CREATE INDEX user_memory_embedding_1024_idx ON user_memory
  USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
  WHERE embedding_dim = 1024;
CREATE INDEX user_memory_embedding_1536_idx ON user_memory
  USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WITH (m = 16, ef_construction = 64)
  WHERE embedding_dim = 1536;
-- A 1536-wide vector is 6 KB, over the 2 KB at which Postgres moves values out of line (TOAST), and every
-- distance a search computes from the table (the exact scan, and the distance an HNSW search returns)
-- would then cost a TOAST look-up: about a third of the search time on PGlite (\`npm run bench -- --only
-- memory\`). Rows up to a page (8160 bytes) stay whole instead; MAIN still lets a wider vector move out as
-- a last resort.
ALTER TABLE user_memory SET (toast_tuple_target = 8160);
ALTER TABLE user_memory ALTER COLUMN embedding SET STORAGE MAIN;
-- A user's rows in one embedding space: the exact per-user scan, and the re-embedding job's look-up of
-- rows not yet in the configured space.
CREATE INDEX user_memory_user_space_idx ON user_memory (user_id, embedding_model, embedding_dim);

-- Keywords without accents, like the query side (layers/core/memory/terms.ts): users type "cumpleanos" as
-- often as "cumpleaños". PGlite has no unaccent extension; translate() covers Spanish and is immutable.
-- No GIN index: keyword search matches only the user's own rows, found through the user index above (a GIN
-- index shared by all users sent common words through everyone's rows; \`npm run bench -- --only memory\`).
DROP INDEX user_memory_content_tsv_idx;
ALTER TABLE user_memory DROP COLUMN content_tsv;
ALTER TABLE user_memory ADD COLUMN content_tsv tsvector GENERATED ALWAYS AS (
  to_tsvector('simple', translate(lower(content), 'áàâäãéèêëíìîïóòôöõúùûüñç', 'aaaaaeeeeiiiiooooouuuunc'))
) STORED;

ALTER TABLE user_memory
  ADD CONSTRAINT user_memory_kind_known
    CHECK (kind IN ('fact', 'preference', 'summary', 'expense', 'event', 'reminder')),
  -- When what the memory tells happens or happened: an expense's date, an event's start, a reminder's due
  -- time; for what the user said, when they said it. Search filters by it.
  ADD COLUMN occurred_at timestamptz NOT NULL DEFAULT now(),
  -- The expense, calendar event or reminder this memory mirrors; null for what the user said.
  ADD COLUMN source_id uuid;
CREATE UNIQUE INDEX user_memory_source_idx ON user_memory (source_id) WHERE source_id IS NOT NULL;

-- Expenses, events and reminders as searchable text, kept in step by triggers in the same transaction as
-- the row they describe, whichever code path changes it (a tool, a button, a reminder firing). The text is
-- in the user's language; the vector is left empty and filled by the re-embedding job
-- (layers/core/memory/embeddings.ts), so no write here waits for an embedding provider.
CREATE FUNCTION app_memory_language(p_tenant_id uuid, p_user_id uuid) RETURNS text
  LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN locale = 'en' THEN 'en' ELSE 'es' END FROM users WHERE tenant_id = p_tenant_id AND id = p_user_id
$$;

-- The category labels of layers/core/assistant/replies.ts, so a memory reads as the user's own words.
CREATE FUNCTION app_memory_category_label(p_category text, p_language text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_language = 'en' THEN p_category ELSE
    CASE p_category
      WHEN 'food' THEN 'comida' WHEN 'transport' THEN 'transporte' WHEN 'groceries' THEN 'mercado'
      WHEN 'utilities' THEN 'servicios' WHEN 'rent' THEN 'arriendo' WHEN 'health' THEN 'salud'
      WHEN 'entertainment' THEN 'entretenimiento' WHEN 'shopping' THEN 'compras' WHEN 'other' THEN 'otros'
      ELSE p_category
    END
  END
$$;

-- Amounts as memory search writes them (terms.ts numberForms): whole numbers bare, others with at least
-- two decimals — 45000, 12.50, 3.125. numeric(18, 4) keeps four decimals, so trailing zeros are trimmed.
CREATE FUNCTION app_memory_amount(p_amount numeric) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_amount = trunc(p_amount) THEN trunc(p_amount)::text
    WHEN p_amount * 100 = trunc(p_amount * 100) THEN to_char(p_amount, 'FM999999999999990.00')
    ELSE trim_scale(p_amount)::text END
$$;

CREATE FUNCTION app_mirror_memory(
  p_tenant_id uuid, p_user_id uuid, p_source_id uuid, p_kind text, p_content text, p_occurred_at timestamptz
) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO user_memory (tenant_id, user_id, kind, content, occurred_at, source_id)
  VALUES (p_tenant_id, p_user_id, p_kind, p_content, p_occurred_at, p_source_id)
  ON CONFLICT (source_id) WHERE source_id IS NOT NULL DO UPDATE
    SET content = EXCLUDED.content, occurred_at = EXCLUDED.occurred_at,
        embedding = NULL, embedding_model = NULL, embedding_dim = NULL
    WHERE user_memory.content IS DISTINCT FROM EXCLUDED.content
       OR user_memory.occurred_at IS DISTINCT FROM EXCLUDED.occurred_at
$$;

CREATE FUNCTION app_forget_mirror() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_memory WHERE source_id = OLD.id;
  RETURN OLD;
END
$$;

CREATE FUNCTION app_mirror_expense() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  language text;
  zone text;
BEGIN
  language := app_memory_language(NEW.tenant_id, NEW.user_id);
  SELECT time_zone INTO zone FROM users WHERE tenant_id = NEW.tenant_id AND id = NEW.user_id;
  PERFORM app_mirror_memory(NEW.tenant_id, NEW.user_id, NEW.id, 'expense',
    CASE WHEN language = 'en' THEN 'Expense: ' ELSE 'Gasto: ' END
      || app_memory_amount(NEW.amount) || ' ' || NEW.currency
      || CASE WHEN language = 'en' THEN ' on ' ELSE ' en ' END
      || app_memory_category_label(NEW.category, language)
      || COALESCE(' — ' || NULLIF(btrim(NEW.description), ''), '')
      || ' (' || to_char(NEW.occurred_at AT TIME ZONE COALESCE(zone, 'UTC'), 'YYYY-MM-DD') || ')',
    NEW.occurred_at);
  RETURN NEW;
END
$$;

CREATE FUNCTION app_mirror_calendar_event() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  language text;
  zone text;
BEGIN
  IF NEW.status = 'cancelled' THEN
    DELETE FROM user_memory WHERE source_id = NEW.id;
    RETURN NEW;
  END IF;
  language := app_memory_language(NEW.tenant_id, NEW.user_id);
  SELECT time_zone INTO zone FROM users WHERE tenant_id = NEW.tenant_id AND id = NEW.user_id;
  PERFORM app_mirror_memory(NEW.tenant_id, NEW.user_id, NEW.id, 'event',
    CASE WHEN language = 'en' THEN 'Event: ' ELSE 'Evento: ' END || NEW.title
      || ' (' || to_char(NEW.starts_at AT TIME ZONE COALESCE(zone, 'UTC'), 'YYYY-MM-DD HH24:MI') || ')'
      || COALESCE(CASE WHEN language = 'en' THEN ' at ' ELSE ' en ' END || NULLIF(btrim(NEW.location), ''), '')
      || COALESCE(' — ' || NULLIF(btrim(NEW.notes), ''), ''),
    NEW.starts_at);
  RETURN NEW;
END
$$;

CREATE FUNCTION app_mirror_reminder() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  language text;
BEGIN
  IF NEW.status = 'cancelled' THEN
    DELETE FROM user_memory WHERE source_id = NEW.id;
    RETURN NEW;
  END IF;
  language := app_memory_language(NEW.tenant_id, NEW.user_id);
  PERFORM app_mirror_memory(NEW.tenant_id, NEW.user_id, NEW.id, 'reminder',
    CASE WHEN language = 'en' THEN 'Reminder: ' ELSE 'Recordatorio: ' END || NEW.text
      || ' (' || to_char(NEW.due_at AT TIME ZONE NEW.time_zone, 'YYYY-MM-DD HH24:MI') || ')',
    NEW.due_at);
  RETURN NEW;
END
$$;

CREATE TRIGGER expenses_mirror_memory AFTER INSERT OR UPDATE OF amount, currency, category, description,
  occurred_at ON expenses FOR EACH ROW EXECUTE FUNCTION app_mirror_expense();
CREATE TRIGGER calendar_events_mirror_memory AFTER INSERT OR UPDATE OF title, starts_at, location, notes, status
  ON calendar_events FOR EACH ROW EXECUTE FUNCTION app_mirror_calendar_event();
CREATE TRIGGER reminders_mirror_memory AFTER INSERT OR UPDATE OF text, due_at, time_zone, status
  ON reminders FOR EACH ROW EXECUTE FUNCTION app_mirror_reminder();
CREATE TRIGGER expenses_forget_mirror AFTER DELETE ON expenses
  FOR EACH ROW EXECUTE FUNCTION app_forget_mirror();
CREATE TRIGGER calendar_events_forget_mirror AFTER DELETE ON calendar_events
  FOR EACH ROW EXECUTE FUNCTION app_forget_mirror();
CREATE TRIGGER reminders_forget_mirror AFTER DELETE ON reminders
  FOR EACH ROW EXECUTE FUNCTION app_forget_mirror();
`,
  },
  {
    file: '0010_handoff_and_erasure.sql',
    sql: `-- A user's request to talk to a person (FACTS.md, Policy: automated chat must offer a path to a human).
-- Operators work through the open ones as the owner; the application only records and, on erasure, deletes.
CREATE TABLE handoff_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT app_current_tenant_id(),
  user_id uuid NOT NULL DEFAULT app_current_user_id(),
  -- One request per inbound message: a model that asks twice in a turn, or a redelivery, records it once.
  message_wamid text NOT NULL UNIQUE CHECK (message_wamid <> ''),
  -- Why, in the model's words when a model asked; null when the user's own message says it all.
  reason text,
  -- What the user wrote, so the operator has context without reading the whole conversation.
  last_message text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX handoff_requests_status_created_idx ON handoff_requests (status, created_at);
CREATE INDEX handoff_requests_user_created_idx ON handoff_requests (user_id, created_at);
CREATE TRIGGER handoff_requests_touch_updated_at BEFORE UPDATE ON handoff_requests
  FOR EACH ROW EXECUTE FUNCTION app_touch_updated_at();

GRANT SELECT, INSERT, DELETE ON handoff_requests TO chasqui_app;
ALTER TABLE handoff_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE handoff_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON handoff_requests TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY user_scope ON handoff_requests TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id())
  WITH CHECK (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());

-- A user who asks to have their data erased gets it erased by the application, in their own scope: the rows
-- it otherwise only appends (model usage, tool calls, failed records) must be deletable too. The user row
-- itself stays, reduced to identity and consent (see layers/core/privacy/erase.ts).
GRANT DELETE ON ai_usage, tool_executions, dead_letters TO chasqui_app;
CREATE POLICY delete_own ON dead_letters FOR DELETE TO chasqui_app
  USING (tenant_id = app_current_tenant_id() AND user_id = app_current_user_id());
`,
  },
  {
    file: '0011_message_template_fallback.sql',
    sql: `-- The approved template an outbound free-form message falls back to when a \`failed\` status says the 24 h
-- window had closed (error 131047): the request body, in the user's language, built when the message was sent.
ALTER TABLE messages ADD COLUMN template_fallback jsonb;
`,
  },
  {
    file: '0012_cost_views.sql',
    sql: `-- Cost accounting: what each user costs, per UTC day (the day of the budget check and the CloudWatch cost
-- dashboard), per model and per WhatsApp pricing category. Operators query these as the owner and see
-- everyone; the application role queries them too.
--
-- security_invoker: a view normally reads its tables with its owner's rights, which would let chasqui_app
-- read every user's usage through it. As the invoker, row-level security on ai_usage and messages applies,
-- and a user's scope shows only that user's rows.

-- LLM calls per user, day and model. Failed calls cost nothing but count, so their rate is visible too.
CREATE VIEW cost_ai_daily WITH (security_invoker = true) AS
SELECT
  tenant_id,
  user_id,
  (created_at AT TIME ZONE 'UTC')::date AS day,
  provider,
  model,
  count(*) AS calls,
  count(*) FILTER (WHERE outcome <> 'ok') AS failed_calls,
  sum(input_tokens)::bigint AS input_tokens,
  sum(output_tokens)::bigint AS output_tokens,
  sum(cache_read_tokens)::bigint AS cache_read_tokens,
  sum(cache_write_tokens)::bigint AS cache_write_tokens,
  sum(cost_usd) AS cost_usd,
  round(avg(latency_ms))::integer AS avg_latency_ms
FROM ai_usage
GROUP BY tenant_id, user_id, day, provider, model;

-- Messages Meta accepted (they have a wamid) per user, day and pricing category; the cost is what the
-- delivery statuses priced, 0 until one does. Messages count on the day they happened (occurred_at: the
-- send intent's time; for inbound ones, Meta's timestamp).
CREATE VIEW cost_messages_daily WITH (security_invoker = true) AS
SELECT
  tenant_id,
  user_id,
  (occurred_at AT TIME ZONE 'UTC')::date AS day,
  COALESCE(pricing_category, 'unpriced') AS category,
  count(*) AS messages,
  COALESCE(sum(cost_usd), 0) AS cost_usd
FROM messages
WHERE direction = 'out' AND wamid IS NOT NULL
GROUP BY tenant_id, user_id, day, category;

-- Everything one user cost on one day: the messages they sent, the model calls and tokens of the answers,
-- and both costs.
CREATE VIEW cost_user_daily WITH (security_invoker = true) AS
WITH inbound AS (
  SELECT tenant_id, user_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS messages_received
  FROM messages
  WHERE direction = 'in'
  GROUP BY tenant_id, user_id, day
),
ai AS (
  SELECT tenant_id, user_id, day, sum(calls) AS llm_calls,
    sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens,
    sum(cost_usd) AS llm_cost_usd
  FROM cost_ai_daily
  GROUP BY tenant_id, user_id, day
),
outbound AS (
  SELECT tenant_id, user_id, day, sum(messages) AS messages_sent, sum(cost_usd) AS whatsapp_cost_usd
  FROM cost_messages_daily
  GROUP BY tenant_id, user_id, day
)
SELECT
  tenant_id,
  user_id,
  day,
  COALESCE(inbound.messages_received, 0)::bigint AS messages_received,
  COALESCE(outbound.messages_sent, 0)::bigint AS messages_sent,
  COALESCE(ai.llm_calls, 0)::bigint AS llm_calls,
  COALESCE(ai.tokens, 0)::bigint AS tokens,
  COALESCE(ai.llm_cost_usd, 0) AS llm_cost_usd,
  COALESCE(outbound.whatsapp_cost_usd, 0) AS whatsapp_cost_usd,
  COALESCE(ai.llm_cost_usd, 0) + COALESCE(outbound.whatsapp_cost_usd, 0) AS total_cost_usd
FROM inbound
FULL JOIN ai USING (tenant_id, user_id, day)
FULL JOIN outbound USING (tenant_id, user_id, day);

GRANT SELECT ON cost_ai_daily, cost_messages_daily, cost_user_daily TO chasqui_app;
`,
  },
  {
    file: '0013_ai_usage_cost_precision.sql',
    sql: `-- An embedding request costs hundred-millionths of a dollar (text-embedding-3-small: $0.02 per million
-- tokens, so a 20-token question costs $0.0000004). At six decimals such a row was stored as $0 or as
-- $0.000001, and a user's embedding spend summed to noise. Ten decimals hold one token at the cheapest
-- listed rate exactly (layers/core/llm/prices.ts). Postgres cannot retype a column a view reads, so the two
-- cost views over ai_usage are dropped and created again exactly as migration 0012 made them.
DROP VIEW IF EXISTS cost_user_daily;
DROP VIEW IF EXISTS cost_ai_daily;

ALTER TABLE ai_usage ALTER COLUMN cost_usd TYPE numeric(16, 10);

-- LLM calls per user, day and model. Failed calls cost nothing but count, so their rate is visible too.
CREATE VIEW cost_ai_daily WITH (security_invoker = true) AS
SELECT
  tenant_id,
  user_id,
  (created_at AT TIME ZONE 'UTC')::date AS day,
  provider,
  model,
  count(*) AS calls,
  count(*) FILTER (WHERE outcome <> 'ok') AS failed_calls,
  sum(input_tokens)::bigint AS input_tokens,
  sum(output_tokens)::bigint AS output_tokens,
  sum(cache_read_tokens)::bigint AS cache_read_tokens,
  sum(cache_write_tokens)::bigint AS cache_write_tokens,
  sum(cost_usd) AS cost_usd,
  round(avg(latency_ms))::integer AS avg_latency_ms
FROM ai_usage
GROUP BY tenant_id, user_id, day, provider, model;

-- Everything one user cost on one day: the messages they sent, the model calls and tokens of the answers,
-- and both costs.
CREATE VIEW cost_user_daily WITH (security_invoker = true) AS
WITH inbound AS (
  SELECT tenant_id, user_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS messages_received
  FROM messages
  WHERE direction = 'in'
  GROUP BY tenant_id, user_id, day
),
ai AS (
  SELECT tenant_id, user_id, day, sum(calls) AS llm_calls,
    sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens,
    sum(cost_usd) AS llm_cost_usd
  FROM cost_ai_daily
  GROUP BY tenant_id, user_id, day
),
outbound AS (
  SELECT tenant_id, user_id, day, sum(messages) AS messages_sent, sum(cost_usd) AS whatsapp_cost_usd
  FROM cost_messages_daily
  GROUP BY tenant_id, user_id, day
)
SELECT
  tenant_id,
  user_id,
  day,
  COALESCE(inbound.messages_received, 0)::bigint AS messages_received,
  COALESCE(outbound.messages_sent, 0)::bigint AS messages_sent,
  COALESCE(ai.llm_calls, 0)::bigint AS llm_calls,
  COALESCE(ai.tokens, 0)::bigint AS tokens,
  COALESCE(ai.llm_cost_usd, 0) AS llm_cost_usd,
  COALESCE(outbound.whatsapp_cost_usd, 0) AS whatsapp_cost_usd,
  COALESCE(ai.llm_cost_usd, 0) + COALESCE(outbound.whatsapp_cost_usd, 0) AS total_cost_usd
FROM inbound
FULL JOIN ai USING (tenant_id, user_id, day)
FULL JOIN outbound USING (tenant_id, user_id, day);

GRANT SELECT ON cost_ai_daily, cost_user_daily TO chasqui_app;
`,
  },
];
