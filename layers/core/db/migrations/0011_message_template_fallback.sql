-- The approved template an outbound free-form message falls back to when a `failed` status says the 24 h
-- window had closed (error 131047): the request body, in the user's language, built when the message was sent.
ALTER TABLE messages ADD COLUMN template_fallback jsonb;
