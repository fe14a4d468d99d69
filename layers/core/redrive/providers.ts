/**
 * The LLM providers whose breakers gate a scheduled redrive, named as the processor's breakers are
 * (ANTHROPIC_PROVIDER, OPENAI_PROVIDER). Not imported from the adapters, which would bundle both SDKs into the
 * redrive function; a test keeps the names in step.
 */
export const LLM_PROVIDERS: readonly string[] = ['anthropic', 'openai'];
