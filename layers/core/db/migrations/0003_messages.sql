-- Inbound and outbound WhatsApp messages. tenant_id and user_id default to the transaction's scope.
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
