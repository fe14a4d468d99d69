-- The global daily LLM budget needs everyone's spend, which row-level security hides from the application
-- role. This function returns only the total, never a row, so the budget check needs no wider access.
CREATE FUNCTION app_total_ai_cost_since(p_since timestamptz) RETURNS numeric
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT COALESCE(sum(cost_usd), 0) FROM ai_usage WHERE created_at >= p_since
$$;

REVOKE ALL ON FUNCTION app_total_ai_cost_since(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_total_ai_cost_since(timestamptz) TO chasqui_app;

-- A send intent that Meta refused is deleted so a retry can send it (see discardSendIntent).
GRANT DELETE ON messages TO chasqui_app;
