-- pgvector: long-term memory search (user_memory.embedding).
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
