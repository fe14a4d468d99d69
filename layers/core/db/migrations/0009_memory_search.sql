-- Long-term memory search (issue #8).

-- The embedding model and its width come from configuration (EMBEDDING_MODEL, EMBEDDING_DIMENSIONS), and
-- each row records both, so the column no longer fixes a width: vector(1536) would make a 512-wide model a
-- schema change. An HNSW index needs a fixed width, so every supported width gets its own partial
-- expression index, and a search names its width (`embedding::vector(1536)` … `WHERE embedding_dim = 1536`)
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
-- would then cost a TOAST look-up: about a third of the search time on PGlite (`npm run bench -- --only
-- memory`). Rows up to a page (8160 bytes) stay whole instead; MAIN still lets a wider vector move out as
-- a last resort.
ALTER TABLE user_memory SET (toast_tuple_target = 8160);
ALTER TABLE user_memory ALTER COLUMN embedding SET STORAGE MAIN;
-- A user's rows in one embedding space: the exact per-user scan, and the re-embedding job's look-up of
-- rows not yet in the configured space.
CREATE INDEX user_memory_user_space_idx ON user_memory (user_id, embedding_model, embedding_dim);

-- Keywords without accents, like the query side (layers/core/memory/terms.ts): users type "cumpleanos" as
-- often as "cumpleaños". PGlite has no unaccent extension; translate() covers Spanish and is immutable.
-- No GIN index: keyword search matches only the user's own rows, found through the user index above (a GIN
-- index shared by all users sent common words through everyone's rows; `npm run bench -- --only memory`).
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
