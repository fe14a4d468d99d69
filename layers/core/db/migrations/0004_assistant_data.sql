-- What the assistant's tools keep for a user. Every table carries tenant_id and user_id, defaulting to the
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
