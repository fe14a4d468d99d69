-- Who may see what. chasqui_app gets only the statements the application runs, and row-level security
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
