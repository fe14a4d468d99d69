-- A user's request to talk to a person (FACTS.md, Policy: automated chat must offer a path to a human).
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
