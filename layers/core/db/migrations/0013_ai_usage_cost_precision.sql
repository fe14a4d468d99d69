-- An embedding request costs hundred-millionths of a dollar (text-embedding-3-small: $0.02 per million
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
