-- Identity resolution runs before any scope exists (the user id is what it finds out), so it cannot run under
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
