-- What the system records about its own work: model usage and cost, tool calls, failed records.

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
